"""The Linux tarball's install.sh and uninstall.sh, run in a home under tmp_path: uninstalling
leaves the desktop's MIME cache (mimeinfo.cache) and the icon cache (icon-theme.cache) as if the
app had never been installed."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DESKTOP_TOOLS = ("update-desktop-database", "gtk-update-icon-cache")

pytestmark = pytest.mark.skipif(
    not shutil.which("sh") or os.name == "nt", reason="POSIX shell scripts"
)

# A stand-in for update-desktop-database: records its call and rebuilds the cache from the
# MimeType lines of the entries in the folder, as the real tool does.
STUB = """#!/bin/sh
for arg; do dir=$arg; done
echo "$*" >> "$(dirname "$0")/calls"
{
    echo '[MIME Cache]'
    for entry in "$dir"/*.desktop; do
        [ -f "$entry" ] || continue
        sed -n 's/^MimeType=//p' "$entry" | tr ';' '\\n' | while read -r type; do
            [ -n "$type" ] && echo "$type=$(basename "$entry");"
        done
    done
} > "$dir/mimeinfo.cache"
"""
OTHER_APP = "[Desktop Entry]\nType=Application\nName=Sheets\nExec=sheets\nMimeType=text/csv;\n"


@pytest.fixture
def tarball(tmp_path: Path) -> Path:
    """An unpacked tarball as packaging/build.py lays it out, with a stand-in program."""
    root = tmp_path / "tarball"
    app = root / "campaign-gui"
    app.mkdir(parents=True)
    (app / "campaign-gui").write_text("#!/bin/sh\nexit 0\n", encoding="utf-8")
    (app / "campaign-gui").chmod(0o755)
    for script in ("install.sh", "uninstall.sh"):
        shutil.copy2(ROOT / "packaging" / "linux" / script, root / script)
    share = root / "share"
    (share / "applications").mkdir(parents=True)
    shutil.copy(ROOT / "resources" / "linux" / "campaign-gui.desktop", share / "applications")
    (share / "metainfo").mkdir()
    shutil.copy(
        ROOT / "resources" / "linux" / "org.campaigncompanion.campaign_gui.metainfo.xml",
        share / "metainfo",
    )
    icons = share / "icons" / "hicolor"
    (icons / "48x48" / "apps").mkdir(parents=True)
    (icons / "48x48" / "apps" / "campaign-gui.png").write_bytes(b"\x89PNG")
    (icons / "scalable" / "apps").mkdir(parents=True)
    (icons / "scalable" / "apps" / "campaign-gui.svg").write_text("<svg/>", encoding="utf-8")
    return root


@pytest.fixture
def home(tmp_path: Path) -> Path:
    return tmp_path / "home"


@pytest.fixture
def system_bin(tmp_path: Path) -> Path:
    """This machine's commands, without the desktop's cache tools (whether installed or not)."""
    folder = tmp_path / "system-bin"
    folder.mkdir()
    for directory in os.environ.get("PATH", "").split(os.pathsep):
        if not directory or not Path(directory).is_dir():
            continue
        for entry in os.scandir(directory):
            name = entry.name
            if name in DESKTOP_TOOLS or (folder / name).exists() or (folder / name).is_symlink():
                continue
            if entry.is_file() and os.access(entry.path, os.X_OK):
                (folder / name).symlink_to(entry.path)
    return folder


@pytest.fixture
def stub_bin(tmp_path: Path) -> Path:
    folder = tmp_path / "stub-bin"
    folder.mkdir()
    tool = folder / "update-desktop-database"
    tool.write_text(STUB, encoding="utf-8")
    tool.chmod(0o755)
    return folder


def _run(script: Path, home: Path, path: list[Path], *args: str) -> None:
    env = {
        "HOME": str(home),
        "XDG_DATA_HOME": str(home / ".local" / "share"),
        "XDG_CONFIG_HOME": str(home / ".config"),
        "PATH": os.pathsep.join(str(p) for p in path),
        "LC_ALL": "C",
    }
    result = subprocess.run(
        ["sh", str(script), *args], env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr


def _cache(home: Path) -> Path:
    return home / ".local" / "share" / "applications" / "mimeinfo.cache"


@pytest.mark.parametrize("tool_at_uninstall", [True, False], ids=["tool", "no-tool"])
def test_uninstall_removes_the_mime_cache_that_install_made(
    tarball, home, system_bin, stub_bin, tool_at_uninstall
):
    _run(tarball / "install.sh", home, [stub_bin, system_bin])
    assert (stub_bin / "calls").exists()
    assert _cache(home).exists()
    uninstall = home / ".local" / "lib" / "campaign-gui" / "uninstall.sh"
    assert uninstall.exists()
    path = [stub_bin, system_bin] if tool_at_uninstall else [system_bin]
    _run(uninstall, home, path, "--keep-data")
    assert not _cache(home).exists()
    assert not (home / ".local" / "share" / "applications" / "campaign-gui.desktop").exists()


def test_a_reinstall_remembers_that_install_made_the_mime_cache(
    tarball, home, system_bin, stub_bin
):
    for _time in range(2):
        _run(tarball / "install.sh", home, [stub_bin, system_bin])
    _run(
        home / ".local" / "lib" / "campaign-gui" / "uninstall.sh", home, [system_bin], "--keep-data"
    )
    assert not _cache(home).exists()


def test_uninstall_without_the_tool_takes_its_entries_out_of_a_shared_mime_cache(
    tarball, home, system_bin
):
    applications = home / ".local" / "share" / "applications"
    applications.mkdir(parents=True)
    (applications / "sheets.desktop").write_text(OTHER_APP, encoding="utf-8")
    # Made by the desktop before; it names our entry (an older version registered a type).
    _cache(home).write_text(
        "[MIME Cache]\n"
        "text/csv=sheets.desktop;campaign-gui.desktop;\n"
        "x-scheme-handler/campaign=campaign-gui.desktop;\n"
        "text/x-campaign-gui.desktop=sheets.desktop;\n",
        encoding="utf-8",
    )
    _run(tarball / "install.sh", home, [system_bin])
    _run(
        home / ".local" / "lib" / "campaign-gui" / "uninstall.sh", home, [system_bin], "--keep-data"
    )
    assert _cache(home).read_text(encoding="utf-8") == (
        "[MIME Cache]\ntext/csv=sheets.desktop;\ntext/x-campaign-gui.desktop=sheets.desktop;\n"
    )
    assert (applications / "sheets.desktop").exists()


def test_uninstall_keeps_the_mime_cache_it_made_once_other_entries_use_it(
    tarball, home, system_bin, stub_bin
):
    _run(tarball / "install.sh", home, [stub_bin, system_bin])
    applications = home / ".local" / "share" / "applications"
    (applications / "sheets.desktop").write_text(OTHER_APP, encoding="utf-8")
    # Another app was installed since, and its tool listed both entries for a type.
    _cache(home).write_text(
        "[MIME Cache]\ntext/csv=campaign-gui.desktop;sheets.desktop;\n", encoding="utf-8"
    )
    uninstall = home / ".local" / "lib" / "campaign-gui" / "uninstall.sh"
    _run(uninstall, home, [system_bin], "--keep-data")
    assert _cache(home).read_text(encoding="utf-8") == "[MIME Cache]\ntext/csv=sheets.desktop;\n"


# A stand-in for gtk-update-icon-cache: writes the cache of the folder it is given.
ICON_STUB = """#!/bin/sh
for arg; do dir=$arg; done
find "$dir" -type f ! -name icon-theme.cache > "$dir/icon-theme.cache"
"""


@pytest.fixture
def icon_tool(stub_bin: Path) -> Path:
    tool = stub_bin / "gtk-update-icon-cache"
    tool.write_text(ICON_STUB, encoding="utf-8")
    tool.chmod(0o755)
    return tool


@pytest.mark.parametrize("tool_at_uninstall", [True, False], ids=["tool", "no-tool"])
def test_uninstall_removes_the_icon_cache_that_install_made(
    tarball, home, system_bin, stub_bin, icon_tool, tool_at_uninstall
):
    _run(tarball / "install.sh", home, [stub_bin, system_bin])
    cache = home / ".local" / "share" / "icons" / "hicolor" / "icon-theme.cache"
    assert "campaign-gui" in cache.read_text(encoding="utf-8")
    uninstall = home / ".local" / "lib" / "campaign-gui" / "uninstall.sh"
    path = [stub_bin, system_bin] if tool_at_uninstall else [system_bin]
    _run(uninstall, home, path, "--keep-data")
    assert not cache.exists()


def test_uninstall_keeps_an_icon_cache_other_icons_use(
    tarball, home, system_bin, stub_bin, icon_tool
):
    other = home / ".local" / "share" / "icons" / "hicolor" / "48x48" / "apps" / "sheets.png"
    other.parent.mkdir(parents=True)
    other.write_bytes(b"\x89PNG")
    _run(icon_tool, home, [system_bin], str(other.parents[2]))  # another app's cache, made before
    _run(tarball / "install.sh", home, [stub_bin, system_bin])
    _run(home / ".local" / "lib" / "campaign-gui" / "uninstall.sh", home, [stub_bin, system_bin])
    cache = other.parents[2] / "icon-theme.cache"
    assert cache.exists() and "campaign-gui" not in cache.read_text(encoding="utf-8")
