"""``campaign-gui --self-check``: does this install have everything it needs?

A frozen app can start and still be broken: a catalog left out shows English without a word, a
missing time zone database makes every date wrong, a graph library without its OpenGL module draws
a traceback. Each check here does the real thing (the graph part lives in ``ui.self_check_graph``,
the only one that needs Qt) and says what it found.
"""

from __future__ import annotations

import gettext
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from .clock import Clock
from .formatting import isolated, join_list
from .i18n import DOMAIN, LANGUAGES, N_, SOURCE_LANGUAGE, _, locale_dir

# A message every catalog translates, and a day whose spelling each language's dates are checked on.
_PROBE_MESSAGE = "Campaign Companion"
_PROBE_DAY = date(2016, 2, 27)
_EXPECTED_DAYS = {"ar_MA": "27 فبراير 2016", "fr": "27 févr. 2016"}


@dataclass(frozen=True)
class Check:
    name: str  # already translated
    ok: bool
    detail: str  # what was found: shown as it is (paths, numbers, error texts)


def run_checks(clock: Clock, graph: Callable[[], str] | None = None) -> list[Check]:
    """Every check, in order; one failing does not stop the others.

    ``graph`` draws the graph offscreen and says what it drew (the UI layer passes it in).
    """
    steps: list[tuple[str, Callable[[], str]]] = [
        (N_("The bundled campaign loads"), _bundled_campaign),
        (N_("Every language's catalog is present"), _catalogs),
        (N_("The Africa/Casablanca time zone is known"), _time_zone),
        (N_("Dates are written in Darija and French"), _dates),
        (N_("A data file can be created, written and read"), lambda: _store(clock)),
        (N_("A calendar file (.ics) can be written"), lambda: _calendar(clock)),
    ]
    if graph is not None:
        steps.append((N_("The graph draws"), graph))
    return list(_run(steps))


def _run(steps: list[tuple[str, Callable[[], str]]]) -> Iterator[Check]:
    for name, step in steps:
        try:
            detail = step()
        except Exception as exc:  # a check reports what broke; it never stops the others
            yield Check(_(name), False, f"{type(exc).__name__}: {exc}")
        else:
            yield Check(_(name), True, detail)


def _bundled_campaign() -> str:
    from .campaign import load_bundled_campaign

    campaign = load_bundled_campaign()
    counts = _("pages: {pages}, reported figures: {reports}").format(
        pages=len(campaign.targets), reports=len(campaign.reports)
    )
    return f"{isolated(campaign.id)} ({counts})"


def _catalogs() -> str:
    found = []
    for language in LANGUAGES:
        if language == SOURCE_LANGUAGE:
            continue
        # No fallback here: a missing catalog must fail, not quietly show English.
        catalog = gettext.translation(DOMAIN, locale_dir(), languages=[language])
        if catalog.gettext(_PROBE_MESSAGE) == _PROBE_MESSAGE:
            raise LookupError(f"the {language} catalog does not translate {_PROBE_MESSAGE!r}")
        found.append(language)
    return f"{join_list(isolated(language) for language in found)} ({isolated(locale_dir())})"


def _time_zone() -> str:
    zone = ZoneInfo("Africa/Casablanca")
    # Since 2018 Morocco keeps UTC+1 and moves to UTC+0 for Ramadan (2024: 10 March – 14 April):
    # both must be in the data, or reminders come an hour off.
    usual = datetime(2024, 2, 27, 12, tzinfo=zone).utcoffset()
    ramadan = datetime(2024, 3, 20, 12, tzinfo=zone).utcoffset()
    if usual == ramadan:
        raise LookupError(f"no Ramadan clock change in the data ({usual})")
    return _("UTC{usual}, UTC{ramadan} in Ramadan").format(
        usual=_hours(usual), ramadan=_hours(ramadan)
    )


def _hours(offset) -> str:
    return f"{offset.total_seconds() / 3600:+g}"


def _dates() -> str:
    from babel.dates import format_skeleton

    written = []
    for locale, expected in _EXPECTED_DAYS.items():
        text = format_skeleton("yMMMd", _PROBE_DAY, locale=locale)
        if text != expected:
            raise LookupError(f"{locale}: {text!r}, expected {expected!r}")
        written.append(text)
    return " · ".join(written)


def _store(clock: Clock) -> str:
    from .store import Observation, Store

    with tempfile.TemporaryDirectory(prefix="campaign-gui-check-") as folder:
        store = Store.open(Path(folder), now=clock.now)
        try:
            at = datetime(2016, 2, 27, 9, tzinfo=UTC)
            store.add_observations("check", [Observation("page", at, 2_400_000)])
            back = list(store.observations("check"))
            if [(o.observed_at, o.likes) for o in back] != [(at, 2_400_000)]:
                raise LookupError(f"read back {back!r}")
            return _("SQLite, schema {version}").format(version=store.schema_version)
        finally:
            store.close()


def _calendar(clock: Clock) -> str:
    from icalendar import Calendar

    from .calendar_export import action_days_calendar
    from .campaign import load_bundled_campaign

    campaign = load_bundled_campaign()
    with tempfile.TemporaryDirectory(prefix="campaign-gui-check-") as folder:
        path = Path(folder) / "check.ics"
        path.write_bytes(action_days_calendar(campaign, campaign.action_days, clock.now()))
        events = Calendar.from_ical(path.read_bytes()).walk("VEVENT")
    if len(events) != len(campaign.action_days):
        raise LookupError(f"{len(events)} events for {len(campaign.action_days)} days")
    return _("events: {count}").format(count=len(events))
