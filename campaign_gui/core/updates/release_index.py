"""The release index: which versions of the app exist, what each brings (in ary, fr and en), and
per platform the installer's name, length and SHA-256. Signed by the project's release keys as
one TUF target (``release_publish``), read once here and checked against ``limits``: anything
malformed is refused whole.

A version is ``MAJOR.MINOR.PATCH``, optionally followed by ``aN``, ``bN``, ``rcN`` (pre-releases,
before the release) or ``.devN`` (a development build, before those): the subset of PEP 440 the
project tags with, compared by number, so 1.10.0 comes after 1.9.0.
"""

from __future__ import annotations

import json
import platform
import re
import sys
import unicodedata
from dataclasses import dataclass
from datetime import date
from functools import total_ordering

from .. import limits
from ..i18n import LANGUAGES, pick

INDEX_TARGET = "release-index.json"  # the index's name as a TUF target
INDEX_FORMAT = 1
PLATFORMS = ("windows-x86_64", "macos-x86_64", "macos-arm64", "linux-x86_64")

_VERSION = re.compile(r"(\d{1,6})\.(\d{1,6})\.(\d{1,6})(?:(a|b|rc)(\d{1,6}))?(?:\.dev(\d{1,6}))?")
_PRE_RANK = {"a": 0, "b": 1, "rc": 2, None: 3}
_SHA256 = re.compile(r"[0-9a-f]{64}")
# Characters that reorder the text around them (as a campaign's texts refuse them): notes could
# show as other words. Isolates (U+2066–U+2069) and marks (U+200E/F) are fine.
_BIDI_OVERRIDES = frozenset("\u202a\u202b\u202c\u202d\u202e")
# An installer's file name: what the release workflow attaches (campaign-gui-1.2.0-setup.exe).
_INSTALLER_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._+-]*")
# Names Windows keeps for its devices, whatever follows the first dot ("nul.exe" is the null
# device there), and a final dot or space, which it drops ("a." is "a"): never a file's.
_WINDOWS_DEVICE = re.compile(r"(con|prn|aux|nul|com[0-9]|lpt[0-9])(\..*)?", re.IGNORECASE)


class ReleaseIndexError(ValueError):
    """A release index (or a version in it) that is not valid; the message says where."""


@total_ordering
@dataclass(frozen=True)
class Version:
    major: int
    minor: int
    patch: int
    pre: tuple[str, int] | None = None  # ("rc", 1)
    dev: int | None = None

    @classmethod
    def parse(cls, text: str) -> Version:
        """``text`` as a version, or ``ReleaseIndexError``. A local part (``+g1234``, a build from a
        checkout) is not a release's: the running app's is dropped by ``running_version``."""
        found = _VERSION.fullmatch(text) if isinstance(text, str) else None
        if found is None:
            raise ReleaseIndexError(
                f"version {str(text)[:40]!r} is not MAJOR.MINOR.PATCH[aN|bN|rcN]"
            )
        major, minor, patch, kind, number, dev = found.groups()
        pre = (kind, int(number)) if kind else None
        return cls(int(major), int(minor), int(patch), pre, int(dev) if dev else None)

    def _key(self) -> tuple[int, ...]:
        kind, number = self.pre if self.pre else (None, 0)
        # A development build comes before its pre-releases and release (1.2.0.dev1 < 1.2.0a1).
        dev = (-1, self.dev) if self.dev is not None else (0, 0)
        if self.dev is not None and self.pre is None:
            return (self.major, self.minor, self.patch, -1, 0, *dev)
        return (self.major, self.minor, self.patch, _PRE_RANK[kind], number, *dev)

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, Version):
            return NotImplemented
        return self._key() < other._key()

    def __str__(self) -> str:
        text = f"{self.major}.{self.minor}.{self.patch}"
        if self.pre:
            text += f"{self.pre[0]}{self.pre[1]}"
        if self.dev is not None:
            text += f".dev{self.dev}"
        return text


def running_version(text: str) -> Version:
    """The running app's version (``__version__``), its local part (``+...``) left out."""
    return Version.parse(text.partition("+")[0])


@dataclass(frozen=True)
class Installer:
    name: str  # the file's name, as the TUF target is named
    length: int
    sha256: str


@dataclass(frozen=True)
class Release:
    version: Version
    date: date
    notes: dict[str, str]  # language -> what's new, plain text
    installers: dict[str, Installer]  # platform -> its installer

    def notes_in(self, language: str | None = None) -> str:
        """What's new, in ``language`` (the current one if None)."""
        return pick(self.notes, language)


@dataclass(frozen=True)
class ReleaseIndex:
    releases: tuple[Release, ...]  # newest first


def current_platform() -> str | None:
    """This computer's platform as the index names it, or None if no installer is made for it."""
    machine = platform.machine().lower()
    arch = {"amd64": "x86_64", "x86_64": "x86_64", "arm64": "arm64", "aarch64": "arm64"}.get(
        machine
    )
    system = {"win32": "windows", "darwin": "macos", "linux": "linux"}.get(sys.platform)
    name = f"{system}-{arch}"
    return name if name in PLATFORMS else None


def _text(value: object, where: str, most: int) -> str:
    if not isinstance(value, str) or not value.strip() or len(value) > most:
        raise ReleaseIndexError(f"{where}: not a text of 1 to {most} characters")
    # C0 and C1 controls (ESC, and U+009B, a terminal's CSI), lone surrogates, line and paragraph
    # separators, overrides: printed by ``update check``, shown in the window.
    if any(
        (unicodedata.category(c) in ("Cc", "Cs", "Zl", "Zp") or c in _BIDI_OVERRIDES)
        and c not in "\n\t"
        for c in value
    ):
        raise ReleaseIndexError(f"{where}: a control character")
    return value


def _object(value: object, where: str, keys: set[str]) -> dict:
    if not isinstance(value, dict):
        raise ReleaseIndexError(f"{where}: not an object")
    if set(value) != keys:
        raise ReleaseIndexError(f"{where}: the keys are {sorted(value)[:10]}, not {sorted(keys)}")
    return value


def _installer(value: object, where: str) -> Installer:
    found = _object(value, where, {"name", "length", "sha256"})
    name, length, sha256 = found["name"], found["length"], found["sha256"]
    if (
        not isinstance(name, str)
        or len(name) > limits.MAX_INSTALLER_NAME
        or not _INSTALLER_NAME.fullmatch(name)
        or _WINDOWS_DEVICE.fullmatch(name)
        or name.endswith(".")
    ):
        raise ReleaseIndexError(f"{where}.name: not a plain file name")
    if type(length) is not int or not 0 < length <= limits.MAX_INSTALLER_BYTES:
        raise ReleaseIndexError(f"{where}.length: not between 1 and {limits.MAX_INSTALLER_BYTES}")
    if not isinstance(sha256, str) or not _SHA256.fullmatch(sha256):
        raise ReleaseIndexError(f"{where}.sha256: not 64 lowercase hexadecimal digits")
    return Installer(name, length, sha256)


def _release(value: object, where: str) -> Release:
    found = _object(value, where, {"version", "date", "notes", "installers"})
    version = Version.parse(found["version"])
    try:
        day = date.fromisoformat(found["date"]) if isinstance(found["date"], str) else None
    except ValueError:
        day = None
    if day is None or len(found["date"]) != 10 or not limits.day_in_range(day):
        raise ReleaseIndexError(f"{where}.date: not a day YYYY-MM-DD from 2000 to 2099")
    notes = _object(found["notes"], f"{where}.notes", set(LANGUAGES))
    texts = {
        lang: _text(notes[lang], f"{where}.notes.{lang}", limits.MAX_LONG_TEXT) for lang in notes
    }
    installers = found["installers"]
    if not isinstance(installers, dict) or not installers or not set(installers) <= set(PLATFORMS):
        raise ReleaseIndexError(f"{where}.installers: not an object of platforms {list(PLATFORMS)}")
    return Release(
        version,
        day,
        texts,
        {
            p: _installer(installers[p], f"{where}.installers.{p}")
            for p in PLATFORMS
            if p in installers
        },
    )


def parse_index(data: bytes) -> ReleaseIndex:
    """The index in ``data`` (UTF-8 JSON), checked whole, or ``ReleaseIndexError`` saying where."""
    if len(data) > limits.MAX_RELEASE_INDEX_BYTES:
        raise ReleaseIndexError(f"{len(data)} bytes, more than {limits.MAX_RELEASE_INDEX_BYTES}")
    try:
        document = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise ReleaseIndexError(f"not JSON: {exc}") from None
    found = _object(document, "index", {"format", "releases"})
    if found["format"] != INDEX_FORMAT or type(found["format"]) is not int:
        raise ReleaseIndexError(f"format {str(found['format'])[:20]}, not {INDEX_FORMAT}")
    releases = found["releases"]
    if not isinstance(releases, list) or not 0 < len(releases) <= limits.MAX_RELEASES:
        raise ReleaseIndexError(f"releases: not a list of 1 to {limits.MAX_RELEASES}")
    parsed = [_release(r, f"releases[{i}]") for i, r in enumerate(releases)]
    versions = [r.version for r in parsed]
    if versions != sorted(set(versions), reverse=True):
        raise ReleaseIndexError("releases: not newest first, or a version listed twice")
    names = [i.name for r in parsed for i in r.installers.values()]
    if len(names) != len(set(names)):
        raise ReleaseIndexError("installers: a file name listed twice")
    return ReleaseIndex(tuple(parsed))


def index_document(index: ReleaseIndex) -> dict:
    """``index`` as the JSON object ``parse_index`` reads."""
    return {
        "format": INDEX_FORMAT,
        "releases": [
            {
                "version": str(r.version),
                "date": r.date.isoformat(),
                "notes": {lang: r.notes[lang] for lang in LANGUAGES},
                "installers": {
                    p: {"name": i.name, "length": i.length, "sha256": i.sha256}
                    for p, i in r.installers.items()
                },
            }
            for r in index.releases
        ],
    }


def index_bytes(index: ReleaseIndex) -> bytes:
    """``index`` as signed: UTF-8 JSON, checked by ``parse_index`` on the very bytes."""
    data = json.dumps(index_document(index), ensure_ascii=False, indent=1).encode("utf-8")
    parse_index(data)
    return data
