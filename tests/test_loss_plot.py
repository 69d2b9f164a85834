"""The like-loss graph as drawn: date labels in every language, event titles, legend, read-out,
colours. Labels are counted as the axes write them (the text each drawing hands to the painter)."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QColor, QImage, QPainter
from PySide6.QtWidgets import QApplication, QToolTip

from campaign_gui.core.i18n import embedded
from campaign_gui.core.like_loss import build_series
from campaign_gui.core.page_counts import PageCounts
from campaign_gui.ui.language import apply_language
from campaign_gui.ui.legend_row import LEGEND_SIDE_PX
from campaign_gui.ui.loss_plot import LocalDateAxis, LossPlot, NumberAxis
from campaign_gui.ui.palette import CURVE_COLOURS
from campaign_gui.ui.theme import ensure_theme

from .probes import contrast, readout_at

DAY = 86_400
ZOOMS = ("default", "every event", "a few days")


@pytest.fixture
def drawn(monkeypatch):
    """What each axis wrote the last time it was drawn, by axis class."""
    texts: dict[type, list[str]] = {}
    for cls in (LocalDateAxis, NumberAxis):
        original = cls.drawPicture

        def record(self, p, axis_spec, tick_specs, text_specs, _cls=cls, _original=original):
            texts[_cls] = [text for _rect, _flags, text in text_specs]
            _original(self, p, axis_spec, tick_specs, text_specs)

        monkeypatch.setattr(cls, "drawPicture", record)
    return texts


@pytest.fixture
def make_plot(qtbot, campaign):
    def make(language: str, start: str | None = None) -> LossPlot:
        apply_language(start or language)
        plot = LossPlot()
        qtbot.addWidget(plot)
        plot.resize(900, 560)  # the graph's share of the main window at its first size
        plot.show()
        qtbot.waitExposed(plot)
        plot.set_series(campaign, build_series(campaign, campaign.reports, {}))
        if start is not None:
            apply_language(language)
        return plot

    yield make
    apply_language("en")


def zoom(plot: LossPlot, how: str) -> None:
    if how == "every event":
        plot.show_everything()
    elif how == "a few days":
        start = plot._campaign.start_instant().timestamp()
        plot.plot.setXRange(start - 2 * DAY, start + 5 * DAY, padding=0)
    else:
        plot.show_figures()


def repaint(plot: LossPlot) -> None:
    for _ in range(2):  # the second time with the axes sized for their labels
        QApplication.processEvents()
        for name in ("left", "bottom"):
            plot.plot.getAxis(name).picture = None
        plot.plot_widget.viewport().repaint()


def date_labels(make_plot, drawn, language: str, how: str, start: str | None = None) -> list[str]:
    plot = make_plot(language, start)
    zoom(plot, how)
    repaint(plot)
    return drawn[LocalDateAxis]


@pytest.mark.parametrize("how", ZOOMS)
def test_darija_dates_are_drawn_as_many_as_french_ones_at_every_zoom(make_plot, drawn, how):
    french = date_labels(make_plot, drawn, "fr", how)
    english = date_labels(make_plot, drawn, "en", how)
    darija = date_labels(make_plot, drawn, "ary", how)
    switched = date_labels(make_plot, drawn, "ary", how, start="fr")
    assert len(french) >= 4 and len(english) == len(french)
    assert len(darija) == len(french)
    assert len(switched) == len(french)
    assert all("\u202b" in label for label in darija + switched)  # written in Darija


def test_at_every_event_the_axis_names_the_same_months_in_each_language(make_plot, drawn):
    """Ticks are spaced by the widest label of any language, in one caption size: French,
    English and Darija name the same months, however wide Darija's are."""
    ensure_theme()  # as in the app: Darija in an Arabic font, a size larger than French
    assert date_labels(make_plot, drawn, "fr", "every event")[:2] == ["mars 2016", "mai 2016"]
    assert date_labels(make_plot, drawn, "en", "every event")[:2] == ["Mar 2016", "May 2016"]
    darija = date_labels(make_plot, drawn, "ary", "every event")
    assert [label.replace("\u200f", "") for label in darija[:2]] == [
        embedded("مارس 2016"),
        embedded("ماي 2016"),
    ]


def test_the_darija_axis_is_worked_out_once_per_change_like_the_english_one(make_plot, drawn):
    for language in ("en", "ary"):
        plot = make_plot(language)
        zoom(plot, "every event")
        repaint(plot)
        assert plot.date_axis.picture is not None, language  # specs made, then drawn again


def test_the_value_axis_starts_at_a_labelled_zero(make_plot, drawn):
    for language in ("en", "ary"):
        plot = make_plot(language)
        repaint(plot)
        assert drawn[NumberAxis][0] == "0", language


def test_an_event_title_tells_its_whole_title_and_date_on_hover(make_plot, campaign):
    plot = make_plot("en")
    tips = [line.label.toolTip() for line in plot._event_lines]
    assert "ANRT confirms the ban\nJan\u00a07,\u00a02016" in tips


def legend_reads_from_the_right(plot: LossPlot) -> list[bool]:
    return [
        sample.sceneBoundingRect().center().x() > label.sceneBoundingRect().center().x()
        for sample, label in plot.legend.items
    ]


@pytest.mark.parametrize(
    ("start", "then", "from_the_right"),
    [("ary", "fr", False), ("fr", "ary", True), ("ary", "en", False), ("en", "ary", True)],
)
def test_the_legend_follows_the_language_not_how_the_app_started(
    make_plot, qtbot, start, then, from_the_right
):
    plot = make_plot(then, start=start)
    QApplication.processEvents()
    assert legend_reads_from_the_right(plot) == [from_the_right] * 4
    names = [label.item.toPlainText() for _sample, label in plot.legend.items]
    assert ("اتصالات المغرب" in names[0]) == (then == "ary")


@pytest.mark.parametrize("language", ["en", "ary"])
def test_the_legend_keeps_clear_of_the_graphs_sides(make_plot, language):
    """The legend starts a few pixels in from the side it reads from (the right in Darija, where
    its first mark touched the graph's border), and stays within the plot."""
    plot = make_plot(language)
    repaint(plot)
    view = plot.plot.getViewBox().sceneBoundingRect()
    legend = plot.legend.sceneBoundingRect()
    assert legend.left() >= view.left() and legend.right() <= view.right()
    if language == "ary":
        assert view.right() - legend.right() >= LEGEND_SIDE_PX - 0.5
    else:
        assert legend.left() - view.left() >= LEGEND_SIDE_PX - 0.5


def test_hovering_a_mark_shows_its_date_figure_and_source_beside_it(make_plot, qtbot):
    plot = make_plot("en")
    repaint(plot)
    series = plot._series["meditel"]
    index = 2  # Sefroupress, 94,282
    at = QPointF(float(series.times[index]), float(series.losses[index]))
    scene = plot.plot.getViewBox().mapViewToScene(at)
    plot.plot.scene().sigMouseMoved.emit(scene + QPointF(3, -2))
    assert QToolTip.isVisible()
    text = QToolTip.text()
    assert "Méditel" in text and "94,282" in text and "Sefroupress" in text
    assert "Feb\u00a027,\u00a02016" in text
    spot = plot.plot_widget.viewport().mapToGlobal(plot.plot_widget.mapFromScene(scene))
    tip = next(w for w in QApplication.topLevelWidgets() if w.inherits("QTipLabel"))
    assert (tip.geometry().topLeft() - spot).manhattanLength() < 60  # at the point, not far off
    plot.plot.scene().sigMouseMoved.emit(plot.plot.getViewBox().sceneBoundingRect().topLeft())
    qtbot.waitUntil(lambda: not QToolTip.isVisible())  # an empty corner: the tooltip goes


def test_the_arrow_keys_read_the_marks_one_by_one(make_plot, qtbot):
    plot = make_plot("en")
    plot.plot_widget.setFocus()
    qtbot.keyClick(plot.plot_widget, Qt.Key.Key_End)
    assert QToolTip.isVisible()
    last = QToolTip.text()
    assert "more than 170,000 likes lost" in last  # the latest report, inwi's
    assert plot.plot_widget.accessibleDescription() == last  # what a screen reader is told
    qtbot.keyClick(plot.plot_widget, Qt.Key.Key_Home)
    first = QToolTip.text()
    assert "The unliking started on Friday night" in first and "starts" not in first
    seen = {first}
    for _ in range(12):
        qtbot.keyClick(plot.plot_widget, Qt.Key.Key_Right)
        seen.add(QToolTip.text())
    assert any("Sefroupress" in text for text in seen)
    assert len(seen) > 5


def pixel(plot: LossPlot, x_fraction: float, y_fraction: float) -> QColor:
    image = plot.plot_widget.grab().toImage()
    return image.pixelColor(int(image.width() * x_fraction), int(image.height() * y_fraction))


def test_the_graph_turns_dark_and_back_at_once(make_plot):
    plot = make_plot("en")
    repaint(plot)
    assert pixel(plot, 0.5, 0.75).lightness() > 200
    plot.apply_color_scheme(True)
    repaint(plot)
    assert pixel(plot, 0.5, 0.75).lightness() < 60  # an empty part of the view
    for name in ("left", "bottom"):  # quiet, but readable: WCAG AA on the graph's background
        assert contrast(plot.plot.getAxis(name).textPen().color(), pixel(plot, 0.5, 0.75)) >= 4.5
    assert plot.legend.opts["labelTextColor"].lightness() > 190
    plot.apply_color_scheme(False)
    repaint(plot)
    assert pixel(plot, 0.5, 0.75).lightness() > 200
    tick = plot.plot.getAxis("bottom").textPen().color()
    assert tick.lightness() < 128 and contrast(tick, pixel(plot, 0.5, 0.75)) >= 4.5


def test_tracked_counts_are_a_line_and_the_press_figures_marks_beside_it(qtbot, campaign):
    """With tracked counts, a page's line joins its counts only (no zigzag through a rounded
    press figure); the press figures are marks of their own, hidden with the line from the
    legend, and still read out on hover."""
    apply_language("en")
    start = campaign.start_instant().timestamp()
    times = start - 3300 + np.arange(0, 30 * DAY, 600, dtype=np.float64)  # never at noon
    likes = 2_000_000 - np.arange(len(times), dtype=np.float64)  # one like lost every 10 min
    series = build_series(
        campaign, campaign.reports, {"meditel": PageCounts(times, likes, -np.ones_like(likes))}
    )
    plot = LossPlot()
    qtbot.addWidget(plot)
    plot.resize(900, 560)
    plot.show()
    plot.set_series(campaign, series)
    line = series["meditel"]
    reported = sorted(i for i, info in line.info.items() if info.kind == "report")
    xs, ys = plot.curves["meditel"].getData()
    counted = np.delete(np.arange(len(line)), reported)
    assert set(line.times[counted]) <= set(xs)  # through every count
    assert np.allclose(ys, np.interp(xs, line.times[counted], line.losses[counted]))  # only
    assert np.all(np.diff(ys) >= 0)  # steadily losing, as the counts say: no spike
    marks = plot.report_marks["meditel"]
    assert sorted(marks.getData()[1]) == sorted(line.losses[reported])
    # no counts: its line joins its dated reports; the undated one is a mark beside it
    assert list(plot.curves["maroc-telecom"].getData()[1]) == [0, 60000, 60000, 137500, 200000]
    assert list(plot.report_marks["maroc-telecom"].getData()[1]) == [123380]
    plot.curves["meditel"].setVisible(False)  # what a click on the legend does
    assert not marks.isVisible()
    plot.curves["meditel"].setVisible(True)
    assert marks.isVisible()
    index = reported[1]
    at = QPointF(float(line.times[index]), float(line.losses[index]))
    plot.show_everything()
    repaint(plot)
    scene = plot.plot.getViewBox().mapViewToScene(at)
    assert "Méditel" in readout_at(plot, scene)


def test_dense_lines_carry_their_pages_symbols_along_them(qtbot, campaign):
    """A year of counts is a thin solid line (as fast as bare pyqtgraph); what tells the pages
    apart without colour is each one's symbol, drawn on its own line a few times across the
    graph and shown in the legend; the marks stay on the same counts while panning."""
    apply_language("en")
    start = campaign.start_instant().timestamp()
    times = start + np.arange(0, 60 * DAY, 300, dtype=np.float64)
    counts = {
        target: PageCounts(
            times,
            likes := 2_000_000 - 20 * (1 + k) * np.arange(len(times), dtype=np.float64),
            -np.ones_like(likes),
        )
        for k, target in enumerate(("maroc-telecom", "meditel"))
    }
    series = build_series(campaign, [], counts)  # no press figures: the counts' lines alone
    plot = LossPlot()
    qtbot.addWidget(plot)
    plot.resize(900, 560)
    plot.show()
    qtbot.waitExposed(plot)
    plot.set_series(campaign, series)
    plot.plot.setXRange(times[0], times[-1], padding=0)
    repaint(plot)
    image = plot.plot_widget.grab().toImage()
    view = plot.plot.getViewBox()
    placed = {}
    for index, target in enumerate(counts):
        xs, ys = plot.line_marks[target].positions()
        assert 5 <= len(xs) <= 20  # a few across the graph, not one per count
        assert set(xs) <= set(series[target].times)  # on the line's own counts
        colour = QColor(CURVE_COLOURS[index])
        for x, y in zip(xs, ys, strict=True):
            spot = plot.plot_widget.mapFromScene(view.mapViewToScene(QPointF(x, y)))
            assert image.pixelColor(spot) == colour
        placed[target] = set(xs)
    assert not placed["maroc-telecom"] & placed["meditel"]  # one page's marks between the other's
    assert plot.line_marks["maroc-telecom"].path != plot.line_marks["meditel"].path
    for index, (sample, _label) in enumerate(plot.legend.items[:2]):
        spot = plot.plot_widget.mapFromScene(sample.mapToScene(QPointF(10, 8)))  # over the line
        assert image.pixelColor(spot) == QColor(CURVE_COLOURS[index])  # the mark

    plot.plot.setXRange(times[0] + DAY, times[-1] + DAY, padding=0)
    repaint(plot)
    assert placed["meditel"] & set(plot.line_marks["meditel"].positions()[0])
    plot.curves["meditel"].setVisible(False)  # what a click on the legend does
    assert not plot.line_marks["meditel"].isVisible()


UNDATED = {
    "en": "date not given — shown at Feb\u00a027,\u00a02016",
    "fr": "date non précisée — placé au 27\u00a0févr.\u00a02016",
    "ary": "التاريخ ما معروفش — حطيناه ف \u206827\u00a0فبراير\u00a02016\u2069",
}


@pytest.mark.parametrize("language", ["en", "fr", "ary"])
def test_an_undated_figure_is_a_hollow_mark_said_date_not_given(make_plot, qtbot, language):
    """Sefroupress's figures give no date ("in one day"): the read-out says so and where the
    figure is shown, never "reported for 27 Feb"; the mark is hollow (the background inside a
    ring of the page's colour) beside Arabi21's dated figure of that day, which is filled."""
    plot = make_plot(language)
    repaint(plot)
    series = plot._series["meditel"]
    undated = next(i for i, info in series.info.items() if not info.date_given)
    dated = next(
        i
        for i, info in series.info.items()
        if info.kind == "report" and info.date_given and series.times[i] == series.times[undated]
    )
    view = plot.plot.getViewBox()
    image = plot.plot_widget.viewport().grab().toImage()

    def centre(i: int) -> QColor:
        scene = view.mapViewToScene(QPointF(float(series.times[i]), float(series.losses[i])))
        at = plot.plot_widget.mapFromScene(scene)
        return image.pixelColor(at.x(), at.y())

    assert centre(undated).name() == QColor(plot.colours.mark_edge).name()  # hollow
    assert centre(dated).name() == QColor(CURVE_COLOURS[1]).name()  # filled
    text = plot.describe("meditel", undated)
    assert UNDATED[language] in text
    assert "94" in text and "Sefroupress" in text


def test_the_french_tooltips_write_every_date_one_way(make_plot, qtbot):
    """One date format on the graph: every date its read-outs and event titles say is CLDR's
    abbreviated one (« 27 févr. 2016 », « 1er–10 mars 2016 »), never « 26 février » or
    2016-02-27 beside it."""
    import re

    plot = make_plot("fr")
    tips = [plot.describe(key, i) for key, i in plot._marks]
    tips += [line.label.toolTip() for line in plot._event_lines]
    text = "\n".join(tips).replace("\u2060", "").replace("\u00a0", " ").replace("\u202f", " ")
    assert not re.search(r"\d{4}-\d{2}-\d{2}", text)
    months = re.findall(r"\b\d{1,2}(?:er)?(?:–\d{1,2})? (\w+\.?) 2016", text)
    assert len(months) > 10
    short = {"janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct."}
    assert set(months) <= short | {"nov.", "déc."}, set(months)


@pytest.mark.parametrize(
    "schemes", [[False], [True], [True, False]], ids=["light", "dark", "dark then light"]
)
def test_the_grid_is_one_faint_colour_as_a_see_through_line_would_leave(qtbot, schemes):
    """The grid is painted in solid colours (see-through lines cost Qt more to paint than the
    curves of a million counts), each the colour a faint line of the axis colour leaves on the
    background: an empty view shows the background and that one colour, in both directions."""
    apply_language("en")
    plot = LossPlot()
    qtbot.addWidget(plot)
    plot.resize(900, 560)
    plot.show()
    qtbot.waitExposed(plot)
    for dark in schemes:  # each switch mixes the grid again with the new background
        plot.plot.setXRange(1_456_790_400, 1_459_468_800, padding=0)
        repaint(plot)
        plot.apply_color_scheme(dark)
    plot.plot.setXRange(1_456_790_400, 1_459_468_800, padding=0)  # March 2016
    plot.plot.setYRange(0, 1_000_000, padding=0)
    repaint(plot)
    colours = plot.colours
    faint = QColor(colours.axis)
    faint.setAlpha(int(colours.grid_alpha * 255))
    expected = QImage(1, 1, QImage.Format.Format_RGB32)
    expected.fill(QColor(colours.background))
    painter = QPainter(expected)
    painter.setPen(faint)
    painter.drawPoint(0, 0)
    painter.end()
    image = plot.plot_widget.grab().toImage()
    view = plot.plot_widget.mapFromScene(plot.plot.getViewBox().sceneBoundingRect()).boundingRect()
    inside = view.adjusted(3, 3, -3, -3)
    seen = {
        image.pixelColor(x, y).name()
        for x in range(inside.left(), inside.right())
        for y in range(inside.top(), inside.bottom(), 7)
    }
    assert seen == {QColor(colours.background).name(), expected.pixelColor(0, 0).name()}
    grey = expected.pixelColor(0, 0).name()
    columns = range(inside.left(), inside.right())
    rows = range(inside.top(), inside.bottom())
    vertical = [x for x in columns if all(image.pixelColor(x, y).name() == grey for y in rows)]
    across = [y for y in rows if all(image.pixelColor(x, y).name() == grey for x in columns)]
    assert len(vertical) >= 3 and len(across) >= 3  # a grid, both ways
