"""The frozen app against the one in the virtual environment: sizes, and the time to a window.

    .venv/bin/python packaging/build.py        # first: dist/campaign-gui/ and the installers
    .venv/bin/python benchmarks/frozen.py [--runs 7]

Sizes: the folder, the Linux tarball, the NSIS installer built against it, and the ten biggest
contributors to the folder. Start-up: from the process start to its main window being mapped on a
virtual screen (Xvfb, seen with xdotool), for the frozen app and for the venv's `campaign-gui`,
each in its own fresh data dir, alternately, in the same run; the figure is the ratio of medians.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FOLDER = ROOT / "dist" / "campaign-gui"


def mb(size: int) -> str:
    return f"{size / 1e6:.1f} MB"


def sizes() -> None:
    files = [p for p in FOLDER.rglob("*") if p.is_file() and not p.is_symlink()]
    print(f"frozen folder: {mb(sum(p.stat().st_size for p in files))} in {len(files)} files")
    for pattern in ("campaign-gui-*-linux-*.tar.xz", "nsis-standin/*-setup.exe"):
        for found in [*ROOT.joinpath("dist").glob(pattern), *ROOT.joinpath("build").glob(pattern)]:
            print(f"{found.name}: {mb(found.stat().st_size)}")
    internal = FOLDER / "_internal"
    by_part: Counter[str] = Counter()
    for path in files:
        relative = path.relative_to(internal if internal in path.parents else FOLDER)
        part = relative.parts[0] if len(relative.parts) > 1 else relative.name
        if part in ("PySide6", "numpy", "babel") and len(relative.parts) > 2:
            part = "/".join(relative.parts[:2])
        by_part[part] += path.stat().st_size
    print("ten biggest contributors:")
    for part, size in by_part.most_common(10):
        print(f"  {mb(size):>9}  {part}")


def time_to_window(command: list[str], display: str) -> float:
    base = Path(tempfile.mkdtemp(prefix="frozen-bench-"))
    env = {**os.environ, "DISPLAY": display}
    env.pop("QT_QPA_PLATFORM", None)
    start = time.perf_counter()
    app = subprocess.Popen(
        [*command, "--data-dir", str(base / "d"), "--config-dir", str(base / "c")],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        subprocess.run(
            ["xdotool", "search", "--sync", "--onlyvisible", "--name", "Campaign Companion"],
            env=env,
            check=True,
            stdout=subprocess.DEVNULL,
            timeout=60,
        )
        return time.perf_counter() - start
    finally:
        app.kill()
        app.wait()
        shutil.rmtree(base, ignore_errors=True)


def start_up(runs: int) -> None:
    if not (shutil.which("Xvfb") and shutil.which("xdotool")):
        print("start-up: skipped (needs Xvfb and xdotool: apt-get install xvfb xdotool)")
        return
    display = ":97"
    screen = subprocess.Popen(["Xvfb", display, "-screen", "0", "1366x768x24", "-nolisten", "tcp"])
    try:
        time.sleep(1)
        frozen = [str(FOLDER / "campaign-gui")]
        venv = [str(Path(sys.executable).with_name("campaign-gui"))]
        times: dict[str, list[float]] = {"venv": [], "frozen": []}
        time_to_window(venv, display)  # warm the disk cache for both, unmeasured
        time_to_window(frozen, display)
        for _ in range(runs):
            times["venv"].append(time_to_window(venv, display))
            times["frozen"].append(time_to_window(frozen, display))
    finally:
        screen.kill()
        screen.wait()
    venv_median = statistics.median(times["venv"])
    frozen_median = statistics.median(times["frozen"])
    print(f"window mapped, venv app (baseline): {venv_median * 1000:.0f} ms (median of {runs})")
    print(
        f"window mapped, frozen app: {frozen_median * 1000:.0f} ms, "
        f"{frozen_median / venv_median:.2f} x the venv app"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    if not (FOLDER / "campaign-gui").exists():
        print("no dist/campaign-gui: run packaging/build.py first", file=sys.stderr)
        return 1
    sizes()
    start_up(args.runs)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
