"""The campaign itself: its pages, action days, context events and reported losses, as values.

Frozen dataclasses and the rules of their values (the measures, the kinds of action day, which
addresses are Facebook pages). Reading and checking a campaign file is ``campaign.py``'s work,
which re-exports every name here: ``from .campaign import Campaign`` is the way in.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any
from urllib.parse import unquote, urlsplit
from zoneinfo import ZoneInfo

from . import limits
from .i18n import pick

# What a campaign counts ("measure"): likes (2016), or followers (Facebook Pages today).
LIKES = "likes"
FOLLOWERS = "followers"
MEASURES = (LIKES, FOLLOWERS)

ACTION_KINDS = ("phone_shutdown", "unlike_wave", "boycott", "protest", "legal_action", "other")
QUALIFIERS = ("exact", "about", "more_than")
FACEBOOK_HOSTS = frozenset(
    {"facebook.com", "www.facebook.com", "m.facebook.com", "web.facebook.com"}
)

Texts = Mapping[str, str]


@dataclass(frozen=True)
class Source:
    """Where a fact was read: a publication, and optionally when, through whom and which article.

    ``name`` is the publication's own name; a publication that writes its name in each
    language ("فبراير.كوم", "Febrayer.com") has them in ``names`` (``name`` is then its English
    one); ``display_name`` picks the current language's. ``published`` the day it
    appeared (``date`` in the file, written YYYY-MM-DD). ``via`` is where the article was read
    when not at the publication itself (an aggregator, or a paper citing it); ``article`` is the
    article's number there. ``title`` describes the piece in each language ("timeline").
    """

    name: str
    url: str = ""
    published: date | None = None  # "date" in the file
    via: str = ""
    article: str = ""
    title: Texts = field(default_factory=dict)
    names: Texts = field(default_factory=dict)  # "name" in the file, when written per language

    def display_name(self, language: str | None = None) -> str:
        return pick(self.names, language) if self.names else self.name

    def as_document(self) -> dict[str, Any]:
        """The source as a campaign file writes it (only the fields it has)."""
        document: dict[str, Any] = {"name": dict(self.names) if self.names else self.name}
        if self.url:
            document["url"] = self.url
        if self.published is not None:
            document["date"] = self.published.isoformat()
        if self.via:
            document["via"] = self.via
        if self.article:
            document["article"] = self.article
        if self.title:
            document["title"] = dict(self.title)
        return document


@dataclass(frozen=True)
class Target:
    id: str
    name: Texts
    page_url: str
    graph_page_id: str = ""

    def display_name(self, language: str | None = None) -> str:
        return pick(self.name, language)


@dataclass(frozen=True)
class ActionDay:
    id: str
    kind: str
    start: date
    end: date
    title: Texts
    details: Texts
    sources: tuple[Source, ...] = ()
    own: bool = False  # added by the user, kept locally; the campaign's own days are read-only


@dataclass(frozen=True)
class ContextEvent:
    id: str
    start: date
    end: date
    title: Texts
    sources: tuple[Source, ...] = ()


@dataclass(frozen=True)
class Report:
    """A like loss reported at the time, known to the day (or to a span of days), never a minute.

    ``target`` is empty for a figure that covers every target together. ``loss`` may be missing
    when the report gave only a percentage. ``date_given`` is False when the report does not say
    on which day its figure was counted: ``start``–``end`` is then only where it is shown (the
    day it was published, or the day its own words point to), and it is said "date not given".
    """

    id: str
    target: str
    start: date
    end: date
    qualifier: str
    sources: tuple[Source, ...]
    loss: int | None = None
    loss_percent: float | None = None
    note: Texts = field(default_factory=dict)
    date_given: bool = True


@dataclass(frozen=True)
class FeedSource:
    """Where the campaign's live data is published, and the TUF root that signs it."""

    mirrors: tuple[str, ...]
    root: bytes = b""  # the trusted root metadata (JSON); only a campaign file carries it


@dataclass(frozen=True)
class Campaign:
    id: str
    name: Texts
    time_zone: str
    start: date
    targets: tuple[Target, ...]
    action_days: tuple[ActionDay, ...]
    events: tuple[ContextEvent, ...]
    reports: tuple[Report, ...]
    hashtags: tuple[str, ...] = ()
    start_note: Texts = field(default_factory=dict)
    feed: FeedSource | None = None
    # "likes" or "followers": what the campaign counts, its reports included; None where the file
    # names none (likes for the reports, and each page's own counts decide: like_loss)
    measure: str | None = None

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.time_zone)

    def target(self, target_id: str) -> Target | None:
        return next((t for t in self.targets if t.id == target_id), None)

    def local_noon(self, day: date) -> datetime:
        """Where a date-only figure sits on a time axis: noon of that day in the campaign's zone."""
        return datetime.combine(day, time(12), self.zone)

    def start_instant(self) -> datetime:
        return self.local_noon(self.start)


# A page address is written as RFC 3986 allows it unescaped: ASCII letters, digits, the
# unreserved marks and the delimiters, and percent escapes. No space, control character,
# non-ASCII letter, ``<>"{}|\^``, backtick or square bracket (only an IP host may have those),
# and one ``#`` at most (a fragment cannot hold another). So Qt's strict parser, which opens it,
# reads exactly what was checked here.
_URL_CHAR = r"(?:[A-Za-z0-9\-._~:/?@!$&'()*+,;=]|%[0-9A-Fa-f]{2})"
_URL_TEXT = re.compile(f"{_URL_CHAR}+(?:#{_URL_CHAR}*)?")
# Facebook addresses that are not pages: its link redirector (``l.php?u=`` and ``/l/``, ``/flx/``
# lead to any site), sign-in and sign-out, dialogs, sharing, embedded plugins, background
# requests and tracking, account recovery and checks. Compared with the first segment of the
# path, decoded and in lower case (``/L.php``, ``/%6C.php``), so a page whose name merely begins
# the same way (``/ShareTheMeal``) is still a page.
_NOT_PAGES = frozenset(
    {
        "settings",
        "messages",
        "ads",
        "business",
        "me",
        "watch",
        "marketplace",
        "friends",
        "notifications",
        "bookmarks",
        "saved",
        "gaming",
        "confirmemail.php",
        "help",
        "privacy",
        "policies",
        "oauth",
        "l.php",
        "l",
        "lx.php",
        "flx",
        "login",
        "login.php",
        "logout",
        "logout.php",
        "dialog",
        "sharer",
        "sharer.php",
        "share",
        "share.php",
        "plugins",
        "ajax",
        "tr",
        "checkpoint",
        "recover",
        "r.php",
    }
)

_API_VERSION = re.compile(r"v\d+(\.\d+)?")


def is_facebook_page_url(url: str) -> bool:
    """True only for an ``https`` address of a page on Facebook: the only pages the app opens.

    Strict, so that it agrees with ``QUrl(url, QUrl.StrictMode)``: the text is what RFC 3986
    allows unescaped (see ``_URL_TEXT``) and at most ``limits.MAX_URL`` long; the host is one of
    ``FACEBOOK_HOSTS`` with no user, password or port; the path names something (``/`` alone
    does not), has no ``.`` or ``..`` segment (a browser would resolve ``/x/../l.php``), and its
    first segment is not one of Facebook's addresses that are not pages (``_NOT_PAGES``).
    """
    if len(url) > limits.MAX_URL or not _URL_TEXT.fullmatch(url):
        return False
    try:
        parts = urlsplit(url)
        port = parts.port  # raises ValueError for ":abc" or a port out of range
    except ValueError:
        return False
    if parts.scheme != "https" or port is not None or parts.netloc.lower() not in FACEBOOK_HOSTS:
        return False
    # As the server reads it: decoded first (``/%6C.php`` is ``/l.php``, ``%2F`` a slash).
    segments = [s.split(";")[0].lower() for s in unquote(parts.path).split("/")[1:]]
    if not segments or not segments[0] or any(s in (".", "..") for s in segments):
        return False
    # ``/v19.0/dialog/oauth…``: the versioned Graph API dialogs (sign-in, sharing) are not pages.
    return segments[0] not in _NOT_PAGES and not _API_VERSION.fullmatch(segments[0])
