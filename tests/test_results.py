"""The sentences that say what an import, an export, a sync or a round of tracking did: one wording,
shared by the window and the command line, translated by the catalogs."""

from __future__ import annotations

import pytest

from campaign_gui.core.i18n import set_language
from campaign_gui.core.results import (
    exported_text,
    import_sentences,
    merged_text,
    recorded_text,
    wrote_counts_text,
    wrote_days_text,
    wrote_picture_text,
)


@pytest.fixture(autouse=True)
def _english():
    set_language("en")
    yield
    set_language("en")


def test_an_import_says_what_it_skipped_only_when_it_skipped_something():
    assert import_sentences(1, 0) == ["Imported 1 page count."]
    assert import_sentences(3, 2) == [
        "Imported 3 page counts.",
        "2 were already stored and were skipped.",
    ]


def test_each_result_in_english():
    assert exported_text(1) == "Exported 1 page count."
    assert wrote_counts_text(2, "out.csv") == "Wrote 2 page counts to out.csv."
    assert wrote_days_text(1, "days.ics") == "Wrote 1 action day to days.ics."
    assert wrote_picture_text((1080, 1080), "a.png") == (
        "Wrote a picture of 1080 × 1080 pixels to a.png."
    )
    assert merged_text(0) == "0 page counts added or corrected."
    assert recorded_text(1) == "1 new count recorded."


def test_the_catalogs_translate_them():
    set_language("fr")
    assert import_sentences(2, 0) == ["2 relevés importés."]
    assert wrote_counts_text(1, "x.csv") == "1 relevé écrit dans x.csv."
