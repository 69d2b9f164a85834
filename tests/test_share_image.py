"""The graph drawn for sharing: its sizes, texts and direction, and the command that makes it."""

from __future__ import annotations

import sqlite3
import subprocess

import numpy as np
import pytest
from PySide6.QtCore import QRectF
from PySide6.QtGui import QGuiApplication, QImage
from PySide6.QtWidgets import QMessageBox

from campaign_gui.core.i18n import PSEUDO_CLOSE, PSEUDO_OPEN, set_language
from campaign_gui.core.like_loss import build_series
from campaign_gui.core.page_counts import PageCounts
from campaign_gui.core.share_card import SHARE_SIZES, compose, date_ticks, number_ticks
from campaign_gui.core.store import STORE_FILE
from campaign_gui.ui.share_image import ShareDialog
from campaign_gui.ui.share_layout import draw_card
from campaign_gui.ui.share_text import BACKGROUND

from .conftest import app_command, offscreen_env, run_app

SIZES = list(SHARE_SIZES.values())


@pytest.fixture
def window(open_window):
    """The main window with the bundled campaign loaded."""
    return open_window("en")


def _card(campaign, language: str):
    set_language(language)
    return compose(campaign, build_series(campaign, campaign.reports, {}))


def _ink_columns(image: QImage, rect: QRectF) -> tuple[int, int]:
    """The leftmost and rightmost columns inside ``rect`` where anything was drawn."""
    background = BACKGROUND.rgb()
    columns = [
        x
        for x in range(max(0, int(rect.left()) - 4), min(image.width(), int(rect.right()) + 5))
        if any(
            image.pixel(x, y) != background
            for y in range(int(rect.top()), min(image.height(), int(rect.bottom()) + 1), 2)
        )
    ]
    assert columns, f"nothing drawn in {rect}"
    return columns[0], columns[-1]


@pytest.mark.parametrize("size", SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
def test_the_picture_has_the_size_asked_for_and_a_title_drawn(qapp, campaign, size):
    drawn = draw_card(_card(campaign, "en"), size)
    assert (drawn.image.width(), drawn.image.height()) == size
    title = drawn.places["title"]
    assert title.height() >= 40  # big enough to read on a phone
    left, right = _ink_columns(drawn.image, title)
    assert right - left > 300


def test_every_sentence_of_the_picture_comes_from_the_catalog(qapp, campaign):
    card = _card(campaign, "qps")
    texts = card.texts()
    # title, subtitle, the sources' label, the credit, the call to act, and a name, figure
    # and unit per operator
    assert len(texts) == 5 + 3 * len(campaign.targets)
    unmarked = [t for t in texts if not (PSEUDO_OPEN in t and PSEUDO_CLOSE in t)]
    assert unmarked == []
    # What the campaign file says as it is: hashtags and the sources' names are not translated.
    assert card.hashtags == campaign.hashtags
    assert card.sources == ("Arabi21", "Sefroupress", "labass.net", "BFM Business")
    for size in SIZES:
        drawn = draw_card(card, size)
        _ink_columns(drawn.image, drawn.places["title"])


def test_a_count_of_likes_is_named_among_the_sources(qapp, campaign):
    set_language("en")
    times = np.arange(1456300000.0, 1456300000.0 + 3600 * 200_000, 3600)
    likes = 2_000_000 - np.arange(len(times), dtype=np.float64)
    series = build_series(
        campaign, campaign.reports, {"inwi": PageCounts(times, likes, -np.ones_like(likes))}
    )
    card = compose(campaign, series)
    assert card.sources[-1] == "the pages' own like counts"
    drawn = draw_card(card, SIZES[0])
    _ink_columns(drawn.image, drawn.places["graph"])


@pytest.mark.parametrize("size", SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
def test_darija_mirrors_the_layout(qapp, campaign, size):
    width = size[0]
    english = draw_card(_card(campaign, "en"), size)
    darija = draw_card(_card(campaign, "ary"), size)
    margin = 60

    left, right = _ink_columns(english.image, english.places["title"])
    assert left < margin
    left, right = _ink_columns(darija.image, darija.places["title"])
    assert right > width - margin
    assert (left + right) / 2 > width / 2  # the title's ink sits towards the right

    # the subtitle starts on the start side (on the wide picture, over the graph, which sits
    # beside the figures on their end side): mirrored in Darija
    english_left, english_right = _ink_columns(english.image, english.places["subtitle"])
    darija_left, darija_right = _ink_columns(darija.image, darija.places["subtitle"])
    if size[1] >= size[0] * 0.9:
        assert english_right < width / 2 < darija_left
    else:
        assert english_left > english.places["figure:maroc-telecom"].right()
        assert darija_right < darija.places["figure:maroc-telecom"].left()
        assert abs(english_left - (width - darija_right)) < margin

    first, last = darija.places["figure:maroc-telecom"], darija.places["figure:inwi"]
    assert first.center().x() > width / 2  # the first operator is read first, on the right
    assert first.center().x() >= last.center().x()
    assert darija.places["hashtags"].right() > width - margin
    assert darija.places["credit"].left() < margin


def test_axes_are_round_numbers_and_dates_in_the_language(campaign):
    ticks, top = number_ticks(0, 200_000, 5)
    assert [t.value for t in ticks] == [0, 50_000, 100_000, 150_000, 200_000, 250_000]
    assert top == 250_000
    set_language("fr")
    assert ticks[0].label == "0"
    card = compose(campaign, build_series(campaign, campaign.reports, {}))
    labels = [t.label for t in date_ticks(*card.time_range, card.zone, 6)]
    assert labels[:2] == ["27 févr.", "29 févr."]
    set_language("ary")
    labels = [t.label for t in date_ticks(*card.time_range, card.zone, 6)]
    assert labels[0] == "27 فبراير"


# -- the command line ------------------------------------------------------------------------------


def test_export_png_writes_a_picture_of_each_size(tmp_path):
    result = run_app(tmp_path, "export", "--format", "png", "-o", "wide.png")
    assert result.returncode == 0, result.stderr
    image = QImage(str(tmp_path / "wide.png"))
    assert (image.width(), image.height()) == (1200, 675)
    assert "wide.png" in result.stderr

    square = subprocess.run(
        app_command(
            tmp_path, "--lang", "ary", "export", "--format", "png", "--size", "1080x1080", "-o", "-"
        ),
        capture_output=True,
        env=offscreen_env(),
        cwd=tmp_path,
        timeout=120,
    )
    assert square.returncode == 0, square.stderr
    image = QImage.fromData(square.stdout, "PNG")
    assert (image.width(), image.height()) == (1080, 1080)


def test_export_png_refuses_another_size_in_the_users_language(tmp_path):
    result = run_app(
        tmp_path, "--lang", "qps", "export", "--format", "png", "--size", "800x600", "-o", "x.png"
    )
    assert result.returncode == 1
    assert "800x600" in result.stderr and PSEUDO_OPEN in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "x.png").exists()
    other = run_app(tmp_path, "export", "--format", "csv", "--size", "1080x1080")
    assert other.returncode == 1
    assert "--format png" in other.stderr


def test_export_png_never_writes_over_the_apps_store(tmp_path):
    assert run_app(tmp_path, "status").returncode == 0
    store = tmp_path / "data" / STORE_FILE
    before = store.read_bytes()
    result = run_app(tmp_path, "export", "--format", "png", "-o", str(store))
    assert result.returncode == 1
    assert "Campaign Companion's own files" in result.stderr
    assert store.read_bytes() == before
    with sqlite3.connect(store) as connection:
        assert connection.execute("PRAGMA integrity_check").fetchone() == ("ok",)


# -- the window ------------------------------------------------------------------------------------


def test_sharing_from_the_window_saves_and_copies_the_picture(window, tmp_path):
    window.share_action.trigger()
    dialog = window.findChild(ShareDialog)
    assert dialog is not None and dialog.isVisible()
    assert (dialog.image.width(), dialog.image.height()) == (1200, 675)
    square = next(b for b in dialog.sizes.buttons() if b.property("size_key") == "1080x1080")
    square.setChecked(True)
    assert (dialog.image.width(), dialog.image.height()) == (1080, 1080)

    target = tmp_path / "campaign-graph.png"
    dialog.save_to(target)
    saved = QImage(str(target))
    assert (saved.width(), saved.height()) == (1080, 1080)
    copied = QGuiApplication.clipboard().image()
    assert (copied.width(), copied.height()) == (1080, 1080)
    assert str(target) in window.statusBar().currentMessage()


def test_sharing_refuses_the_apps_own_files(window, paths):
    window.share_action.trigger()
    dialog = window.findChild(ShareDialog)
    store = paths.data_dir / STORE_FILE
    before = store.read_bytes()
    dialog.save_to(store)
    box = dialog.findChild(QMessageBox)
    assert box is not None and "own files" in box.text()
    assert dialog.isVisible()
    assert store.read_bytes() == before


def test_a_campaign_of_hundreds_of_pages_still_makes_a_readable_picture(qapp, campaign):
    """The picture holds the campaign's first six pages and a line of hashtags, however many the
    file names (a hostile one named 200 pages and 500 hashtags: the cards were a black block)."""
    import dataclasses

    many = dataclasses.replace(
        campaign,
        targets=campaign.targets
        + tuple(
            dataclasses.replace(campaign.targets[0], id=f"page-{i}", name={"en": f"Page {i}"})
            for i in range(200)
        ),
        hashtags=tuple(f"#tag{i}" for i in range(500)),
    )
    card = compose(many, build_series(many, many.reports, {}))
    assert len(card.figures) == 6 and len(card.hashtags) == 12
    drawn = draw_card(card, SHARE_SIZES["1200x675"])
    assert not drawn.image.isNull()


@pytest.mark.parametrize("size", [(1200, 675), (1080, 1080)])
@pytest.mark.parametrize("language", ["ary", "fr"])
def test_on_a_phone_the_figures_come_with_their_unit_and_a_call_to_act(
    qapp, campaign, language, size
):
    """Seen 400 px wide, as WhatsApp or Facebook show it: each figure says what it counts in
    strong type, the captions are at least 9 px there, and the picture asks to act."""
    card = _card(campaign, language)
    drawn = draw_card(card, size)
    third = 400 / size[0]
    for figure in card.figures:
        place = drawn.places[f"figure:{figure.target_id}"]
        assert place.height() * third >= 9, (figure.figure, place)
        shown = [name for name in drawn.places if name.endswith(figure.target_id)]
        assert f"unit:{figure.target_id}" in shown or figure.unit in figure.headline
    assert drawn.places["sources"].height() * third >= 9
    assert drawn.places["call to action"].height() * third >= 9
    assert (
        card.call_to_action
        == {
            "ary": "حيد اللايك نتا تاني!",
            "fr": "Retirez votre «\u00a0J’aime\u00a0» vous aussi\u00a0!",
        }[language]
    )


def _drawn_texts(monkeypatch, card, size) -> list[tuple[str, int]]:
    """Every text drawn on the picture, with the pixel size of its letters."""
    import campaign_gui.ui.share_plot as share_plot
    import campaign_gui.ui.share_text as share_text

    drawn: list[tuple[str, int]] = []
    plain_text, layout = share_text.plain_text, share_text.CardPainter._layout

    def recorded_text(painter, text, box, font, colour, align, right_to_left):
        drawn.append((text, font.pixelSize()))
        plain_text(painter, text, box, font, colour, align, right_to_left)

    def recorded_layout(text, font, option, width, px, leading):
        drawn.append((text, font.pixelSize()))
        return layout(text, font, option, width, px, leading)

    monkeypatch.setattr(share_text, "plain_text", recorded_text)
    monkeypatch.setattr(share_plot, "plain_text", recorded_text)
    monkeypatch.setattr(share_text.CardPainter, "_layout", staticmethod(recorded_layout))
    draw_card(card, size)
    return drawn


@pytest.mark.parametrize("language", ["ary", "fr", "en"])
@pytest.mark.parametrize("size", SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
def test_on_a_phone_no_text_is_smaller_than_9_px(qapp, campaign, monkeypatch, language, size):
    """Scaled to 400 px wide, as a phone shows it, every text of the picture (the sources, the
    figures' dates, the axis labels, the names, the credit) is at least 9 px; the sources are
    named whole (the app's name beside them gives way first)."""
    card = _card(campaign, language)
    try:
        drawn = _drawn_texts(monkeypatch, card, size)
    finally:
        set_language("en")
    scale = 400 / size[0]
    small = [(text, px * scale) for text, px in drawn if px * scale < 9]
    assert not small, small
    texts = [text for text, _px in drawn]
    assert all(name in texts for name in card.sources), (card.sources, texts)
    assert any(figure.caption in texts for figure in card.figures)  # the date, said at least once


def test_an_undated_figure_is_a_hollow_marker_beside_the_line(qapp, campaign):
    """Sefroupress's figures give no date: on the picture too the line goes through Arabi21's
    figure of the first day, and the undated one is a hollow marker (the background inside)."""
    card = _card(campaign, "en")
    curve = next(c for c in card.curves if c.target_id == "maroc-telecom")
    assert list(curve.losses) == [0, 60000, 60000, 137500, 200000]
    undated = [loss for loss, u in zip(curve.mark_losses, curve.mark_undated, strict=True) if u]
    assert undated == [123380]
    from PySide6.QtCore import QPointF
    from PySide6.QtGui import QColor, QPainter

    from campaign_gui.ui.share_plot import draw_marker
    from campaign_gui.ui.share_text import CardPainter

    colour = QColor("#0072B2")
    for hollow, inside in ((True, BACKGROUND), (False, colour)):
        image = QImage(40, 40, QImage.Format.Format_RGB32)
        image.fill(BACKGROUND)
        painter = QPainter(image)
        draw_marker(CardPainter(painter, card, {}), "o", QPointF(20, 20), 17, colour, hollow)
        painter.end()
        assert image.pixelColor(20, 20).name() == inside.name()
