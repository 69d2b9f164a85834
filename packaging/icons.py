"""Render the app icon from its one SVG master into what each platform's package needs.

    python packaging/icons.py [OUT_DIR]        # default: build/icons

Writes, into OUT_DIR (a build product, not committed):

- ``png/app-<N>.png``: the SVG drawn by Qt's own renderer at every size from 16 to 1024 px;
- ``campaign-gui.ico``: 16-256 px, each size drawn from the SVG, not scaled down from a big one;
- ``app.iconset/`` and ``campaign-gui.icns``: Apple's iconset names, then the ``.icns`` from them;
- ``hicolor/<N>x<N>/apps/campaign-gui.png`` and ``hicolor/scalable/apps/campaign-gui.svg``: the
  freedesktop icon theme sizes, installed under ``~/.local/share/icons`` by the Linux tarball;
- ``installer-welcome.bmp``: the NSIS welcome and finish pages' side picture (164 x 314).

The icon name is ``campaign-gui``, the name the app gives its desktop entry
(``setDesktopFileName``) and its autostart entry (``Icon=campaign-gui``).
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SVG = ROOT / "campaign_gui" / "resources" / "icons" / "app.svg"
ICON_NAME = "campaign-gui"

PNG_SIZES = (16, 20, 22, 24, 32, 40, 48, 64, 96, 128, 256, 512, 1024)
ICO_SIZES = (16, 20, 24, 32, 40, 48, 64, 96, 128, 256)
HICOLOR_SIZES = (16, 22, 24, 32, 48, 64, 128, 256, 512)
# Apple's iconset: each point size at 1x and 2x (icnsutil maps the names to the icns types).
ICONSET = {
    "icon_16x16.png": 16,
    "icon_16x16@2x.png": 32,
    "icon_32x32.png": 32,
    "icon_32x32@2x.png": 64,
    "icon_128x128.png": 128,
    "icon_128x128@2x.png": 256,
    "icon_256x256.png": 256,
    "icon_256x256@2x.png": 512,
    "icon_512x512.png": 512,
    "icon_512x512@2x.png": 1024,
}
WELCOME_SIZE = (164, 314)  # MUI2's MUI_WELCOMEFINISHPAGE_BITMAP


def render_pngs(svg: Path, out: Path, sizes: tuple[int, ...] = PNG_SIZES) -> dict[int, Path]:
    """Draw ``svg`` at each size with Qt's SVG renderer (offscreen, no display needed)."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QGuiApplication, QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    _app = QGuiApplication.instance() or QGuiApplication([sys.argv[0]])
    renderer = QSvgRenderer(str(svg))
    if not renderer.isValid():
        raise SystemExit(f"{svg}: Qt cannot read this SVG")
    out.mkdir(parents=True, exist_ok=True)
    written = {}
    for size in sizes:
        image = QImage(size, size, QImage.Format.Format_ARGB32)
        image.fill(Qt.GlobalColor.transparent)
        painter = QPainter(image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        renderer.render(painter)
        painter.end()
        path = out / f"app-{size}.png"
        if not image.save(str(path), "PNG"):
            raise SystemExit(f"could not write {path}")
        written[size] = path
    return written


def write_ico(pngs: dict[int, Path], target: Path) -> Path:
    from PIL import Image

    images = [Image.open(pngs[size]).convert("RGBA") for size in ICO_SIZES]
    largest = images[-1]
    # Pillow writes one entry per size, taking each from append_images when its size matches.
    largest.save(
        target,
        format="ICO",
        sizes=[(size, size) for size in ICO_SIZES],
        append_images=images[:-1],
    )
    with Image.open(target) as check:
        found = sorted(check.info["sizes"])
    if found != sorted((size, size) for size in ICO_SIZES):
        raise SystemExit(f"{target}: sizes {found}, expected {ICO_SIZES}")
    return target


def write_icns(pngs: dict[int, Path], iconset: Path, target: Path) -> Path:
    from icnsutil import IcnsFile

    iconset.mkdir(parents=True, exist_ok=True)
    icns = IcnsFile()
    for name, size in ICONSET.items():
        shutil.copyfile(pngs[size], iconset / name)
        icns.add_media(file=str(iconset / name))  # the @2x suffix marks the retina types
    icns.write(str(target), toc=True)
    problems = list(IcnsFile.verify(str(target)))
    if problems:
        raise SystemExit(f"{target}: " + "; ".join(problems))
    return target


def write_hicolor(svg: Path, pngs: dict[int, Path], theme: Path) -> Path:
    for size in HICOLOR_SIZES:
        folder = theme / f"{size}x{size}" / "apps"
        folder.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(pngs[size], folder / f"{ICON_NAME}.png")
    scalable = theme / "scalable" / "apps"
    scalable.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(svg, scalable / f"{ICON_NAME}.svg")
    return theme


def write_welcome_bitmap(pngs: dict[int, Path], target: Path) -> Path:
    """The installer's side picture: the icon on a pale tint of its blue, as a 24-bit BMP."""
    from PIL import Image

    side = Image.new("RGB", WELCOME_SIZE, "#E5F1F8")
    with Image.open(pngs[128]) as icon:
        icon = icon.convert("RGBA")
        side.paste(icon, ((WELCOME_SIZE[0] - 128) // 2, 48), icon)
    side.save(target, format="BMP")
    return target


def make_icons(out: Path, svg: Path = SVG) -> dict[str, Path]:
    out = Path(out)
    pngs = render_pngs(svg, out / "png")
    return {
        "png": out / "png",
        "ico": write_ico(pngs, out / f"{ICON_NAME}.ico"),
        "icns": write_icns(pngs, out / "app.iconset", out / f"{ICON_NAME}.icns"),
        "hicolor": write_hicolor(svg, pngs, out / "hicolor"),
        "welcome": write_welcome_bitmap(pngs, out / "installer-welcome.bmp"),
    }


def main(argv: list[str]) -> int:
    out = Path(argv[0]) if argv else ROOT / "build" / "icons"
    for kind, path in make_icons(out).items():
        print(f"{kind:8} {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
