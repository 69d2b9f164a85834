"""What a feed is made of, decided once: file names, how long each signature holds, sizes."""

from __future__ import annotations

import re
from datetime import date, timedelta

METADATA = "metadata"  # root.json, N.root.json, timestamp.json, N.snapshot.json, N.targets.json
TARGETS = "targets"  # <sha256>.campaign.json, counts/<sha256>.<day>.json
PARTICIPANT_FILE = "campaign.json"  # what participants open: the campaign, mirrors, trusted root

CAMPAIGN_TARGET = "campaign.json"
CHUNK_PATTERN = re.compile(r"counts/(\d{4}-\d{2}-\d{2})\.json")
ROLES = ("root", "targets", "snapshot", "timestamp")
ONLINE_ROLES = ("targets", "snapshot", "timestamp")  # the online key's; root is the root key's

# How long each signature holds. The timestamp is signed again at every publish (every few
# minutes while the tracker runs): a feed whose organisers stopped is "out of date" a day later.
EXPIRY = {
    "root": timedelta(days=365),
    "targets": timedelta(days=30),
    "snapshot": timedelta(days=30),
    "timestamp": timedelta(days=1),
}
# A role is signed again when less than this is left of its signature.
RENEW_BEFORE = {
    "root": timedelta(days=60),
    "targets": timedelta(days=10),
    "snapshot": timedelta(days=10),
    "timestamp": timedelta(days=1),
}

# The most a participant downloads of each file (ngclient refuses more, while streaming).
MAX_ROOT_BYTES = 512 * 1024
MAX_TIMESTAMP_BYTES = 16 * 1024
MAX_SNAPSHOT_BYTES = 1024 * 1024
MAX_TARGETS_BYTES = 10 * 1024 * 1024  # about 40,000 chunks' entries
MAX_CHUNK_BYTES = 20 * 1024 * 1024  # one day of counts: far more pages than a campaign has
MAX_CHUNKS = 36_600  # one per day, a century at most
MAX_MIRRORS = 20

# How long a participant waits for a feed, in seconds. One file (a day of counts is under
# 100 KB) must arrive whole within the request's deadline, about 2 KB/s; a mirror that takes
# longer than its budget is dropped for the next one; the whole sync ends within the budget,
# the time between two syncs.
REQUEST_DEADLINE = 60.0
MIRROR_BUDGET = 300.0
SYNC_BUDGET = 900.0
READ_TIMEOUT = 20.0  # the longest silence inside one answer
# Counts from this long before the campaign's start are read too: the last one before the start
# is the baseline the losses are counted from.
BEFORE_START = timedelta(days=60)


def chunk_name(day: date) -> str:
    return f"counts/{day.isoformat()}.json"
