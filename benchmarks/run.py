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


_FILLED: dict[int, Path] = {}
# Stores and settings the benchmarks make, removed when the run ends.
_SCRATCH = tempfile.TemporaryDirectory(prefix="campaign-bench-")


def scratch() -> Path:
    return Path(tempfile.mkdtemp(dir=_SCRATCH.name))


def filled(per_target: int) -> Path:
    """A data folder holding 3 x ``per_target`` synthetic counts, made once per run."""
    if per_target not in _FILLED:
        from synthetic import filled_data_dir

        _FILLED[per_target] = filled_data_dir(scratch(), per_target)
    return _FILLED[per_target]


def startup_once(mode: str, *args: str) -> dict[str, float]:
    """Seconds from process start to each line the child prints."""
    t0 = time.perf_counter()
    child = subprocess.Popen(
        [sys.executable, str(HERE / "startup_child.py"), mode, *args],
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


def startup(runs: int, per_target: int) -> list[tuple[str, str, str]]:
    data = str(filled(per_target))
    results: dict[str, list[dict[str, float]]] = {
        "bare": [],
        "pyqtgraph": [],
        "app": [],
        "full": [],
    }
    for _ in range(runs):  # interleaved, so load on the machine affects them all alike
        for mode in results:
            results[mode].append(
                startup_once("app", data) if mode == "full" else startup_once(mode)
            )
    bare = statistics.median(r["painted"] for r in results["bare"])
    pg = statistics.median(r["painted"] for r in results["pyqtgraph"])
    app = statistics.median(r["painted"] for r in results["app"])
    loaded = statistics.median(r["loaded"] for r in results["app"])
    full = statistics.median(r["painted"] for r in results["full"])
    full_loaded = statistics.median(r["loaded"] for r in results["full"])
    counts = f"{3 * per_target:,} counts"
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
        (
            f"start-up: first paint, Campaign Companion, {counts} stored",
            f"{full * 1000:.0f} ms",
            f"{full / app:.2f} x an empty store's",
        ),
        (
            f"start-up: graph drawn with {counts}",
            f"{full_loaded * 1000:.0f} ms",
            f"{full_loaded / loaded:.2f} x an empty store's",
        ),
    ]


def status_once(data: Path) -> float:
    """Seconds of one ``campaign-gui status``, as a user runs it (its own process)."""
    config = scratch()
    command = [sys.executable, "-m", "campaign_gui", "--data-dir", str(data)]
    t = time.perf_counter()
    subprocess.run(
        [*command, "--config-dir", str(config), "--lang", "en", "status"],
        capture_output=True,
        env=_env(),
        check=True,
        timeout=600,
    )
    return time.perf_counter() - t


def store(runs: int, per_target: int) -> list[tuple[str, str, str]]:
    full = filled(per_target)
    empty = scratch() / "data"
    times: dict[Path, list[float]] = {empty: [], full: []}
    for _ in range(runs):  # interleaved
        for data in times:
            times[data].append(status_once(data))
    bare, big = (statistics.median(times[d]) for d in (empty, full))
    opened = child_json("store_child.py", "open", str(full))
    counts = f"{3 * per_target:,} counts"
    return [
        ("store: status, empty store", f"{bare * 1000:.0f} ms", "1.00"),
        (f"store: status, {counts}", f"{big * 1000:.0f} ms", f"{big / bare:.2f}"),
        (f"store: open, {counts}, closed cleanly", f"{opened['clean_s'] * 1000:.1f} ms", ""),
        (
            f"store: open, {counts}, left open (whole check)",
            f"{opened['checked_s'] * 1000:.1f} ms",
            f"{opened['checked_s'] / opened['clean_s']:.1f} x closed cleanly",
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
            "graph: zoomed in, 10,000 new counts arrive: read them, splice, redraw",
            f"{g['update_s'] * 1000:.0f} ms",
            f"{g['update_s'] / g['reload_s']:.3f} x reading and drawing all again "
            f"({g['reload_s'] * 1000:.0f} ms); " + ("zoom kept" if g["zoom_kept"] else "ZOOM LOST"),
        ),
        (
            "graph: zoomed-in repaint after them, median",
            f"{g['zoomed_frame_ms_after']:.1f} ms",
            f"{g['zoomed_frame_ms_after'] / g['zoomed_frame_ms_before']:.2f} x before them "
            f"({g['zoomed_frame_ms_before']:.1f} ms)",
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
        floor = child_json("import_child.py", "floor", str(path))
        app = child_json("import_child.py", "import", str(path))
    assert app["rows"] == rows == bare["rows"] == floor["rows"]
    bare_rate = rows / bare["seconds"]
    floor_rate = rows / floor["seconds"]
    app_rate = rows / app["seconds"]
    return [
        (f"import: {rows:,}-row CSV, bare csv.reader", f"{bare_rate:,.0f} rows/s", "1.00"),
        (
            "import: csv.reader + bare executemany, unchecked",
            f"{floor_rate:,.0f} rows/s",
            f"{floor_rate / bare_rate:.3f} of bare speed (no importer into this table beats it)",
        ),
        (
            f"import: {rows:,}-row CSV into the store",
            f"{app_rate:,.0f} rows/s",
            f"{app_rate / bare_rate:.3f} of bare speed, {app_rate / floor_rate:.2f} of unchecked",
        ),
        (
            "import: peak memory",
            f"{app['peak_rss_mb']:.0f} MB",
            f"{app['peak_rss_mb'] / bare['peak_rss_mb']:.2f} x bare ({bare['peak_rss_mb']:.0f} MB)",
        ),
    ]


def feed(total: int) -> list[tuple[str, str, str]]:
    """A feed of ``total`` counts over 365 days, served on 127.0.0.1, synced by a fresh store,
    then again after one more day was published."""
    import functools
    import http.server
    import threading
    from datetime import timedelta

    from securesystemslib.signer import CryptoSigner
    from synthetic import START, TARGETS

    from campaign_gui.core.feed.keys import FeedSigners
    from campaign_gui.core.feed.publish import publish
    from campaign_gui.core.store import Observation

    per_target = total // len(TARGETS)
    step = timedelta(days=365) / per_target

    def counts(days: int) -> list[Observation]:
        return [
            Observation(t, START + step * i, 2_400_000 - i // 7, None)
            for t in TARGETS
            for i in range(per_target)
            if (step * i).days < days
        ]

    signers = FeedSigners(CryptoSigner.generate_ed25519(), CryptoSigner.generate_ed25519())
    with tempfile.TemporaryDirectory() as tmp:
        folder, data = Path(tmp) / "feed", Path(tmp) / "participant"
        folder.mkdir()

        class Quiet(http.server.SimpleHTTPRequestHandler):
            def log_message(self, *args) -> None:
                pass

        handler = functools.partial(Quiet, directory=str(folder))
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        url = f"http://127.0.0.1:{server.server_address[1]}/"
        document = json.loads(
            (HERE.parent / "campaign_gui" / "resources" / "campaign-2016.json").read_bytes()
        )
        now = START + timedelta(days=366)
        first = counts(365)
        publish(
            folder,
            campaign_document=document,
            observations=first,
            mirrors=[url],
            signers=signers,
            now=now,
        )
        bare = child_json("feed_child.py", "bare", str(folder))
        synced = child_json("feed_child.py", "sync", str(folder), str(data), now.isoformat())
        extra_day = (START + timedelta(days=365)).date()
        more = [
            Observation(t, START + timedelta(days=365, minutes=m), 2_000_000, None)
            for t in TARGETS
            for m in range(0, 1440, 2)
        ]
        later = now + timedelta(hours=1)
        publish(
            folder,
            campaign_document=document,
            observations=first + more,
            mirrors=[url],
            signers=signers,
            now=later,
        )
        bare_one = child_json("feed_child.py", "bare", str(folder), extra_day.isoformat())
        again = child_json("feed_child.py", "sync", str(folder), str(data), later.isoformat())
        server.shutdown()
    assert synced["counts"] == bare["counts"] == len(first), (synced, bare, len(first))
    assert again["counts"] == bare_one["counts"] == len(more)
    return [
        (
            f"feed: {len(first):,} counts in 365 chunks, json.loads + executemany",
            f"{bare['seconds']:.2f} s",
            "1.00",
        ),
        (
            "feed: first sync over HTTP (TUF checks, validation, merge)",
            f"{synced['seconds']:.2f} s",
            f"{synced['seconds'] / bare['seconds']:.2f}",
        ),
        (
            "feed: peak memory, first sync",
            f"{synced['peak_rss_mb']:.0f} MB",
            f"{synced['peak_rss_mb'] / bare['peak_rss_mb']:.2f} x bare "
            f"({bare['peak_rss_mb']:.0f} MB)",
        ),
        (
            f"feed: one new chunk ({len(more):,} counts), json.loads + executemany",
            f"{bare_one['seconds'] * 1000:.0f} ms",
            "1.00",
        ),
        (
            "feed: sync of one new chunk",
            f"{again['seconds'] * 1000:.0f} ms",
            f"{again['seconds'] / bare_one['seconds']:.1f}",
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
        choices=("startup", "store", "graph", "import", "feed", "idle"),
        help="run one part of the benchmarks",
    )
    args = parser.parse_args()
    runs, points, rows, idle_s = (
        (3, 10_000, 10_000, 10) if args.quick else (9, 1_000_000, 333_334, 300)
    )
    parts = {
        "startup": lambda: startup(runs, points),
        "store": lambda: store(runs, points),
        "graph": lambda: graph(points),
        "import": lambda: importing(rows),
        "feed": lambda: feed(rows * 3),
        "idle": lambda: idle(idle_s),
    }
    table = [row for name, part in parts.items() if args.only in (None, name) for row in part()]
    width = max(len(r[0]) for r in table)
    print(f"{'measure':<{width}}  {'value':>14}  ratio to baseline")
    for name, value, ratio in table:
        print(f"{name:<{width}}  {value:>14}  {ratio}")


if __name__ == "__main__":
    main()
