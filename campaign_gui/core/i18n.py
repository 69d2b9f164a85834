"""Translation of the app's own strings through gettext.

Every user-visible string is written ``_("English text")``. The active catalog can change while the
app runs (the language menu), so ``_`` looks it up at call time rather than being bound once.
"""

from __future__ import annotations

import gettext
import logging
import re
import unicodedata
from collections.abc import Mapping

from .. import PACKAGE_DIR

log = logging.getLogger(__name__)

DOMAIN = "campaign_gui"
LANGUAGES = ("ary", "fr", "en")
SOURCE_LANGUAGE = "en"
# A developer's pseudo-language: every string marked and lengthened, to find untranslated or
# clipped text. Not offered to users; ``--lang qps`` turns it on.
PSEUDO_LANGUAGE = "qps"

# Each language named in itself, for the language menu.
LANGUAGE_NAMES = {"ary": "الدارجة", "fr": "Français", "en": "English"}

# Babel locale used for numbers and dates in each app language. Darija formats as Moroccan Arabic
# (Western digits, the month names Moroccans use: يناير … غشت، شتنبر … دجنبر); French as French.
BABEL_LOCALES = {"ary": "ar_MA", "fr": "fr", "en": "en", PSEUDO_LANGUAGE: "en"}

# Qt's own catalog (standard buttons, text field menus) for each language.
QT_LOCALES = {"ary": "ar", "fr": "fr"}

_state: dict[str, object] = {
    "language": SOURCE_LANGUAGE,
    "translations": gettext.NullTranslations(),
}


def locale_dir() -> str:
    """Where the compiled catalogs (``<lang>/LC_MESSAGES/campaign_gui.mo``) live."""
    return str(PACKAGE_DIR / "locale")


def set_language(language: str) -> None:
    """Make ``language`` the one every later ``_`` call answers in."""
    if language == PSEUDO_LANGUAGE:
        _state["translations"] = PseudoTranslations()
    elif language == SOURCE_LANGUAGE:
        _state["translations"] = gettext.NullTranslations()
    elif language in LANGUAGES:
        try:
            _state["translations"] = gettext.translation(DOMAIN, locale_dir(), languages=[language])
        except OSError:
            # An incomplete install: English beats nothing, but it is a fault (--self-check fails).
            log.error("no %s catalog in %s: the app shows English", language, locale_dir())
            _state["translations"] = gettext.NullTranslations()
    else:
        raise ValueError(f"unknown language {language!r}")
    _state["language"] = language


def current_language() -> str:
    return str(_state["language"])


def babel_locale(language: str | None = None) -> str:
    return BABEL_LOCALES[language or current_language()]


def is_right_to_left(language: str | None = None) -> bool:
    return (language or current_language()) == "ary"


# Marks that only steer the direction of text or keep words together: they mean nothing where
# nothing lays text out from right to left (a terminal, a calendar's text), and some show boxes.
_INVISIBLE_MARKS = dict.fromkeys(
    map(ord, "\u200e\u200f\u061c\u2060\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
)


def without_invisible_marks(text: str) -> str:
    """``text`` for a terminal or a calendar: no direction marks nor word joiners (no-break
    spaces, which show as spaces, stay)."""
    return text.translate(_INVISIBLE_MARKS)


def embedded(text: str) -> str:
    """Text to be drawn inside a left-to-right graph, kept in its own language's direction.

    Darija labels get a right-to-left embedding (U+202B … U+202C), so "27 فبراير" still reads from
    the right when the graph around it runs left to right.
    """
    if not is_right_to_left() or not text:
        return text
    # A title with no Arabic in it (a Latin name, "<b>…</b>") keeps its own direction: made
    # right to left, its brackets and punctuation would come out mirrored and moved.
    if first_strong_direction(text) == "ltr":
        return f"\u202a{text}\u202c"
    return f"\u202b{text}\u202c"


def first_strong_direction(text: str) -> str | None:
    """The direction ``text`` reads in on its own, from its first letter that has one: "rtl"
    (Arabic, Hebrew), "ltr", or None (digits and signs only)."""
    for char in text:
        kind = unicodedata.bidirectional(char)
        if kind in ("R", "AL"):
            return "rtl"
        if kind == "L":
            return "ltr"
    return None


def qt_locale_name(language: str | None = None) -> str | None:
    """The Qt catalog suffix (``qtbase_<name>``) for a language; None for English."""
    return QT_LOCALES.get(language or current_language())


def _(message: str) -> str:
    translations = _state["translations"]
    assert isinstance(translations, gettext.NullTranslations)
    return translations.gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    translations = _state["translations"]
    assert isinstance(translations, gettext.NullTranslations)
    return translations.ngettext(singular, plural, n)


def pgettext(context: str, message: str) -> str:
    """``message`` as said in ``context``: one English word may be two in Darija ("Delete" a
    day, "Delete" a text field's selection)."""
    translations = _state["translations"]
    assert isinstance(translations, gettext.NullTranslations)
    return translations.pgettext(context, message)


def N_(message: str) -> str:  # noqa: N802 - the gettext convention
    """Mark a string for extraction without translating it yet."""
    return message


def pick(texts: Mapping[str, str], language: str | None = None) -> str:
    """Choose a campaign text (a ``{language: text}`` map) for the current language.

    Falls back to English, then French, then any text: a campaign may not carry every language.
    """
    lang = language or current_language()
    if lang == PSEUDO_LANGUAGE:
        return pseudo(pick(texts, SOURCE_LANGUAGE))
    for candidate in (lang, SOURCE_LANGUAGE, "fr"):
        if texts.get(candidate):
            return texts[candidate]
    return next(iter(texts.values()), "")


PSEUDO_OPEN, PSEUDO_CLOSE = "⟦", "⟧"
_ACCENTED = str.maketrans("aceinousyACEINOUSY", "áçéîñöüšýÁÇÉÎÑÖÜŠÝ")
_KEEP = re.compile(r"(\{[^{}]*\}|%\([^)]*\)[sd]|%[sd]|&&|&)")


def pseudo(text: str) -> str:
    """Mark and lengthen a text (about 40 %), keeping placeholders and accelerators intact."""
    if not text:
        return text
    parts = _KEEP.split(text)
    body = "".join(part if _KEEP.fullmatch(part) else part.translate(_ACCENTED) for part in parts)
    padding = "·" * max(2, len(text) * 2 // 5)
    return f"{PSEUDO_OPEN}{body}{padding}{PSEUDO_CLOSE}"


class PseudoTranslations(gettext.NullTranslations):
    def gettext(self, message: str) -> str:
        return pseudo(message)

    def ngettext(self, msgid1: str, msgid2: str, n: int) -> str:
        return pseudo(msgid1 if n == 1 else msgid2)

    def pgettext(self, context: str, message: str) -> str:
        return pseudo(message)


def language_for_locale(locale_name: str | None) -> str:
    """The app language for a system locale: Arabic → Darija, French → French, else English."""
    code = (locale_name or "").replace("-", "_").split("_")[0].lower()
    if code in ("ar", "ary"):
        return "ary"
    if code == "fr":
        return "fr"
    return "en"


def system_locale_name() -> str:
    """The system's locale as the environment states it (what a terminal user has chosen)."""
    import locale
    import os

    for variable in ("LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE"):
        value = os.environ.get(variable)
        if value:
            return value.split(":")[0]
    return locale.getlocale()[0] or ""
