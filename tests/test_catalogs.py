"""The Darija and French catalogs: complete, not fuzzy, placeholders as in the source."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[1]
PLACEHOLDER = re.compile(r"\{[^{}]*\}|%\([^)]*\)[sdr]|%[sdr]")


def _catalog(path: Path):
    with path.open("rb") as stream:
        return read_po(stream)


def _po(language: str) -> Path:
    return ROOT / "translations" / language / "LC_MESSAGES" / "campaign_gui.po"


@pytest.mark.parametrize("language", ["ary", "fr"])
def test_every_message_is_translated_and_none_is_fuzzy(language):
    catalog = _catalog(_po(language))
    assert not catalog.fuzzy
    untranslated = [
        m.id
        for m in catalog
        if m.id and (m.fuzzy or not m.string or (isinstance(m.string, tuple) and not all(m.string)))
    ]
    assert untranslated == []


# Plural forms that name their number in words: Darija says "بعد ساعة" (in an hour), "ساعتين"
# (two hours), "ما تدخل حتى رقم" (none imported), never "بعد 1 ساعة". Only the count may go.
WORDED_FORMS = {"ary": (0, 1, 2), "fr": ()}
COUNTS = ("{n}", "{count}")


@pytest.mark.parametrize("language", ["ary", "fr"])
def test_placeholders_are_identical_to_the_source(language):
    wrong = []
    for m in _catalog(_po(language)):
        if not m.id:
            continue
        sources = m.id if isinstance(m.id, tuple) else (m.id,)
        targets = m.string if isinstance(m.string, tuple) else (m.string,)
        expected = sorted(PLACEHOLDER.findall(sources[-1]))
        for form, target in enumerate(targets):
            found = sorted(PLACEHOLDER.findall(target))
            worded = isinstance(m.id, tuple) and form in WORDED_FORMS[language]
            if worded:
                found = sorted({*found, *(c for c in COUNTS if c in expected)})
            if found != expected:
                wrong.append((m.id, target))
            if sources[0].endswith("\n") != target.endswith("\n"):
                wrong.append((m.id, target))
    assert wrong == []


@pytest.mark.parametrize(("language", "forms"), [("ary", 6), ("fr", 2)])
def test_plural_forms_follow_the_language(language, forms):
    catalog = _catalog(_po(language))
    assert catalog.num_plurals == forms
    for m in catalog:
        if isinstance(m.id, tuple):
            assert len(m.string) == forms, m.id


def test_the_template_holds_every_string_of_the_code(tmp_path):
    fresh = tmp_path / "fresh.pot"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "babel.messages.frontend",
            "extract",
            "-F",
            "babel.cfg",
            "--no-wrap",
            "-o",
            str(fresh),
            ".",
        ],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    code = {m.id for m in _catalog(fresh) if m.id}
    for language in ("ary", "fr"):
        translated = {m.id for m in _catalog(_po(language)) if m.id}
        assert code - translated == set(), f"run: python translations/catalogs.py ({language})"
