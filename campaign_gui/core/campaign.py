"""Campaign files: the JSON document that describes a campaign, loaded and validated.

A campaign names its targets (the operators' pages), its action days, the context events worth
marking on the graph and the like losses the press reported, each with its sources. Validation
errors name the field (``targets[1].page_url``) and the problem, in the user's language.

The values themselves (``Campaign``, ``Target``, the measures…) live in ``campaign_model.py`` and
are re-exported here, so the rest of the app imports everything campaign from this module.
"""

from __future__ import annotations

import json
import math
import re
import unicodedata
from collections.abc import Iterator, Mapping
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from .. import PACKAGE_DIR
from . import limits
from .campaign_model import (
    ACTION_KINDS,
    FACEBOOK_HOSTS,
    FOLLOWERS,
    LIKES,
    MEASURES,
    QUALIFIERS,
    ActionDay,
    Campaign,
    ContextEvent,
    FeedSource,
    Report,
    Source,
    Target,
    Texts,
    is_facebook_page_url,
)
from .errors import UserError
from .feed import layout
from .feed.mirrors import check_mirror
from .formatting import format_number
from .i18n import LANGUAGES, _, pick

__all__ = [
    "ACTION_KINDS",
    "BUNDLED_CAMPAIGN",
    "FACEBOOK_HOSTS",
    "FOLLOWERS",
    "FORMAT",
    "FORMAT_VERSION",
    "LIKES",
    "MEASURES",
    "QUALIFIERS",
    "ActionDay",
    "Campaign",
    "CampaignError",
    "ContextEvent",
    "FeedSource",
    "Report",
    "Source",
    "Target",
    "Texts",
    "bundled_campaign_bytes",
    "is_facebook_page_url",
    "load_bundled_campaign",
    "parse_campaign",
    "parse_campaign_bytes",
    "read_campaign_file",
]

FORMAT = "campaign-companion/campaign"
FORMAT_VERSION = 1
BUNDLED_CAMPAIGN = "campaign-2016.json"

# IANA zone names: letters, digits and a few signs, at most a few dozen characters.
_ZONE_NAME = re.compile(r"[A-Za-z0-9_+\-]{1,30}(/[A-Za-z0-9_+\-]{1,30}){0,2}")
_ID = re.compile(r"[a-z0-9][a-z0-9-]{0,63}")  # matched whole (fullmatch: no trailing newline)
# Characters that reorder the text around them (right-to-left overrides and embeddings): a name
# could show as another. Isolates (U+2066–U+2069) only contain, and marks (U+200E/F) are needed.
_BIDI_OVERRIDES = frozenset("\u202a\u202b\u202c\u202d\u202e")


class CampaignError(UserError):
    """A campaign file that cannot be used, naming the field and the problem."""

    def __init__(self, where: str, problem: str, origin: str = "") -> None:
        message = _("Campaign file {origin}: {field}: {problem}").format(
            origin=origin or _("(unnamed)"), field=where or _("(top level)"), problem=problem
        )
        super().__init__(message, detail=f"{origin}: {where}: {problem}")
        self.where = where
        self.problem = problem


class _Reader:
    """Walks the JSON document, remembering the path so every error can name its field."""

    def __init__(self, origin: str) -> None:
        self.origin = origin

    def fail(self, where: str, problem: str) -> CampaignError:
        return CampaignError(where, problem, self.origin)

    def obj(self, value: Any, where: str) -> Mapping[str, Any]:
        if not isinstance(value, dict):
            raise self.fail(where, _("must be an object"))
        return value

    def required(self, data: Mapping[str, Any], key: str, where: str) -> Any:
        if key not in data or data[key] is None:
            raise self.fail(_join(where, key), _("is missing"))
        return data[key]

    def checked_text(self, value: Any, where: str, longest: int) -> str:
        if not isinstance(value, str) or not value.strip():
            raise self.fail(where, _("must be a non-empty text"))
        if len(value) > longest:
            raise self.fail(
                where, _("is longer than {count} characters").format(count=format_number(longest))
            )
        # Control characters (NUL, ESC, BEL…) would reach a terminal or a notification as they
        # are: only a long text may hold line breaks and tabs.
        allowed = "\n\t" if longest >= limits.MAX_LONG_TEXT else ""
        if any(
            (unicodedata.category(c) in ("Cc", "Cs", "Zl", "Zp") or c in _BIDI_OVERRIDES)
            and c not in allowed
            for c in value
        ):
            raise self.fail(where, _("contains a control character (such as NUL or ESC)"))
        return value

    def text(
        self,
        data: Mapping[str, Any],
        key: str,
        where: str,
        optional: bool = False,
        longest: int = limits.MAX_SHORT_TEXT,
    ) -> str:
        if optional and data.get(key) is None:
            return ""
        return self.checked_text(self.required(data, key, where), _join(where, key), longest)

    def texts(
        self,
        data: Mapping[str, Any],
        key: str,
        where: str,
        optional: bool = False,
        longest: int = limits.MAX_SHORT_TEXT,
    ) -> Texts:
        path = _join(where, key)
        if optional and data.get(key) is None:
            return {}
        value = self.obj(self.required(data, key, where), path)
        if not value:
            raise self.fail(path, _("needs a text in at least one language"))
        for lang, text in value.items():
            if lang not in LANGUAGES:
                raise self.fail(
                    _join(path, lang),
                    _("unknown language (use one of: {languages})").format(
                        languages=", ".join(LANGUAGES)
                    ),
                )
            self.checked_text(text, _join(path, lang), longest)
        return dict(value)

    def ident(self, data: Mapping[str, Any], where: str, seen: set[str]) -> str:
        value = self.required(data, "id", where)
        path = _join(where, "id")
        if not isinstance(value, str) or not _ID.fullmatch(value):
            raise self.fail(
                path, _("must be lower-case letters, digits and dashes, like maroc-telecom")
            )
        if value in seen:
            raise self.fail(path, _("“{id}” is used twice").format(id=value))
        seen.add(value)
        return value

    def day(self, data: Mapping[str, Any], key: str, where: str) -> date:
        value = self.required(data, key, where)
        try:
            if not isinstance(value, str):
                raise ValueError(value)
            day = date.fromisoformat(value)
        except ValueError:
            raise self.fail(
                _join(where, key), _("must be a date written YYYY-MM-DD, like 2016-01-16")
            ) from None
        if not limits.day_in_range(day):
            raise self.fail(
                _join(where, key),
                _("must be between {earliest} and {latest}").format(
                    earliest=limits.EARLIEST_DAY.isoformat(), latest=limits.LATEST_DAY.isoformat()
                ),
            )
        return day

    def span(self, data: Mapping[str, Any], where: str) -> tuple[date, date]:
        start = self.day(data, "start", where)
        end = self.day(data, "end", where) if data.get("end") is not None else start
        if end < start:
            raise self.fail(_join(where, "end"), _("is before the start date"))
        return start, end

    def items(self, data: Mapping[str, Any], key: str, where: str, optional: bool = False) -> list:
        if optional and data.get(key) is None:
            return []
        value = self.required(data, key, where)
        if not isinstance(value, list):
            raise self.fail(_join(where, key), _("must be a list"))
        if len(value) > limits.MAX_LIST_ITEMS:
            raise self.fail(
                _join(where, key),
                _("has more than {count} items").format(count=format_number(limits.MAX_LIST_ITEMS)),
            )
        return value

    def objects(self, values: list[Any], where: str) -> Iterator[tuple[str, Mapping[str, Any]]]:
        """Each item of a list, which must be an object, with its path (``targets[1]``)."""
        for i, value in enumerate(values):
            path = f"{where}[{i}]"
            yield path, self.obj(value, path)

    def entries(
        self, data: Mapping[str, Any], key: str, optional: bool = False
    ) -> Iterator[tuple[str, Mapping[str, Any]]]:
        """The objects of one of the document's own lists (``targets``, ``reports``…)."""
        return self.objects(self.items(data, key, "", optional), key)

    def choice(self, value: Any, where: str, choices: tuple[str, ...]) -> str:
        if not isinstance(value, str) or value not in choices:
            raise self.fail(where, _("must be one of: {kinds}").format(kinds=", ".join(choices)))
        return value

    def sources(self, data: Mapping[str, Any], where: str, required: bool) -> tuple[Source, ...]:
        raw = self.items(data, "sources", where, optional=not required)
        if required and not raw:
            raise self.fail(_join(where, "sources"), _("needs at least one source"))
        return tuple(
            self.source(item, path) for path, item in self.objects(raw, _join(where, "sources"))
        )

    def source(self, item: Mapping[str, Any], where: str) -> Source:
        url = self.text(item, "url", where, optional=True, longest=limits.MAX_URL)
        if url and not _is_web_address(url):
            raise self.fail(_join(where, "url"), _("must be a web address"))
        names: Texts = {}
        if isinstance(item.get("name"), Mapping):
            names = self.texts(item, "name", where)
            name = pick(names, "en")
        else:
            name = self.text(item, "name", where)
        return Source(
            name=name,
            names=names,
            url=url,
            published=self.day(item, "date", where) if item.get("date") is not None else None,
            via=self.text(item, "via", where, optional=True),
            article=self.text(item, "article", where, optional=True),
            title=self.texts(item, "title", where, optional=True),
        )


def _join(where: str, key: str) -> str:
    return f"{where}.{key}" if where else key


def _is_web_address(url: str) -> bool:
    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    return parts.scheme in ("https", "http") and bool(parts.netloc) and url.isprintable()


def parse_campaign(document: Any, origin: str = "") -> Campaign:
    """Validate a decoded campaign document and build the ``Campaign`` it describes.

    Section by section, in this order: the first problem found is the one reported.
    """
    r = _Reader(origin)
    data = r.obj(document, "")
    _check_format(r, data)
    campaign_id = r.ident(data, "", set())
    zone_name = _time_zone(r, data)
    seen: set[str] = set()  # pages, action days, events and reports share one set of ids
    targets = _targets(r, data, seen)
    action_days = _action_days(r, data, seen)
    events = _events(r, data, seen)
    reports = _reports(r, data, seen, {t.id for t in targets})
    hashtags = _hashtags(r, data)
    measure = _measure(r, data)
    # "start" must be an object before the feed is read; its date and note are read after the name.
    start_data = r.obj(r.required(data, "start", ""), "start")
    feed = _feed_source(r, data["feed"]) if "feed" in data else None
    name = r.texts(data, "name", "")
    start, start_note = _start(r, start_data)
    return Campaign(
        id=campaign_id,
        name=name,
        time_zone=zone_name,
        start=start,
        start_note=start_note,
        targets=targets,
        action_days=action_days,
        events=events,
        reports=reports,
        hashtags=hashtags,
        feed=feed,
        measure=measure,
    )


def _check_format(r: _Reader, data: Mapping[str, Any]) -> None:
    if data.get("format") != FORMAT:
        raise r.fail("format", _("must be “{format}”").format(format=FORMAT))
    version = data.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise r.fail("version", _("must be a whole number, 1 or more"))
    if version > FORMAT_VERSION:
        raise r.fail(
            "version",
            _("version {version} is newer than this app understands; please update the app").format(
                version=version
            ),
        )


def _time_zone(r: _Reader, data: Mapping[str, Any]) -> str:
    zone_name = r.text(data, "time_zone", "")
    try:
        if not _ZONE_NAME.fullmatch(zone_name):
            raise ValueError(zone_name)
        ZoneInfo(zone_name)
    except (ZoneInfoNotFoundError, ValueError, OSError):  # OSError: a name too long for a file
        raise r.fail("time_zone", _("is not a known time zone, like Africa/Casablanca")) from None
    return zone_name


def _targets(r: _Reader, data: Mapping[str, Any], seen: set[str]) -> tuple[Target, ...]:
    targets = tuple(_target(r, item, where, seen) for where, item in r.entries(data, "targets"))
    if not targets:
        raise r.fail("targets", _("needs at least one page"))
    return targets


def _target(r: _Reader, item: Mapping[str, Any], where: str, seen: set[str]) -> Target:
    target_id = r.ident(item, where, seen)
    url = r.text(item, "page_url", where, longest=limits.MAX_URL)
    if not is_facebook_page_url(url):
        raise r.fail(
            _join(where, "page_url"), _("must be an https address of a page on facebook.com")
        )
    return Target(
        id=target_id,
        name=r.texts(item, "name", where),
        page_url=url,
        graph_page_id=r.text(item, "graph_page_id", where, optional=True),
    )


def _action_days(r: _Reader, data: Mapping[str, Any], seen: set[str]) -> tuple[ActionDay, ...]:
    return tuple(
        _action_day(r, item, where, seen)
        for where, item in r.entries(data, "action_days", optional=True)
    )


def _action_day(r: _Reader, item: Mapping[str, Any], where: str, seen: set[str]) -> ActionDay:
    day_id = r.ident(item, where, seen)
    kind = r.choice(r.text(item, "kind", where), _join(where, "kind"), ACTION_KINDS)
    start, end = r.span(item, where)
    return ActionDay(
        id=day_id,
        kind=kind,
        start=start,
        end=end,
        title=r.texts(item, "title", where),
        details=r.texts(item, "details", where, optional=True, longest=limits.MAX_LONG_TEXT),
        sources=r.sources(item, where, required=False),
    )


def _events(r: _Reader, data: Mapping[str, Any], seen: set[str]) -> tuple[ContextEvent, ...]:
    return tuple(
        _event(r, item, where, seen) for where, item in r.entries(data, "events", optional=True)
    )


def _event(r: _Reader, item: Mapping[str, Any], where: str, seen: set[str]) -> ContextEvent:
    event_id = r.ident(item, where, seen)
    start, end = r.span(item, where)
    return ContextEvent(
        id=event_id,
        start=start,
        end=end,
        title=r.texts(item, "title", where),
        sources=r.sources(item, where, required=True),
    )


def _reports(
    r: _Reader, data: Mapping[str, Any], seen: set[str], target_ids: set[str]
) -> tuple[Report, ...]:
    return tuple(
        _report(r, item, where, seen, target_ids)
        for where, item in r.entries(data, "reports", optional=True)
    )


def _report(
    r: _Reader, item: Mapping[str, Any], where: str, seen: set[str], target_ids: set[str]
) -> Report:
    report_id = r.ident(item, where, seen)
    target = _report_target(r, item, where, target_ids)
    start, end = r.span(item, where)
    loss = _loss(r, item, where)
    percent = _loss_percent(r, item, where)
    if loss is None and percent is None:
        raise r.fail(where, _("needs a loss or a loss_percent"))
    qualifier = r.choice(item.get("qualifier", "exact"), _join(where, "qualifier"), QUALIFIERS)
    return Report(
        id=report_id,
        target=target,
        start=start,
        end=end,
        qualifier=qualifier,
        sources=r.sources(item, where, required=True),
        loss=loss,
        loss_percent=percent,
        note=r.texts(item, "note", where, optional=True, longest=limits.MAX_LONG_TEXT),
        date_given=_date_given(r, item, where),
    )


def _date_given(r: _Reader, item: Mapping[str, Any], where: str) -> bool:
    """Whether the report says on which day its figure was counted (``date_given``, true unless
    written false)."""
    given = item.get("date_given", True)
    if not isinstance(given, bool):
        raise r.fail(_join(where, "date_given"), _("must be true or false"))
    return given


def _report_target(r: _Reader, item: Mapping[str, Any], where: str, target_ids: set[str]) -> str:
    """The page a report is about, or "" for a figure that covers every page together."""
    target = item.get("target")
    target = "" if target is None else target
    if not isinstance(target, str):
        raise r.fail(_join(where, "target"), _("must be the id of one of the campaign's pages"))
    if target and target not in target_ids:
        raise r.fail(
            _join(where, "target"),
            _("“{target}” is not one of the campaign's pages").format(target=target),
        )
    return target


def _loss(r: _Reader, item: Mapping[str, Any], where: str) -> int | None:
    loss = item.get("loss")
    if loss is not None and (
        not isinstance(loss, int) or isinstance(loss, bool) or not limits.count_in_range(loss)
    ):
        raise r.fail(
            _join(where, "loss"),
            _("must be a whole number from 0 to {count}").format(
                count=format_number(limits.MAX_COUNT)
            ),
        )
    return loss


def _loss_percent(r: _Reader, item: Mapping[str, Any], where: str) -> float | None:
    percent = item.get("loss_percent")
    if percent is None:
        return None
    if (
        not isinstance(percent, int | float)
        or isinstance(percent, bool)
        or not math.isfinite(percent)
        or not 0 <= percent <= limits.MAX_PERCENT
    ):
        raise r.fail(_join(where, "loss_percent"), _("must be a number from 0 to 100"))
    return float(percent)


def _hashtags(r: _Reader, data: Mapping[str, Any]) -> tuple[str, ...]:
    hashtags = r.items(data, "hashtags", "", optional=True)
    for i, tag in enumerate(hashtags):
        if (
            not isinstance(tag, str)
            or not tag.startswith("#")
            or len(tag) > limits.MAX_SHORT_TEXT
            or not tag.isprintable()
        ):
            raise r.fail(f"hashtags[{i}]", _("must be a text starting with #"))
    return tuple(hashtags)


def _measure(r: _Reader, data: Mapping[str, Any]) -> str | None:
    measure = data.get("measure")
    if measure is not None and measure not in MEASURES:
        raise r.fail(
            "measure",
            _("must be “{likes}” or “{followers}”").format(likes=LIKES, followers=FOLLOWERS),
        )
    return measure


def _start(r: _Reader, start_data: Mapping[str, Any]) -> tuple[date, Texts]:
    day = r.day(start_data, "date", "start")
    note = r.texts(start_data, "note", "start", optional=True, longest=limits.MAX_LONG_TEXT)
    return day, note


def _feed_source(r: _Reader, value: Any) -> FeedSource:
    data = r.obj(value, "feed")
    mirrors = r.items(data, "mirrors", "feed")
    if not mirrors or len(mirrors) > layout.MAX_MIRRORS:
        raise r.fail("feed.mirrors", _("must list 1 to {n} addresses").format(n=layout.MAX_MIRRORS))
    checked = []
    for i, url in enumerate(mirrors):
        try:
            checked.append(check_mirror(url))
        except UserError:
            raise r.fail(f"feed.mirrors[{i}]", _("must be an https:// address")) from None
    root = b""
    if "root" in data:
        root_data = r.obj(data["root"], "feed.root")
        # TUF checks the root when it is used; here only that it is a small JSON object.
        root = json.dumps(root_data, ensure_ascii=False, separators=(",", ":")).encode()
        if len(root) > layout.MAX_ROOT_BYTES:
            raise r.fail("feed.root", _("is too large"))
    return FeedSource(tuple(checked), root)


def read_campaign_file(path: Path) -> bytes:
    """The file's bytes, at most one more than a campaign may weigh (``parse_campaign_bytes``
    refuses that many)."""
    try:
        with path.open("rb") as stream:
            return stream.read(limits.MAX_CAMPAIGN_BYTES + 1)
    except OSError as exc:
        raise UserError(
            _("Cannot read the campaign file {path}.").format(path=path), detail=repr(exc)
        ) from exc


def parse_campaign_bytes(raw: bytes, origin: str) -> Campaign:
    if len(raw) > limits.MAX_CAMPAIGN_BYTES:
        raise CampaignError(
            "",
            _("is larger than {size} MB; a campaign file is much smaller").format(
                size=limits.MAX_CAMPAIGN_BYTES // (1024 * 1024)
            ),
            origin,
        )
    try:
        document = json.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        raise CampaignError("", _("is not UTF-8 text"), origin) from exc
    except RecursionError as exc:
        raise CampaignError("", _("is nested too deeply to be a campaign file"), origin) from exc
    except json.JSONDecodeError as exc:
        # json's own words are English: the place is what the user needs, the words go to the log.
        error = CampaignError(
            "",
            _("is not valid JSON (line {line}, column {column})").format(
                line=exc.lineno, column=exc.colno
            ),
            origin,
        )
        error.detail += f" ({exc.msg})"
        raise error from exc
    except ValueError as exc:  # a number with thousands of digits
        raise CampaignError("", _("holds a number too long to read"), origin) from exc
    return parse_campaign(document, origin)


def bundled_campaign_bytes() -> bytes:
    return (PACKAGE_DIR / "resources" / BUNDLED_CAMPAIGN).read_bytes()


def load_bundled_campaign() -> Campaign:
    """The 2016 campaign shipped with the app, so it is useful offline on first start."""
    return parse_campaign_bytes(bundled_campaign_bytes(), BUNDLED_CAMPAIGN)
