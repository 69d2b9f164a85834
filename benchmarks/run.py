"""Campaign Companion's performance figures, each as a ratio to a bare baseline from the same run.

    .venv/bin/python benchmarks/run.py [--quick]

Runs on the offscreen Qt platform (Linux or macOS: peak memory comes from getrusage). Absolute
times on shared machines are noise; the ratios are what to compare between runs.
"""

from __future__ import annotations

import argparse
import compileall
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


_FILLED: dict[tuple[int, str], Path] = {}
# Stores and settings the benchmarks make, removed when the run ends.
_SCRATCH = tempfile.TemporaryDirectory(prefix="campaign-bench-")


def scratch() -> Path:
    return Path(tempfile.mkdtemp(dir=_SCRATCH.name))


def filled(per_target: int, measure: str = "likes") -> Path:
    """A data folder holding 3 x ``per_target`` synthetic counts, made once per run."""
    if (per_target, measure) not in _FILLED:
        from synthetic import filled_data_dir

        _FILLED[per_target, measure] = filled_data_dir(scratch(), per_target, measure)
    return _FILLED[per_target, measure]


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
    """The window's first paint, started as ``campaign-gui`` starts (an empty store, then one
    holding 3 x ``per_target`` counts), against a bare window with a label."""
    data = str(filled(per_target))
    results: dict[str, list[dict[str, float]]] = {
        "bare": [],
        "pyqtgraph": [],
        "app": [],
        "full": [],
    }
    for _ in range(runs):  # interleaved, so load on the machine affects them all alike
        for mode in results:
            if mode == "full":
                marks = startup_once("app", data, str(scratch()))
            elif mode == "app":
                marks = startup_once("app", str(scratch()), str(scratch()))
            else:
                marks = startup_once(mode)
            results[mode].append(marks)
    bare = statistics.median(r["painted"] for r in results["bare"])
    pg = statistics.median(r["painted"] for r in results["pyqtgraph"])
    app = statistics.median(r["painted"] for r in results["app"])
    loaded = statistics.median(r["loaded"] for r in results["app"])
    full = statistics.median(r["painted"] for r in results["full"])
    full_loaded = statistics.median(r["loaded"] for r in results["full"])
    counts = f"{3 * per_target:,} counts"
    return [
        ("start-up: first paint, bare QMainWindow with a QLabel", f"{bare * 1000:.0f} ms", "1.00"),
        (
            "start-up: first paint, bare window + pyqtgraph plot",
            f"{pg * 1000:.0f} ms",
            f"{pg / bare:.2f}",
        ),
        ("start-up: first paint, campaign-gui", f"{app * 1000:.0f} ms", f"{app / bare:.2f}"),
        (
            "start-up: graph drawn with the 2016 data",
            f"{loaded * 1000:.0f} ms",
            f"{loaded / bare:.2f} ({loaded / pg:.2f} x pyqtgraph)",
        ),
        (
            f"start-up: first paint, campaign-gui, {counts} stored",
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
    followed = filled(per_target, "followers")  # no like count: a page as counted today
    empty = scratch() / "data"
    times: dict[Path, list[float]] = {empty: [], full: [], followed: []}
    for _ in range(runs):  # interleaved
        for data in times:
            times[data].append(status_once(data))
    bare, big, followers = (statistics.median(times[d]) for d in (empty, full, followed))
    opened = child_json("store_child.py", "open", str(full))
    counts = f"{3 * per_target:,} counts"
    return [
        ("store: status, empty store", f"{bare * 1000:.0f} ms", "1.00"),
        (f"store: status, {counts}", f"{big * 1000:.0f} ms", f"{big / bare:.2f}"),
        (
            f"store: status, {counts} of followers only",
            f"{followers * 1000:.0f} ms",
            f"{followers / bare:.2f}",
        ),
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
        timeout=3600,
    )
    if out.returncode:
        raise RuntimeError(f"{script} {' '.join(args)[:200]}: {out.stderr[-2000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def graph(per_target: int) -> list[tuple[str, str, str]]:
    """The app's graph and bare pyqtgraph, each in its own process, drawing the same arrays."""
    with tempfile.TemporaryDirectory() as tmp:
        child_json("graph_child.py", "prepare", tmp, str(per_target))
        ary = child_json("graph_child.py", "app", tmp, "ary")
        g = child_json("graph_child.py", "app", tmp, "en", "sync")
        size = [str(n) for n in g["plot_size"]]
        bare = child_json("graph_child.py", "bare", tmp, *size)
    base, base_p95 = g["bare_frame_ms_median"], g["bare_frame_ms_p95"]
    same = f"bare pyqtgraph, the same {bare['points']:,} points"
    return [
        (f"graph: load {g['points']:,} points from the store", f"{g['load_s']:.2f} s", ""),
        (
            "graph: set data and first draw",
            f"{g['draw_s'] * 1000:.0f} ms",
            f"{g['draw_s'] / bare['draw_s']:.2f} x {same} ({bare['draw_s'] * 1000:.0f} ms)",
        ),
        (
            "graph: frame while zooming/panning in English, median",
            f"{g['frame_ms_median']:.1f} ms",
            f"{g['frame_ms_median'] / base:.2f} x {same} ({base:.1f} ms)",
        ),
        (
            "graph: frame while zooming/panning in English, 95th pct",
            f"{g['frame_ms_p95']:.1f} ms",
            f"{g['frame_ms_p95'] / base_p95:.2f} x bare ({base_p95:.1f} ms)",
        ),
        (
            "graph: the same in Darija, median",
            f"{ary['frame_ms_median']:.1f} ms",
            f"{ary['frame_ms_median'] / ary['bare_frame_ms_median']:.2f} x bare "
            f"({ary['bare_frame_ms_median']:.1f} ms); "
            f"{ary['frame_ms_median'] / g['frame_ms_median']:.2f} x English",
        ),
        (
            "graph: the same in Darija, 95th pct",
            f"{ary['frame_ms_p95']:.1f} ms",
            f"{ary['frame_ms_p95'] / ary['bare_frame_ms_p95']:.2f} x bare "
            f"({ary['bare_frame_ms_p95']:.1f} ms)",
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
            "graph: peak memory, store read, drawn, zoomed",
            f"{g['peak_rss_mb']:.0f} MB",
            f"{g['peak_rss_mb'] / bare['peak_rss_mb']:.2f} x {same} ({bare['peak_rss_mb']:.0f} MB)",
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
            f"{floor_rate / bare_rate:.3f} of bare speed (one row per executemany step)",
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


def _feed_counts(per_target: int, days: int, since: float, until: float):
    """Synthetic counts of ``days`` days (``per_target`` a year for each page), as the store
    takes them, read in [since, until) seconds after the start; likes fall with noise."""
    import numpy as np
    from synthetic import START, TARGETS

    from campaign_gui.core.store import to_epoch

    step = 365 * 86_400 / per_target
    first = int(np.ceil(since / step))
    last = min(int(np.ceil(until / step)), int(days * 86_400 / step))
    origin = to_epoch(START)
    rng = np.random.default_rng(2016)
    falls = {t: 2_400_000 - np.cumsum(rng.integers(-2, 4, per_target * 2)) for t in TARGETS}
    return [
        (t, origin + int(i * step), int(falls[t][i]), None, 0)
        for t in TARGETS
        for i in range(first, last)
    ]


def _feed_scenario(per_target: int, days: int, steps: int, tmp: Path, child: bool) -> dict:
    """A feed of ``days`` days published from an organiser's store, synced by a new participant
    (through a host serving gzip copies, and a plain one), then ``steps`` publishes 15 minutes
    apart across the end of a day, each followed by the up-to-date participant's sync."""
    import gzip
    import shutil
    from datetime import timedelta

    from securesystemslib.signer import CryptoSigner
    from static_host import StaticHost
    from synthetic import START

    from campaign_gui.core.feed.count_files import StoreSource
    from campaign_gui.core.feed.keys import FeedSigners
    from campaign_gui.core.feed.publish import publish
    from campaign_gui.core.store import Store

    signers = FeedSigners(CryptoSigner.generate_ed25519(), CryptoSigner.generate_ed25519())
    folder = tmp / f"feed-{days}"
    folder.mkdir(parents=True)
    plain, packed = StaticHost(folder), StaticHost(folder, gzip_static=True)
    document = json.loads(
        (HERE.parent / "campaign_gui" / "resources" / "campaign-2016.json").read_bytes()
    )
    organiser = Store.open(tmp / f"organiser-{days}")
    cid = document["id"]
    targets = {t["id"] for t in document["targets"]}
    # The first publish 65 minutes before the end of a day: the steps close hours and the day.
    start = timedelta(days=days) - timedelta(minutes=65)
    organiser.ingest_rows(cid, _feed_counts(per_target, days + 1, 0, start.total_seconds() + 1))

    def run_publish(now) -> float:
        t = time.perf_counter()
        publish(
            folder,
            campaign_document=document,
            source=StoreSource(organiser, (cid,), targets, now),
            mirrors=[plain.url],
            signers=signers,
            now=now,
        )
        return time.perf_counter() - t

    now = START + start
    first_publish = run_publish(now)
    files = {p: p.read_bytes() for p in [folder / "campaign.json"]}
    for name, host in (("plain", plain), ("packed", packed)):
        data = json.loads(files[folder / "campaign.json"])
        data["feed"]["mirrors"] = [host.url]
        (tmp / f"{name}-{days}.json").write_text(json.dumps(data))
    result: dict = {"first_publish_s": first_publish}
    if child:
        result["bare"] = child_json("feed_child.py", "bare", str(folder))
        result["floor"] = child_json("feed_child.py", "floor", str(folder))
        result["first"] = child_json(
            "feed_child.py",
            "sync",
            str(tmp / f"packed-{days}.json"),
            str(tmp / "p1"),
            now.isoformat(),
        )
    else:
        result["first"] = {"counts": None}
        sync_here(tmp / f"packed-{days}.json", tmp / "p1", now)
    result["first_packed_bytes"] = sum(b for _p, _s, b in packed.take())

    me = tmp / "p2"
    sync_here(tmp / f"plain-{days}.json", me, now)
    result["first_plain_bytes"] = sum(b for _p, _s, b in plain.take())
    result["steps"] = []
    new_counts: list = []
    for _step in range(steps):
        later = now + timedelta(minutes=15)
        added = _feed_counts(
            per_target,
            days + 1,
            (now - START).total_seconds() + 1,
            (later - START).total_seconds() + 1,
        )
        new_counts.append(len(gzip.compress(json.dumps([r[:4] for r in added]).encode())))
        organiser.ingest_rows(cid, added)
        seconds = run_publish(later)
        merged = sync_here(tmp / f"plain-{days}.json", me, later)
        served = plain.take()
        crossed = "day" if later.date() != now.date() else "hour" if later.hour != now.hour else ""
        result["steps"].append(
            {
                "publish_s": seconds,
                "requests": len(served),
                "bytes": sum(b for _p, _s, b in served),
                "counts": merged,
                "crossed": crossed,
                "files": [p.rsplit("/", 1)[1] for p, st, _b in served if "/counts/" in p],
            }
        )
        now = later
    result["new_gzip"] = int(statistics.median(new_counts))
    sync_here(tmp / f"plain-{days}.json", me, now + timedelta(minutes=5))
    result["idle"] = plain.take()
    if child:
        organiser.ingest_rows(
            cid,
            _feed_counts(
                per_target,
                days + 1,
                (now - START).total_seconds() + 1,
                (now - START).total_seconds() + 901,
            ),
        )
        run_publish(now + timedelta(minutes=15))
        result["one"] = child_json(
            "feed_child.py",
            "sync",
            str(tmp / f"plain-{days}.json"),
            str(me),
            (now + timedelta(minutes=15)).isoformat(),
        )
        names = [p.rsplit("/", 1)[1] for p, _st, _b in plain.take() if "/counts/" in p]
        result["bare_one_new"] = (
            child_json("feed_child.py", "bare", str(folder), *names)
            if names
            else {"counts": 0, "seconds": float("nan")}  # --quick: no count in those minutes
        )
    result["storage_bytes"] = sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())
    organiser.close()
    plain.close()
    packed.close()
    shutil.rmtree(folder)
    return result


def sync_here(campaign_file: Path, data: Path, now) -> int:
    """One participant's sync in this process (as ``campaign-gui sync`` runs it): new counts."""
    from campaign_gui.core import jobs
    from campaign_gui.core.clock import FixedClock
    from campaign_gui.core.paths import AppPaths
    from campaign_gui.core.workspace import Workspace

    clock = FixedClock(now)
    workspace = Workspace.open(AppPaths(data, data / "config"), campaign_file, clock=clock)
    try:
        plan = jobs.plan_sync(workspace)
        update = jobs.fetch_feed(plan, now, clock.local_zone())
        return jobs.merge_feed(workspace, update, now).counts
    finally:
        workspace.close()


def feed(total: int) -> list[tuple[str, str, str]]:
    """Feeds of a year and of 60 days (``total`` counts a year, 3 pages), served on 127.0.0.1."""
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        year = _feed_scenario(total // 3, 365, 96, Path(tmp) / "year", child=True)
        sixty = _feed_scenario(total // 3, 60, 8, Path(tmp) / "sixty", child=False)
    bare, first, floor = year["bare"], year["first"], year["floor"]
    rows += [
        (
            f"feed: a year ({bare['counts']:,} counts), json.loads + executemany",
            f"{bare['seconds']:.2f} s",
            "1.00",
        ),
        (
            "feed: the same into the store's own table (its key, its checks)",
            f"{floor['seconds']:.2f} s",
            f"{floor['seconds'] / bare['seconds']:.2f}",
        ),
        (
            "feed: first sync of a year over HTTP (TUF, checks, merge)",
            f"{first['seconds']:.2f} s",
            f"{first['seconds'] / bare['seconds']:.2f}",
        ),
        (
            "feed: peak memory, first sync",
            f"{first['peak_rss_mb']:.0f} MB",
            f"{first['peak_rss_mb'] / bare['peak_rss_mb']:.2f} x bare "
            f"({bare['peak_rss_mb']:.0f} MB)",
        ),
        (
            "feed: first sync of a year, bytes on the wire, host serving the gzip copies",
            f"{year['first_packed_bytes'] / 1e6:.2f} MB",
            f"plain host: {year['first_plain_bytes'] / 1e6:.2f} MB",
        ),
        (
            f"feed: 15 new minutes ({year['one']['counts']:,} counts), json.loads + executemany",
            f"{year['bare_one_new']['seconds'] * 1000:.1f} ms",
            "1.00",
        ),
        (
            "feed: sync of them (a new process: open, TUF, merge)",
            f"{year['one']['seconds'] * 1000:.0f} ms",
            f"{year['one']['seconds'] / year['bare_one_new']['seconds']:.1f}",
        ),
    ]
    for label, scenario in (("60 days", sixty), ("a year", year)):
        steps = scenario["steps"]
        sizes = sorted(s["bytes"] for s in steps)
        publish_s = statistics.median(s["publish_s"] for s in steps)
        rows += [
            (
                f"feed at {label}: sync after a 15-minute publish, plain host, median",
                f"{statistics.median(sizes):,.0f} B",
                f"{statistics.median(s['requests'] for s in steps):.0f} requests; "
                f"{statistics.median(s['counts'] for s in steps):.0f} new counts; "
                f"floor: the new counts gzipped, {scenario['new_gzip']:,} B",
            ),
            (
                f"feed at {label}: the same, mean over {len(steps)} publishes in a row",
                f"{statistics.mean(sizes):,.0f} B",
                f"largest {sizes[-1]:,} B (when an hour or the day is compacted); "
                f"{statistics.mean(s['requests'] for s in steps):.2f} requests per sync",
            ),
            (
                f"feed at {label}: compacted files the up-to-date participant downloaded",
                f"{sum(1 for s in steps for f in s['files'] if 'h' not in f.split('T')[-1])}",
                "of them all; it records them from the quarters it has",
            ),
            (
                f"feed at {label}: sync when nothing was published",
                f"{sum(b for _p, _s, b in scenario['idle'])} B",
                ", ".join(f"{p} {s}" for p, s, _b in scenario["idle"]),
            ),
            (
                f"feed at {label}: publish of 15 minutes, median",
                f"{publish_s * 1000:.0f} ms",
                f"{publish_s / scenario['first_publish_s']:.3f} of the first publish "
                f"({scenario['first_publish_s']:.2f} s)",
            ),
            (
                f"feed at {label}: the folder on the host",
                f"{scenario['storage_bytes'] / 1e6:.1f} MB",
                "gzip copies and files kept for the grace period included",
            ),
        ]
    per_sync = statistics.mean(s["bytes"] for s in year["steps"])  # a whole day of publishes
    requests = statistics.mean(s["requests"] for s in year["steps"])
    for n in (10_000, 100_000, 1_000_000):
        rows.append(
            (
                f"capacity, {n:,} participants every 15 min (a year in)",
                f"{n * requests / 900:,.0f} req/s",
                f"{n * per_sync * 8 / 900 / 1e6:,.1f} Mbit/s, "
                f"{n * per_sync * 96 / 1e9:,.1f} GB a day; "
                f"storage {year['storage_bytes'] / 1e6:.0f} MB",
            )
        )
    return rows


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
    # An installed app starts from bytecode (pip compiles a wheel's modules; the frozen app
    # carries them): a checkout run with PYTHONDONTWRITEBYTECODE would compile every module of
    # the app at every start, a cost no user pays and the bare baselines do not have.
    compileall.compile_dir(HERE.parent / "campaign_gui", quiet=1)
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
