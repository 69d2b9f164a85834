"""The app has one clock, given from its root: nothing else reads the computer's time or zone.

The ``clock`` fixture (conftest.py) is that clock in every test; ``@pytest.mark.clock_matrix``
runs a test at 08:00, 19:59, 20:01 and 23:59 local time in Casablanca, Tokyo and Los Angeles.
"""

from __future__ import annotations

import re
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from campaign_gui.core.clock import FixedClock, SystemClock, today_in

from .conftest import CLOCK_MATRIX_TIMES, CLOCK_MATRIX_ZONES

PACKAGE = Path(__file__).resolve().parents[1] / "campaign_gui"

# What reads the computer's clock or its time zone instead of the app's clock.
READS_THE_COMPUTERS_CLOCK = re.compile(
    "|".join(
        (
            r"\b(?:datetime|date)\.(?:now|today|utcnow)\(",
            r"\btime\.(?:time|time_ns|localtime|gmtime|ctime|asctime)\(",
            r"^\s*from time import",
            r"\bQ(?:Date|Time|DateTime)\.current\w*\(",
            r"\.astimezone\(\)",  # converts to the process's zone
            r"\bfromtimestamp\([^,()]*\)",  # no zone: the process's
        )
    )
)
# Where it is allowed: (file, the line's text). Each entry says why.
ALLOWED = {
    # The one real clock.
    ("core/clock.py", "return datetime.now(UTC)"),
    # Temp files' ages are measured against their mtimes, which the file system stamps with the
    # computer's real clock, not the app's.
    ("core/atomic_file.py", "limit = time.time() - STALE_AFTER_SECONDS"),
    # Store.open's default for callers that pass no clock (Workspace.open passes the app's).
    ("core/store/connection.py", "now: Callable[[], datetime] = lambda: datetime.now(UTC),"),
}


def test_nothing_reads_the_computers_clock_but_the_system_clock():
    found = {
        (path.relative_to(PACKAGE).as_posix(), line.strip())
        for path in PACKAGE.rglob("*.py")
        for line in path.read_text(encoding="utf-8").splitlines()
        if READS_THE_COMPUTERS_CLOCK.search(line)
    }
    assert found - ALLOWED == set()


@pytest.mark.parametrize(
    "line",
    [
        "today = datetime.now(campaign.zone).date()",
        "stamp = datetime.datetime.utcnow()",
        "day = date.today()",
        "started = time.time()",
        "now = QDateTime.currentDateTime()",
        "local = moment.astimezone()",
        "moment = datetime.fromtimestamp(seconds)",
        "from time import time",
    ],
)
def test_the_check_finds_each_way_of_reading_the_clock(line):
    assert READS_THE_COMPUTERS_CLOCK.search(line)


@pytest.mark.parametrize(
    "line",
    [
        "now = self._clock.now()",
        "moment = datetime.fromtimestamp(seconds, zone)",
        "local_now = now.astimezone(zone)",
        "settings.evening_time = self.evening_time.time().toString('HH:mm')",
        "t = time.perf_counter()",
    ],
)
def test_the_check_leaves_the_apps_own_clock_alone(line):
    assert not READS_THE_COMPUTERS_CLOCK.search(line)


@pytest.mark.clock_matrix
def test_the_matrix_sets_the_clock_and_the_process_zone_to_the_same_local_time(clock):
    local = clock.now().astimezone(clock.local_zone())
    assert local.time() in CLOCK_MATRIX_TIMES
    assert clock.local_zone().key in CLOCK_MATRIX_ZONES
    # A process-local reading of the clock's instant shows the same wall-clock time.
    assert time.localtime(clock.now().timestamp())[3:5] == (local.hour, local.minute)


def test_a_fixed_clock_moves_only_when_told():
    tokyo = ZoneInfo("Asia/Tokyo")
    clock = FixedClock(datetime(2028, 10, 18, 23, 59, tzinfo=tokyo), tokyo)
    assert clock.now() == datetime(2028, 10, 18, 14, 59, tzinfo=UTC)
    assert clock.now().tzinfo is UTC and clock.local_zone() is tokyo
    clock.advance(timedelta(minutes=2))
    assert clock.now().astimezone(tokyo).date().day == 19
    with pytest.raises(ValueError):
        clock.set(datetime(2028, 10, 18))  # naive: which zone?


def test_the_system_clock_is_aware_utc_with_the_zone_it_was_given():
    casablanca = ZoneInfo("Africa/Casablanca")
    assert SystemClock(casablanca).local_zone() is casablanca
    assert SystemClock().local_zone() is None
    zones = iter([casablanca, None])
    travelling = SystemClock(lambda: next(zones))  # asked each time: follows a zone change
    assert travelling.local_zone() is casablanca
    assert travelling.local_zone() is None
    assert SystemClock().now().utcoffset() == timedelta(0)


def test_today_is_the_date_in_the_zone_asked_for():
    """23:30 in Casablanca on 31 December is already New Year's Day in Tokyo."""
    moment = datetime(2028, 12, 31, 23, 30, tzinfo=ZoneInfo("Africa/Casablanca"))
    assert today_in(ZoneInfo("Africa/Casablanca"), moment).isoformat() == "2028-12-31"
    assert today_in(ZoneInfo("Asia/Tokyo"), moment).isoformat() == "2029-01-01"
