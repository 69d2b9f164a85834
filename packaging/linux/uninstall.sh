#!/bin/sh
# Uninstall Campaign Companion for this user: what install.sh put under ~/.local, and the
# start-at-login entry if it starts the installed app. Your data and settings stay unless you
# say otherwise:
#
#   ./uninstall.sh                 # asks whether to delete your data too (keeps it if no one answers)
#   ./uninstall.sh --keep-data     # never asks, keeps it
#   ./uninstall.sh --delete-data   # never asks, deletes it
set -eu

data_home=${XDG_DATA_HOME:-$HOME/.local/share}
config_home=${XDG_CONFIG_HOME:-$HOME/.config}
app_dir=$HOME/.local/lib/campaign-gui
bin_link=$HOME/.local/bin/campaign-gui
# platformdirs' folders for the app (core/paths.py): the data with its logs, and the settings.
user_data=$data_home/CampaignCompanion
user_config=$config_home/CampaignCompanion

data_choice=ask
case ${1:-} in
    --keep-data) data_choice=keep ;;
    --delete-data) data_choice=delete ;;
    "") ;;
    *) echo "usage: $0 [--keep-data | --delete-data]" >&2; exit 2 ;;
esac

# The start-at-login entry, if it starts this install (one made for another copy is left alone).
autostart=$config_home/autostart/campaign-gui.desktop
if [ -f "$autostart" ] &&
    grep -qF -e "Exec=$app_dir/campaign-gui" -e "Exec=\"$app_dir/campaign-gui" "$autostart"; then
    rm -f "$autostart"
    echo "Removed the start-at-login entry."
fi

applications=$data_home/applications
cache=$applications/mimeinfo.cache
# install.sh leaves this mark in the app's folder when it made the desktop's MIME cache.
cache_ours=no
if [ -e "$app_dir/.made-mimeinfo-cache" ]; then
    cache_ours=yes
fi
hicolor=$data_home/icons/hicolor
icon_cache_ours=no
if [ -e "$app_dir/.made-icon-cache" ]; then
    icon_cache_ours=yes
fi

rm -f "$applications/campaign-gui.desktop"
rm -f "$data_home"/icons/hicolor/*/apps/campaign-gui.png "$data_home/icons/hicolor/scalable/apps/campaign-gui.svg"
rm -f "$data_home/metainfo/org.campaigncompanion.campaign_gui.metainfo.xml"
if [ -L "$bin_link" ]; then
    rm -f "$bin_link"
fi
rm -rf "$app_dir"

# The MIME cache must not name the entry just removed: removed if install.sh made it and no other
# menu entry is left; otherwise rebuilt by the desktop's tool or, without it, our lines taken out.
if [ -f "$cache" ]; then
    if [ "$cache_ours" = yes ] && [ -z "$(find "$applications" -name '*.desktop' | head -n 1)" ]; then
        rm -f "$cache"
    elif command -v update-desktop-database > /dev/null 2>&1; then
        update-desktop-database -q "$applications" || true
    else
        sed -e 's/\([=;]\)campaign-gui\.desktop;/\1/g' -e 's/\([=;]\)campaign-gui\.desktop$/\1/' \
            -e '/^[^[]*=$/d' "$cache" > "$cache.tmp" && mv "$cache.tmp" "$cache"
    fi
fi
# The icon cache, likewise: removed if install.sh made it and no other icon is left; otherwise
# rebuilt by the tool (without it, GTK sees the folder changed after the cache and ignores it).
if [ -f "$hicolor/icon-theme.cache" ] && [ "$icon_cache_ours" = yes ] &&
    [ -z "$(find "$hicolor" -type f ! -name icon-theme.cache | head -n 1)" ]; then
    rm -f "$hicolor/icon-theme.cache"
elif command -v gtk-update-icon-cache > /dev/null 2>&1; then
    gtk-update-icon-cache -q -t "$hicolor" 2> /dev/null || true
fi
echo "Campaign Companion is uninstalled."

if [ ! -e "$user_data" ] && [ ! -e "$user_config" ]; then
    exit 0
fi
if [ "$data_choice" = ask ]; then
    data_choice=keep
    if [ -t 0 ]; then
        printf 'Also delete your data and settings (%s, %s)? This cannot be undone. [y/N] ' \
            "$user_data" "$user_config"
        read -r answer || answer=
        case $answer in
            [yY]*) data_choice=delete ;;
        esac
    fi
fi
if [ "$data_choice" = delete ]; then
    rm -rf "$user_data" "$user_config"
    echo "Your data and settings are deleted."
else
    echo "Your data and settings are kept in $user_data and $user_config."
fi
