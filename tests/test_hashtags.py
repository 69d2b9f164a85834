"""Arabic hashtags read from their "#": drawn right to left, the "#" is at the right of the
word (its start), in the About box and on the shared picture, in Darija, French and English.
Checked on the glyphs as Qt draws them (``probes.arabic_hashtag_sides``)."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QFont

import campaign_gui.ui.share_text as share_text
from campaign_gui.core.formatting import format_hashtags
from campaign_gui.core.i18n import set_language
from campaign_gui.core.like_loss import build_series
from campaign_gui.core.share_card import compose
from campaign_gui.ui.about_dialog import AboutDialog
from campaign_gui.ui.share_layout import draw_card

from .probes import arabic_hashtag_sides

TAGS = ("#OPEUnlike", "#خريتو", "#ضمير_مواطن")


def test_the_probe_tells_a_hashtag_drawn_the_wrong_way(qapp):
    """Left to right, a bare "#خريتو" puts its "#" at the end of the word: the probe sees it."""
    font = QFont("Noto Sans Arabic", 24)
    assert arabic_hashtag_sides("#خريتو", False, font) == ["left"]
    assert arabic_hashtag_sides("#خريتو", True, font) == ["right"]


@pytest.mark.parametrize("language", ["ary", "fr", "en"])
def test_the_hashtags_line_reads_from_the_hash_in_either_direction(qapp, language):
    set_language(language)
    try:
        line = format_hashtags(TAGS)
        font = QFont("Noto Sans Arabic", 24)
        for right_to_left in (True, False):  # whatever direction the paragraph is given
            assert arabic_hashtag_sides(line, right_to_left, font) == ["right", "right"]
    finally:
        set_language("en")


@pytest.mark.parametrize("language", ["ary", "fr"])
def test_the_about_box_draws_each_arabic_hashtag_from_its_hash(open_window, qtbot, language):
    window = open_window(language)
    window.show_about()
    qtbot.waitUntil(lambda: any(b.isVisible() for b in window.findChildren(AboutDialog)))
    (box,) = [b for b in window.findChildren(AboutDialog) if b.isVisible()]
    label = box.hashtags
    (line,) = [p for p in label.text().split("\n") if "#" in p]
    right_to_left = label.isRightToLeft()
    assert right_to_left == (language == "ary")
    assert arabic_hashtag_sides(line, right_to_left, label.font()) == ["right", "right"]
    box.close()


@pytest.mark.parametrize("language", ["ary", "fr", "en"])
def test_the_picture_draws_each_arabic_hashtag_from_its_hash(qapp, campaign, monkeypatch, language):
    drawn: list[tuple[str, bool, QFont]] = []
    plain_text = share_text.plain_text

    def recorded(painter, text, box, font, colour, align, right_to_left):
        drawn.append((text, right_to_left, QFont(font)))
        plain_text(painter, text, box, font, colour, align, right_to_left)

    monkeypatch.setattr(share_text, "plain_text", recorded)
    set_language(language)
    try:
        draw_card(compose(campaign, build_series(campaign, campaign.reports, {})), (1200, 675))
    finally:
        set_language("en")
    sides = [
        side
        for text, right_to_left, font in drawn
        for side in arabic_hashtag_sides(text, right_to_left, font)
    ]
    assert sides == ["right", "right"]
