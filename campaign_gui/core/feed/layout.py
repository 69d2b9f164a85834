"""What a feed is made of, decided once: file names, how long each signature holds, sizes."""

from __future__ import annotations

from datetime import timedelta

METADATA = "metadata"  # root.json, N.root.json, timestamp.json, N.snapshot.json, N.targets.json
TARGETS = "targets"  # <sha256>.campaign.json, counts/<sha256>.<day>.json
PARTICIPANT_FILE = "campaign.json"  # what participants open: the campaign, mirrors, trusted root

CAMPAIGN_TARGET = "campaign.json"
# The feed's format, signed with the campaign document (its target's "custom"): a participant
# refuses a feed of another format with a message saying who has to update.
FEED_FORMAT = 2
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
# The roles that list the counts files (``windows.ROLES``) hold as long as targets.
COUNTS_ROLES = ("months", "days", "hours", "quarters")
EXPIRY |= dict.fromkeys(COUNTS_ROLES, EXPIRY["targets"])
# A role is signed again when less than this is left of its signature.
RENEW_BEFORE = {
    "root": timedelta(days=60),
    "targets": timedelta(days=10),
    "snapshot": timedelta(days=10),
    "timestamp": timedelta(days=1),
}
RENEW_BEFORE |= dict.fromkeys(COUNTS_ROLES, RENEW_BEFORE["targets"])

# The most a participant downloads of each file (ngclient refuses more, while streaming).
MAX_ROOT_BYTES = 512 * 1024
MAX_TIMESTAMP_BYTES = 16 * 1024
MAX_SNAPSHOT_BYTES = 1024 * 1024
MAX_TARGETS_BYTES = 10 * 1024 * 1024  # about 40,000 chunks' entries
MAX_CHUNK_BYTES = 20 * 1024 * 1024  # one day of counts: far more pages than a campaign has
MAX_CHUNKS = 36_600  # one per day, a century at most
MAX_MIRRORS = 20

# A file no longer listed is removed this long after (a timestamp holds a day: by then no
# participant can be reading metadata that names it).
PRUNE_AFTER = timedelta(days=2)
# Files this large or more get a gzip copy beside them, for hosts that serve those.
COMPRESS_FROM = 1024

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
