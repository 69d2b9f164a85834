"""How the translations read: French typography, and Darija plurals that name one and two in words.

French puts a no-break space (U+00A0, or the narrow U+202F) before : ; ! ? and inside « », and
writes one apostrophe, ’. Darija says "بعد ساعة" (in an hour) and "ساعتين" (two hours), never
"بعد 1 ساعة".
"""

from __future__ import annotations

import json
import re
from importlib import resources
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from campaign_gui.core.i18n import ngettext, set_language

ROOT = Path(__file__).resolve().parents[1]
NO_BREAK = "\u00a0\u202f"
# A sign that ends a clause: followed by a space, a closing mark or the end (not "09:30", ";;").
CLAUSE_SIGN = re.compile(r"[:;!?](?=[\s»”)\"]|$)")


def _catalog(language: str):
    with (ROOT / "translations" / language / "LC_MESSAGES" / "campaign_gui.po").open("rb") as f:
        return read_po(f)


def _french_catalog_texts() -> list[str]:
    texts = []
    for m in _catalog("fr"):
        if m.id:
            texts += list(m.string) if isinstance(m.string, tuple) else [m.string]
    return texts


def _french_campaign_texts() -> list[str]:
    raw = (resources.files("campaign_gui") / "resources" / "campaign-2016.json").read_text("utf-8")
    found: list[str] = []

    def walk(node: object) -> None:
        if isinstance(node, dict):
            if isinstance(node.get("fr"), str):
                found.append(node["fr"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(json.loads(raw))
    return found


def typography_slips(text: str) -> list[str]:
    slips = []
    if "'" in text:
        slips.append("ASCII apostrophe")
    for i, c in enumerate(text):
        before = text[i - 1] if i else ""
        after = text[i + 1] if i + 1 < len(text) else ""
        if c == "«" and after not in NO_BREAK:
            slips.append("« without a no-break space after it")
        if c == "»" and before not in NO_BREAK:
            slips.append("» without a no-break space before it")
    for sign in CLAUSE_SIGN.finditer(text):
        start = sign.start()
        # "%(prog)s: error" is argparse's; a sign right after a placeholder still needs the space
        if start == 0 or text[start - 1] not in NO_BREAK:
            slips.append(f"{sign.group()} without a no-break space before it")
    return slips


def test_the_rule_finds_slips():
    assert typography_slips("l'ANRT : « J’aime »") == [
        "ASCII apostrophe",
        "« without a no-break space after it",
        "» without a no-break space before it",
        ": without a no-break space before it",
    ]
    assert typography_slips("à 09:30, (*.csv);;Tous\u00a0: «\u00a0oui\u00a0»\u00a0!") == []


@pytest.mark.parametrize(
    "texts", [_french_catalog_texts, _french_campaign_texts], ids=["catalog", "campaign"]
)
def test_french_typography(texts):
    slips = {text: typography_slips(text) for text in texts() if typography_slips(text)}
    assert slips == {}


class _Values(dict):
    """The count, and a stand-in for every other placeholder of a message."""

    def __missing__(self, key: str) -> str:
        return "X"


def _darija_plurals() -> list[tuple[str, str]]:
    return [m.id for m in _catalog("ary") if isinstance(m.id, tuple)]


@pytest.mark.parametrize("n", [1, 2])
def test_darija_names_one_and_two_in_words(n):
    set_language("ary")
    try:
        for singular, plural in _darija_plurals():
            text = ngettext(singular, plural, n).format_map(_Values(n=n, count=n))
            assert not re.search(rf"(?<!\d){n}(?!\d)", text), text
    finally:
        set_language("en")


def test_darija_counts_above_two_keep_the_number():
    set_language("ary")
    try:
        for singular, plural in _darija_plurals():
            for n in (0, 3, 11, 100, 102):
                text = ngettext(singular, plural, n).format_map(_Values(n=n, count=n))
                assert str(n) in text or n == 0, text
    finally:
        set_language("en")


def _darija_texts() -> list[str]:
    texts = []
    for m in _catalog("ary"):
        if m.id:
            texts += list(m.string) if isinstance(m.string, tuple) else [m.string]
    return texts


@pytest.mark.parametrize(
    "texts",
    [_french_catalog_texts, _french_campaign_texts, _darija_texts],
    ids=["fr", "campaign", "ary"],
)
def test_a_short_quoted_label_stays_on_one_line(texts):
    """«\u00a0Se désabonner\u00a0» broke as "« Se" / "désabonner »": no breaking space inside."""
    split = [q for text in texts() for q in re.findall(r"«[^«»]{1,30}»", text) if " " in q]
    assert split == []
