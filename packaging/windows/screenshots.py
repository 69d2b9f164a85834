"""Screenshots of every page of the Windows installer, in Darija, French and English, taken under
Wine on a virtual screen: ``docs/installer-<page>-<language>.png``.

    python packaging/windows/screenshots.py [--out docs] [--only fr]

Needs what ``tests/test_windows_installer.py`` needs (Wine, NSIS) plus Xvfb, xdotool and
ImageMagick's ``import`` (Debian: ``xvfb xdotool imagemagick``). The setup is compiled by
``build.py``'s own NSIS step with the stand-in payload of the tests (a program that runs until told
to quit); Wine runs it in a fresh prefix per language, whose locale (``LANG``) picks the pages'
language as Windows' display language does, inside a Wine virtual desktop (so the window has its
title bar). Keys drive it as a user would: Enter for the default button, Escape for Cancel.

Pages: welcome, directory, components, finish; then, with the app still running, a second setup
(an upgrade): progress (waiting for the app to close), close-app (the message), stopped (after
Cancel); then the uninstaller: uninstall-confirm, uninstall-data (the question about the data),
uninstall-finish.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(HERE.parent))
import build  # noqa: E402 - packaging/build.py, the release's own NSIS step

LOCALES = {"ary": "ar_MA.UTF-8", "fr": "fr_FR.UTF-8", "en": "en_US.UTF-8"}
DESKTOP = (760, 520)  # the window in the middle, clear of the desktop's icons
DISPLAY = ":93"
PAUSE = 2.5  # for Wine to draw a page


def stand_in_setups(work: Path) -> tuple[Path, Path]:
    """Setups 0.1.0 and 0.2.0 of the tests' stand-in payload."""
    app = work / "standin.exe"
    subprocess.run(
        ["makensis", "-V2", f"-DOUTFILE={app}", str(ROOT / "tests/windows/standin-app.nsi")],
        check=True,
    )
    icons = work / "icons"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    subprocess.run([sys.executable, str(HERE.parent / "icons.py"), str(icons)], check=True, env=env)
    setups = []
    for version in ("0.1.0", "0.2.0"):
        folder = work / version / "campaign-gui"
        (folder / "_internal").mkdir(parents=True)
        shutil.copy(app, folder / "campaign-gui.exe")
        shutil.copy(app, folder / "campaign-gui-cli.exe")
        (folder / "_internal" / "version.txt").write_text(version, encoding="utf-8")
        outfile = work / f"campaign-gui-{version}-setup.exe"
        build.nsis(version, folder, outfile, icons=icons, work=work / version / "nsis")
        setups.append(outfile)
    return setups[0], setups[1]


class Session:
    """One language: a Wine prefix, its virtual desktop on the Xvfb screen, and the shots."""

    def __init__(self, work: Path, language: str, out: Path) -> None:
        self.language = language
        self.out = out
        self.prefix = work / f"prefix-{language}"
        self.env = {
            **{k: v for k, v in os.environ.items() if not k.startswith("LC_")},
            "DISPLAY": DISPLAY,
            "WINEPREFIX": str(self.prefix),
            "WINEDEBUG": "-all",
            "WINEDLLOVERRIDES": "mscoree,mshtml=",
            "HOME": str(work / f"home-{language}"),
            "LANG": LOCALES[language],
            "LC_ALL": LOCALES[language],
        }
        (work / f"home-{language}").mkdir()
        subprocess.run(["wine", "wineboot", "--init"], env=self.env, check=True)
        subprocess.run(["wineserver", "-w"], env=self.env, check=True)
        users = self.prefix / "drive_c" / "users"
        (self.user,) = (p for p in users.iterdir() if p.name != "Public")

    def start(self, program: str) -> subprocess.Popen[bytes]:
        width, height = DESKTOP
        command = ["wine", "explorer", f"/desktop=shots,{width}x{height}", program]
        return subprocess.Popen(command, env=self.env)

    def shot(self, page: str) -> None:
        time.sleep(PAUSE)
        target = self.out / f"installer-{page}-{self.language}.png"
        subprocess.run(["import", "-window", "root", str(target)], env=self.env, check=True)
        print(target)

    def key(self, name: str) -> None:
        time.sleep(PAUSE)
        subprocess.run(["xdotool", "key", name], env=self.env, check=True)

    def windows(self, path: Path) -> str:
        drive_c = self.prefix / "drive_c"
        if path.is_relative_to(drive_c):
            return "C:\\" + "\\".join(path.relative_to(drive_c).parts)
        return "Z:" + str(path).replace("/", "\\")

    def close(self) -> None:
        subprocess.run(["wineserver", "-k"], env=self.env, check=False)


def shoot(session: Session, old: Path, new: Path) -> None:
    session.start(session.windows(old))
    session.shot("welcome")
    session.key("Return")
    session.shot("directory")
    session.key("Return")
    session.shot("components")
    session.key("Return")  # Install
    session.shot("finish")
    session.key("Return")  # Finish, and the app starts (the box is ticked)
    time.sleep(PAUSE)

    # An upgrade while the app runs: the setup waits for it, then asks.
    session.start(session.windows(new))
    session.key("Return")
    session.key("Return")
    session.key("Return")  # Install
    session.shot("progress")
    time.sleep(10)
    session.shot("close-app")
    session.key("Escape")  # Cancel
    session.shot("stopped")
    session.key("Return")
    (session.user / "Temp" / "campaign-gui-standin.quit").write_text("", encoding="utf-8")
    subprocess.run(["wineserver", "-w"], env=session.env, check=True)

    # The uninstaller, with data to ask about.
    data = session.user / "AppData" / "Local" / "CampaignCompanion" / "CampaignCompanion"
    data.mkdir(parents=True)
    (data / "campaign.sqlite3").write_bytes(b"SQLite format 3\x00")
    installed = session.user / "AppData" / "Local" / "Programs" / "Campaign Companion"
    session.start(session.windows(installed / "uninstall.exe"))
    session.shot("uninstall-confirm")
    session.key("Return")  # Uninstall
    session.shot("uninstall-data")
    session.key("Return")  # No, the default
    session.shot("uninstall-finish")
    session.key("Return")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs")
    parser.add_argument("--only", choices=sorted(LOCALES), action="append")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    width, height = DESKTOP
    screen = subprocess.Popen(
        ["Xvfb", DISPLAY, "-screen", "0", f"{width}x{height}x24", "-nolisten", "tcp"]
    )
    try:
        with tempfile.TemporaryDirectory(prefix="installer-shots-") as temp:
            work = Path(temp)
            old, new = stand_in_setups(work)
            for language in args.only or LOCALES:
                session = Session(work, language, args.out)
                try:
                    shoot(session, old, new)
                finally:
                    session.close()
    finally:
        screen.terminate()
        screen.wait()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
