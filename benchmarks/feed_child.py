"""Feed sync figures. Modes:

- ``bare FEED_DIR [NAME ...]``: json.loads of the counts files (all, or those named, as
  ``<sha256>.<window>.json``), their columns added up into rows (itertools.accumulate) and a
  bare executemany into a fresh SQLite table: the baseline;
- ``floor FEED_DIR``: the same into the store's own table (its key and checks);
- ``sync CAMPAIGN_FILE DATA_DIR NOW``: one sync of the participant's store in DATA_DIR (first
  time, or again after a publish) from the feed served at the URL the campaign file names.

Prints one JSON line: counts, seconds, peak memory.
"""

from __future__ import annotations

import itertools
import json
import resource
import sqlite3
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path


def peak_rss_mb() -> float:
    """This program's peak memory. getrusage keeps the peak of the process it was forked from
    (the benchmark, holding a year of counts); the kernel's VmHWM starts again at exec."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # as the other figures


mode, feed_dir = sys.argv[1], Path(sys.argv[2])

if mode in ("bare", "floor"):
    files = sorted((feed_dir / "targets" / "counts").glob("*.json"))
    if len(sys.argv) > 3:
        files = [f for f in files if f.name in sys.argv[3:]]
    t = time.perf_counter()
    db = sqlite3.connect(Path(tempfile.mkdtemp()) / "bare.sqlite3", isolation_level=None)
    if mode == "bare":
        db.execute(
            "CREATE TABLE o (target TEXT, observed_at INTEGER, likes INTEGER, followers INTEGER,"
            " PRIMARY KEY (target, observed_at)) WITHOUT ROWID"
        )
        insert = "INSERT INTO o VALUES (?, ?, ?, ?)"
    else:  # the store's own table, under a feed key as long as a real one
        from campaign_gui.core.store import MIGRATIONS

        db.executescript(MIGRATIONS[0] + MIGRATIONS[1] + MIGRATIONS[2])
        insert = "INSERT INTO observations VALUES ('ma-voip-2016@0123456789abcdef', ?, ?, ?, ?)"
    counts = 0
    db.execute("BEGIN")
    for path in files:
        for target, times, likes, _followers in json.loads(path.read_bytes())["series"]:
            at = list(itertools.accumulate(times))
            rows = list(
                zip(
                    itertools.repeat(target),
                    at,
                    itertools.accumulate(likes),
                    itertools.repeat(None),
                )
            )
            db.executemany(insert, rows)
            counts += len(rows)
    db.execute("COMMIT")
    seconds = time.perf_counter() - t
else:
    from run import sync_here  # the same sync as the benchmark's own, in this process

    data_dir, now = Path(sys.argv[3]), datetime.fromisoformat(sys.argv[4])
    t = time.perf_counter()
    counts = sync_here(feed_dir, data_dir, now)
    seconds = time.perf_counter() - t

print(
    json.dumps(
        {
            "counts": counts,
            "seconds": seconds,
            "peak_rss_mb": peak_rss_mb(),
        }
    )
)
