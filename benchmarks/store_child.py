"""Opening the store: ``open DATA_DIR`` times ``Store.open`` of a store closed cleanly (no whole
check) and of one another copy still has open (checked whole, as after a copy was killed).

Prints one JSON line: the median seconds of each.
"""

from __future__ import annotations

import json
import sqlite3
import statistics
import sys
import time
from pathlib import Path

from campaign_gui.core.store import STORE_FILE, Store

RUNS = 7
data = Path(sys.argv[2])


def opening() -> float:
    t = time.perf_counter()
    Store.open(data).close()
    return time.perf_counter() - t


clean = statistics.median(opening() for _ in range(RUNS))
other = sqlite3.connect(data / STORE_FILE)  # a copy that has it open: its -wal file is there
other.execute("SELECT count(*) FROM sqlite_schema").fetchone()
checked = statistics.median(opening() for _ in range(RUNS))
other.close()
print(json.dumps({"clean_s": clean, "checked_s": checked}))
