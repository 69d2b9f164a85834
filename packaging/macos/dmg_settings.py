"""dmgbuild settings: the app beside a link to Applications, to drag it onto.

build.py calls ``dmgbuild.build_dmg(..., settings_file=this, defines={"app": ..., "icon": ...})``;
dmgbuild runs this file with ``defines`` set, and reads the names below.
"""

from pathlib import Path

application = defines["app"]  # noqa: F821 - given by dmgbuild
app_name = Path(application).name

# LZMA-compressed (hdiutil's ULMO, macOS 10.15 and later): the smallest download.
format = "ULMO"  # dmgbuild's setting name, not the builtin
filesystem = "HFS+"
files = [application]
symlinks = {"Applications": "/Applications"}
icon = defines.get("icon")  # noqa: F821 - the volume's icon
hide_extension = [app_name]

default_view = "icon-view"
show_status_bar = False
show_tab_view = False
show_toolbar = False
show_pathbar = False
show_sidebar = False
window_rect = ((200, 120), (560, 320))
icon_size = 128
text_size = 13
icon_locations = {app_name: (140, 150), "Applications": (420, 150)}
