"""The valid ranges of everything that comes from outside, decided once.

Every door (CSV import, campaign file, settings, later the feed) refuses a value outside these
ranges with a message naming where it is; every reader of the store skips (and logs) a stored
value outside them, so a store is never left unusable by a value it once accepted.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

# Instants (like counts) and days (action days, reported figures). The campaign began in 2016;
# nothing the app shows is earlier than 2000 or later than the end of the century, which every
# date library and every time zone offset handles without overflow.
EARLIEST_DAY = date(2000, 1, 1)
LATEST_DAY = date(2099, 12, 31)
EARLIEST = datetime(2000, 1, 1, tzinfo=UTC)
LATEST = datetime(2100, 1, 1, tzinfo=UTC)  # exclusive
EARLIEST_EPOCH = int(EARLIEST.timestamp())
LATEST_EPOCH = int(LATEST.timestamp())  # exclusive
# A like count cannot be read from the future: a little slack for a clock that is off.
FUTURE_SLACK = timedelta(days=1)

# Like counts, follower counts and reported losses: Facebook's largest page has under 10^9.
MAX_COUNT = 10**12
MAX_PERCENT = 100.0

# Sizes: what a campaign file, a settings file, a CSV line and a text may weigh.
MAX_CAMPAIGN_BYTES = 5 * 1024 * 1024
MAX_SETTINGS_BYTES = 64 * 1024
MAX_CSV_LINE = 4096  # characters; a real line is under 100
MAX_LIST_ITEMS = 10_000  # targets, action days, events, reports, sources, hashtags
MAX_SHORT_TEXT = 500  # names, titles, ids of sources, hashtags
MAX_LONG_TEXT = 10_000  # details and notes
MAX_URL = 2048

# The release index (core/updates): what it may weigh, how many releases it lists, an installer's
# size (today's are under 200 MB) and its name (plain ASCII, no folder).
MAX_RELEASE_INDEX_BYTES = 256 * 1024
MAX_RELEASES = 100
MAX_INSTALLER_BYTES = 2 * 1024 * 1024 * 1024
MAX_INSTALLER_NAME = 200

# Settings: a position on the desktop (every screen of the largest multi-screen desktop fits, and
# Qt's int coordinates never overflow), and the window geometry Qt saves (under 100 characters).
MAX_SCREEN_COORDINATE = 100_000
MAX_GEOMETRY_TEXT = 4096


def day_in_range(day: date) -> bool:
    return EARLIEST_DAY <= day <= LATEST_DAY


def epoch_in_range(seconds: float) -> bool:
    return EARLIEST_EPOCH <= seconds < LATEST_EPOCH


def count_in_range(value: int) -> bool:
    return 0 <= value <= MAX_COUNT


def latest_observation(now: datetime) -> datetime:
    """The latest instant a like count may carry when imported at ``now``."""
    return min(now.astimezone(UTC) + FUTURE_SLACK, LATEST - timedelta(seconds=1))
