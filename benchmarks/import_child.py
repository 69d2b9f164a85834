"""CSV import figures: ``import`` (into a real store), ``bare`` (csv.reader only) or ``floor``
(csv.reader, each row converted as simply as can be and inserted by a bare ``executemany`` into
the store's own table, unchecked: the usual way to fill a table from Python; the store inserts a
few hundred rows per statement, and beats it).

Prints one JSON line: rows, seconds, peak memory.
"""

from __future__ import annotations

import csv
import json
import os
import resource
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

mode, csv_path = sys.argv[1], Path(sys.argv[2])
NOW = datetime(2026, 1, 1, tzinfo=UTC)  # after every synthetic count

if mode == "bare":
    t = time.perf_counter()
    with csv_path.open(encoding="utf-8", newline="") as stream:
        rows = sum(1 for _ in csv.reader(stream)) - 1
    seconds = time.perf_counter() - t
elif mode == "floor":
    from campaign_gui.core.store import Store

    base = Path(tempfile.mkdtemp())
    store = Store.open(base)
    t = time.perf_counter()
    with csv_path.open(encoding="utf-8", newline="") as stream, store.transaction() as db:
        reader = csv.reader(stream)
        next(reader)
        db.executemany(
            "INSERT INTO observations VALUES ('ma-voip-2016', ?, ?, ?, ?)",
            (
                (target, int(datetime.fromisoformat(when).timestamp()), int(likes), None)
                for target, when, likes, _followers in reader
            ),
        )
        rows = db.execute("SELECT count(*) FROM observations").fetchone()[0]
    seconds = time.perf_counter() - t
    store.close()
else:
    from campaign_gui.core.clock import FixedClock
    from campaign_gui.core.exchange import import_csv
    from campaign_gui.core.paths import AppPaths
    from campaign_gui.core.workspace import Workspace

    base = Path(tempfile.mkdtemp())
    workspace = Workspace.open(AppPaths(base / "d", base / "c"), clock=FixedClock(NOW))
    t = time.perf_counter()
    result = import_csv(workspace.store, workspace.campaign, csv_path, NOW)
    seconds = time.perf_counter() - t
    rows = result.added
    workspace.close()

print(
    json.dumps(
        {
            "rows": rows,
            "seconds": seconds,
            "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        }
    )
)
# PySide6 and pyqtgraph can crash while tearing down at exit; the figures are out already.
sys.stdout.flush()
os._exit(0)
