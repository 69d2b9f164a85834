"""Campaign Companion's performance figures, each as a ratio to a bare baseline from the same run.

    .venv/bin/python benchmarks/run.py [--quick]

Runs on the offscreen Qt platform (Linux or macOS: peak memory comes from getrusage). Absolute
times on shared machines are noise; the ratios are what to compare between runs.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))


def _env() -> dict[str, str]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    env.pop("DISPLAY", None)
    return env


def startup_once(mode: str) -> dict[str, float]:
    """Seconds from process start to each line the child prints."""
    t0 = time.perf_counter()
    child = subprocess.Popen(
        [sys.executable, str(HERE / "startup_child.py"), mode],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env=_env(),
    )
    marks = {}
    assert child.stdout is not None
    for line in child.stdout:
        marks[line.strip()] = time.perf_counter() - t0
    child.wait(timeout=120)
    return marks


def startup(runs: int) -> list[tuple[str, str, str]]:
    results: dict[str, list[dict[str, float]]] = {"bare": [], "pyqtgraph": [], "app": []}
    for _ in range(runs):  # interleaved, so load on the machine affects all three alike
        for mode in results:
            results[mode].append(startup_once(mode))
    bare = statistics.median(r["painted"] for r in results["bare"])
    pg = statistics.median(r["painted"] for r in results["pyqtgraph"])
    app = statistics.median(r["painted"] for r in results["app"])
    loaded = statistics.median(r["loaded"] for r in results["app"])
    return [
        ("start-up: first paint, bare PySide6 window", f"{bare * 1000:.0f} ms", "1.00"),
        (
            "start-up: first paint, bare window + pyqtgraph plot",
            f"{pg * 1000:.0f} ms",
            f"{pg / bare:.2f}",
        ),
        (
            "start-up: first paint, Campaign Companion",
            f"{app * 1000:.0f} ms",
            f"{app / bare:.2f} ({app / pg:.2f} x pyqtgraph)",
        ),
        (
            "start-up: graph drawn with the 2016 data",
            f"{loaded * 1000:.0f} ms",
            f"{loaded / bare:.2f} ({loaded / pg:.2f} x pyqtgraph)",
        ),
    ]


def child_json(script: str, *args: str) -> dict:
    out = subprocess.run(
        [sys.executable, str(HERE / script), *args],
        capture_output=True,
        text=True,
        env=_env(),
        check=True,
        timeout=3600,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def graph(per_target: int) -> list[tuple[str, str, str]]:
    g = child_json("graph_child.py", str(per_target))
    ary = child_json("graph_child.py", str(per_target), "ary")
    bare_rss = child_json("startup_rss_child.py")["peak_rss_mb"]
    base = g["bare_frame_ms_median"]
    return [
        (f"graph: load {g['points']:,} points from the store", f"{g['load_s']:.2f} s", ""),
        ("graph: set data and first draw", f"{g['draw_s'] * 1000:.0f} ms", ""),
        (
            "graph: repaint while zooming/panning in English, median",
            f"{g['frame_ms_median']:.1f} ms",
            f"{g['frame_ms_median'] / base:.2f} x bare 3x1,000-point plot ({base:.1f} ms)",
        ),
        (
            "graph: the same in Darija, median",
            f"{ary['frame_ms_median']:.1f} ms",
            f"{ary['frame_ms_median'] / ary['bare_frame_ms_median']:.2f} x bare plot "
            f"({ary['bare_frame_ms_median']:.1f} ms); "
            f"{ary['frame_ms_median'] / g['frame_ms_median']:.2f} x English",
        ),
        (
            "graph: repaint while zooming/panning, 95th pct",
            f"{g['frame_ms_p95']:.1f} ms",
            f"{g['frame_ms_p95'] / base:.2f}",
        ),
        (
            "graph: peak memory",
            f"{g['peak_rss_mb']:.0f} MB",
            f"{g['peak_rss_mb'] / bare_rss:.2f} x bare pyqtgraph process ({bare_rss:.0f} MB)",
        ),
    ]


def importing(rows_per_target: int) -> list[tuple[str, str, str]]:
    from synthetic import write_csv

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "counts.csv"
        rows = write_csv(path, rows_per_target)
        bare = child_json("import_child.py", "bare", str(path))
        app = child_json("import_child.py", "import", str(path))
    assert app["rows"] == rows == bare["rows"]
    bare_rate = rows / bare["seconds"]
    app_rate = rows / app["seconds"]
    return [
        (f"import: {rows:,}-row CSV, bare csv.reader", f"{bare_rate:,.0f} rows/s", "1.00"),
        (
            f"import: {rows:,}-row CSV into the store",
            f"{app_rate:,.0f} rows/s",
            f"{app_rate / bare_rate:.3f} of bare speed",
        ),
        (
            "import: peak memory",
            f"{app['peak_rss_mb']:.0f} MB",
            f"{app['peak_rss_mb'] / bare['peak_rss_mb']:.2f} x bare ({bare['peak_rss_mb']:.0f} MB)",
        ),
    ]


def idle(seconds: float) -> list[tuple[str, str, str]]:
    """Both idle side by side (2 cores), so the machine's load affects them alike."""
    children = {
        mode: subprocess.Popen(
            [sys.executable, str(HERE / "idle_child.py"), mode, str(seconds)],
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
            env=_env(),
        )
        for mode in ("bare", "app")
    }
    result = {m: json.loads(c.communicate(timeout=seconds + 120)[0]) for m, c in children.items()}
    bare, app = result["bare"]["cpu_s"], result["app"]["cpu_s"]
    return [
        (f"idle {seconds:.0f} s: bare Qt app, CPU", f"{bare * 1000:.1f} ms", "1.00"),
        (
            f"idle {seconds:.0f} s: Campaign Companion, window hidden, CPU",
            f"{app * 1000:.1f} ms",
            f"{app / bare:.2f}" if bare else f"+{app - bare:.3f} s",
        ),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--quick", action="store_true", help="small sizes, to check the scripts run"
    )
    parser.add_argument(
        "--only",
        choices=("startup", "graph", "import", "idle"),
        help="run one part of the benchmarks",
    )
    args = parser.parse_args()
    runs, points, rows, idle_s = (
        (3, 10_000, 10_000, 10) if args.quick else (9, 1_000_000, 333_334, 300)
    )
    parts = {
        "startup": lambda: startup(runs),
        "graph": lambda: graph(points),
        "import": lambda: importing(rows),
        "idle": lambda: idle(idle_s),
    }
    table = [row for name, part in parts.items() if args.only in (None, name) for row in part()]
    width = max(len(r[0]) for r in table)
    print(f"{'measure':<{width}}  {'value':>14}  ratio to baseline")
    for name, value, ratio in table:
        print(f"{name:<{width}}  {value:>14}  {ratio}")


if __name__ == "__main__":
    main()
