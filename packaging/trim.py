"""What the frozen app leaves out, in named groups, so each can be measured and put back.

The spec applies every group; ``CAMPAIGN_GUI_KEEP=group,group`` (or ``build.py --keep``) keeps
some, to measure what a group saves or to find which one broke something. Savings measured on
Linux x86_64 with PyInstaller 6.22, PySide6 6.11.3, numpy 2.4.6, Babel 2.19 (``packaging/README.md``
has the table). What must never go:

- ``PySide6.QtOpenGL``/``QtOpenGLWidgets``: pyqtgraph imports them; without them the window opens
  and the graph is a traceback.
- ``PySide6.QtDBus`` on Linux: ``ui/tray.py`` asks the session bus how notifications are shown.
- ``numpy.linalg`` (and OpenBLAS with it): ``numpy.lib`` imports it on every ``import numpy``;
  ``numpy.typing``: pyqtgraph's ``ImageItem`` imports it.
- Babel's ``root``, ``ar``, ``ar_MA``, ``en``, ``fr`` and ``global.dat``: the app formats in
  ``ar_MA``, ``fr`` and ``en`` (``core/i18n.py``'s ``BABEL_LOCALES``), and each inherits from its
  language and ``root``.
- No stripping: ``strip`` breaks numpy's OpenBLAS.
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Callable, Iterable
from pathlib import Path, PurePath

Entry = tuple[str, str, str]  # PyInstaller's TOC entry: (name in the bundle, source, kind)

GROUPS = (
    "babel-locales",
    "qt-translations",
    "numpy-subpackages",
    "qt-modules",
    "qt-plugins",
    "gtk3-theme",
    "python-debug-info",
)

BABEL_LOCALES = ("root", "ar", "ar_MA", "en", "fr")
QT_TRANSLATIONS = ("qtbase_ar.qm", "qtbase_fr.qm", "qtbase_en.qm")

# numpy imports these lazily (``numpy.__getattr__``); neither the app nor the parts of pyqtgraph
# it uses touch them (the plot's menu, whose FFT item needs numpy.fft, is turned off).
NUMPY_SUBPACKAGES = (
    "numpy.random",
    "numpy.fft",
    "numpy.polynomial",
    "numpy.ma",
    "numpy.f2py",
    "numpy.testing",
    "numpy.distutils",
    "numpy.matlib",
    "numpy._core._multiarray_tests",
    "numpy.conftest",
)

# pyqtgraph imports QtTest inside a try (for qWait, which the app never calls).
UNUSED_QT_MODULES = ("PySide6.QtTest",) + (
    () if sys.platform.startswith("linux") else ("PySide6.QtDBus",)
)

# Qt plugins, by folder, as file stems without "lib" (libqjpeg.so, qjpeg.dll, libqjpeg.dylib).
# Kept: platforms xcb, wayland, offscreen (the self-check on a server), windows, cocoa; the SVG
# image and icon engines; input contexts (ibus and compose: typing Arabic); the portal theme
# (file dialogs); Wayland's xdg-shell, decorations and EGL; xcb's GL integrations; styles.
UNUSED_QT_PLUGINS = {
    "platforms": (
        "qlinuxfb", "qvnc", "qvkkhrdisplay", "qeglfs", "qminimalegl", "qminimal", "qdirect2d",
    ),
    "imageformats": ("qjpeg", "qwebp", "qtiff", "qgif", "qicns", "qwbmp", "qtga", "qpdf"),
    "egldeviceintegrations": "*",  # eglfs, which is not kept
    "generic": "*",  # evdev and tuio touch input, for eglfs/linuxfb
    "networkinformation": "*",  # QtNetwork is used for the single-instance local socket only
    "tls": "*",
    "wayland-shell-integration": (
        "ivi-shell", "fullscreen-shell-v1", "wl-shell-plugin", "qt-shell",
    ),
    "wayland-graphics-integration-client": (
        "vulkan-server", "shm-emulation-server", "drm-egl-server", "dmabuf-server",
    ),
}  # fmt: skip
GTK3_THEME = {"platformthemes": ("qgtk3",)}


def kept_groups(environ: dict[str, str] | None = None) -> frozenset[str]:
    """The groups ``CAMPAIGN_GUI_KEEP`` asks to keep (comma-separated names, or ``all``)."""
    value = (os.environ if environ is None else environ).get("CAMPAIGN_GUI_KEEP", "")
    names = {name.strip() for name in value.split(",") if name.strip()}
    if "all" in names:
        return frozenset(GROUPS)
    unknown = names - set(GROUPS)
    if unknown:
        raise SystemExit(f"CAMPAIGN_GUI_KEEP: unknown {sorted(unknown)}; groups are {GROUPS}")
    return frozenset(names)


# Installed only for the tests. keyrings.alt in particular becomes keyring's default backend
# wherever it is importable and keeps secrets in a plain file: it must never ship.
TEST_ONLY_MODULES = [
    "keyrings.alt",
    "pytest_httpserver",
    "werkzeug",
    "pytest",
    "_pytest",
    "hypothesis",
]


# Reached only through optional imports the app never takes: httpx imports its command line
# (rich, pygments, click) inside a try, and pygments' image formatter pulls in Pillow (20 MB).
# Pillow is a build tool here (the icons), never needed at run time.
NEVER_USED_MODULES = ["httpx._main", "rich", "pygments", "click", "PIL", "markdown_it"]


def excluded_modules(keep: frozenset[str]) -> list[str]:
    """For Analysis(excludes=...): modules never collected, nor what only they import."""
    modules: list[str] = list(TEST_ONLY_MODULES) + NEVER_USED_MODULES
    if "numpy-subpackages" not in keep:
        modules += NUMPY_SUBPACKAGES
    if "qt-modules" not in keep:
        modules += UNUSED_QT_MODULES
    return modules


def _parts(name: str) -> tuple[str, ...]:
    return PurePath(name.replace("\\", "/")).parts


def is_unused_babel_locale(name: str) -> bool:
    parts = _parts(name)
    if parts[:2] != ("babel", "locale-data") or len(parts) != 3:
        return False
    return parts[2].endswith(".dat") and parts[2][: -len(".dat")] not in BABEL_LOCALES


def is_unused_qt_translation(name: str) -> bool:
    parts = _parts(name)
    return (
        len(parts) >= 2
        and parts[-2] == "translations"
        and "PySide6" in parts
        and parts[-1].endswith(".qm")
        and parts[-1] not in QT_TRANSLATIONS
    )


def _plugin_stem(filename: str) -> str:
    stem = re.sub(r"\.(so|dll|dylib)$", "", filename)
    return stem[3:] if stem.startswith("lib") else stem


def plugin_matcher(table: dict[str, object]) -> Callable[[str], bool]:
    def matches(name: str) -> bool:
        parts = _parts(name)
        if "plugins" not in parts or "PySide6" not in parts or len(parts) < 2:
            return False
        stems = table.get(parts[-2])
        if stems is None:
            return False
        return stems == "*" or _plugin_stem(parts[-1]) in stems  # type: ignore[operator]

    return matches


def split(entries: Iterable[Entry], drop: Callable[[str], bool]) -> tuple[list[Entry], list[Entry]]:
    kept, dropped = [], []
    for entry in entries:
        (dropped if drop(entry[0]) else kept).append(entry)
    return kept, dropped


def orphans(
    kept: list[Entry],
    dropped: list[Entry],
    imports_of: Callable[[str], Iterable[tuple[str, str | None]]],
) -> set[str]:
    """Shared libraries (by file name) that only ``dropped`` binaries need.

    PyInstaller collects each plugin's libraries as it analyses the plugin; taking the plugin out
    afterwards leaves them behind. A library is an orphan if a dropped binary needs it and no kept
    binary does, directly or through another library.
    """

    def closure(sources: Iterable[str]) -> set[str]:
        seen: set[str] = set()
        stack = list(sources)
        while stack:
            source = stack.pop()
            if source in seen:
                continue
            seen.add(source)
            stack.extend(full for _name, full in imports_of(source) if full)
        return seen

    dropped_needs = {Path(p).name for p in closure(_files(dropped))}
    candidates = [entry for entry in kept if Path(entry[0]).name in dropped_needs]
    roots = _files(entry for entry in kept if entry not in candidates)
    kept_needs = {Path(p).name for p in closure(roots)}
    return {Path(name).name for name, _s, _k in candidates} - kept_needs - {_python_library()}


def _files(entries: Iterable[Entry]) -> list[str]:
    """The sources of the real binaries (not the symlinks PyInstaller also lists)."""
    return [source for _name, source, kind in entries if kind in ("BINARY", "EXTENSION")]


def _python_library() -> str:
    """libpython: loaded by the bootloader, not linked by anything, never an orphan."""
    version = f"{sys.version_info.major}.{sys.version_info.minor}"
    if sys.platform == "win32":
        return f"python{version.replace('.', '')}.dll"
    if sys.platform == "darwin":
        return "Python"
    return f"libpython{version}.so.1.0"


def size_of(entries: Iterable[Entry]) -> int:
    """Bytes of the files behind ``entries`` (symlinks and missing files count nothing)."""
    return sum(
        path.stat().st_size
        for _name, source, kind in entries
        if kind != "SYMLINK" and (path := Path(source)).is_file()
    )
