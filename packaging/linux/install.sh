#!/bin/sh
# Install Campaign Companion for this user, from the unpacked tarball: no administrator rights.
#
#   ./install.sh
#
# Puts the app in ~/.local/lib/campaign-gui (replacing an older version: your data and settings,
# kept in ~/.local/share/CampaignCompanion and ~/.config/CampaignCompanion, are not touched), a
# command in ~/.local/bin, the menu entry, its icons and the AppStream metadata under
# ~/.local/share. A start-at-login entry made by an earlier copy of the app is pointed at the
# installed one. ./uninstall.sh (also copied beside the app) takes it all away again.
set -eu

here=$(CDPATH='' cd -- "$(dirname -- "$0")" && pwd)
data_home=${XDG_DATA_HOME:-$HOME/.local/share}
config_home=${XDG_CONFIG_HOME:-$HOME/.config}
lib_dir=$HOME/.local/lib
bin_dir=$HOME/.local/bin
app_dir=$lib_dir/campaign-gui
app=$app_dir/campaign-gui

if [ ! -x "$here/campaign-gui/campaign-gui" ]; then
    echo "install.sh: $here/campaign-gui/campaign-gui is missing: unpack the whole tarball first." >&2
    exit 1
fi

# A desktop entry's Exec value: the path in double quotes, with the characters the Desktop Entry
# Specification reserves escaped inside them, then every backslash doubled (a string value), and
# % doubled (a field code otherwise). core/autostart.py writes its entries the same way.
exec_quote() {
    printf '%s' "$1" | sed -e 's/\\/\\\\\\\\/g' -e 's/["`$]/\\\\&/g' -e 's/%/%%/g' -e 's/^/"/' -e 's/$/"/'
}
# A plain string value (TryExec): only backslashes are escaped.
string_value() {
    printf '%s' "$1" | sed -e 's/\\/\\\\/g'
}

# The desktop's MIME cache (mimeinfo.cache, step 6): whether it is ours to remove when the app is
# uninstalled. Made by this script (absent before, or made by an earlier install: the mark is kept
# in the app's folder), uninstall.sh removes it once no other menu entry is listed there.
cache=$data_home/applications/mimeinfo.cache
cache_mark=.made-mimeinfo-cache
if [ -e "$app_dir/$cache_mark" ] || [ ! -e "$cache" ]; then
    cache_ours=yes
else
    cache_ours=no
fi
# The same for the icon theme's cache (icon-theme.cache, made by gtk-update-icon-cache).
icon_cache=$data_home/icons/hicolor/icon-theme.cache
icon_cache_mark=.made-icon-cache
if [ -e "$app_dir/$icon_cache_mark" ] || [ ! -e "$icon_cache" ]; then
    icon_cache_ours=yes
else
    icon_cache_ours=no
fi

# 1. The app: copied beside the old one, then swapped in, so a failed copy leaves the old one.
mkdir -p "$lib_dir"
rm -rf "$app_dir.new"
cp -R "$here/campaign-gui" "$app_dir.new"
cp "$here/uninstall.sh" "$app_dir.new/uninstall.sh"
chmod +x "$app_dir.new/uninstall.sh"
rm -rf "$app_dir.old"
if [ -e "$app_dir" ]; then
    mv "$app_dir" "$app_dir.old"
fi
mv "$app_dir.new" "$app_dir"
rm -rf "$app_dir.old"

# 2. The command.
mkdir -p "$bin_dir"
ln -sf "$app" "$bin_dir/campaign-gui"

# 3. The menu entry, started from where the app now is.
mkdir -p "$data_home/applications"
exec_value=$(exec_quote "$app")
try_exec=$(string_value "$app")
while IFS= read -r line || [ -n "$line" ]; do
    case $line in
        Exec=*) printf 'Exec=%s\n' "$exec_value" ;;
        TryExec=*) printf 'TryExec=%s\n' "$try_exec" ;;
        *) printf '%s\n' "$line" ;;
    esac
done < "$here/share/applications/campaign-gui.desktop" > "$data_home/applications/campaign-gui.desktop"

# 4. The icons and the metadata.
mkdir -p "$data_home/icons" "$data_home/metainfo"
cp -R "$here/share/icons/hicolor" "$data_home/icons/"
cp "$here"/share/metainfo/*.metainfo.xml "$data_home/metainfo/"

# 5. A start-at-login entry the app made while it ran from somewhere else (the unpacked tarball,
#    say) now starts the installed app, with the same options.
autostart=$config_home/autostart/campaign-gui.desktop
if [ -f "$autostart" ]; then
    program=$(sed -n 's/^Exec=\("\([^"\\]\|\\.\)*"\|[^ ]*\).*/\1/p' "$autostart" | head -n 1)
    case $program in
        *campaign-gui | *campaign-gui\") # a frozen app, not a developer's "python -m campaign_gui"
            tmp=$autostart.tmp
            while IFS= read -r line || [ -n "$line" ]; do
                case $line in
                    Exec=*) printf 'Exec=%s%s\n' "$exec_value" "${line#"Exec=$program"}" ;;
                    *) printf '%s\n' "$line" ;;
                esac
            done < "$autostart" > "$tmp"
            mv "$tmp" "$autostart"
            echo "The start-at-login entry now starts $app."
            ;;
    esac
fi

# 6. Let the desktop see the new entry and icons (where these tools are installed).
if command -v update-desktop-database > /dev/null 2>&1; then
    update-desktop-database -q "$data_home/applications" || true
fi
if [ "$cache_ours" = yes ] && [ -e "$cache" ]; then
    : > "$app_dir/$cache_mark"
fi
if command -v gtk-update-icon-cache > /dev/null 2>&1; then
    gtk-update-icon-cache -q -t "$data_home/icons/hicolor" 2> /dev/null || true
fi
if [ "$icon_cache_ours" = yes ] && [ -e "$icon_cache" ]; then
    : > "$app_dir/$icon_cache_mark"
fi

echo "Campaign Companion is installed in $app_dir."
echo "Start it from your applications menu, or with: $bin_dir/campaign-gui"
case ":$PATH:" in
    *":$bin_dir:"*) ;;
    *) echo "($bin_dir is not on your PATH yet: it usually is after you log in again.)" ;;
esac
echo "To uninstall: $app_dir/uninstall.sh"
