"""The graph's event titles and date labels at "Show every event", in the window the app opens:
titles never over one another nor past the graph's edges, Darija months apart from their years."""

from __future__ import annotations

import itertools

import numpy as np
import pyqtgraph as pg
import pytest
from PySide6.QtCore import QPoint, QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFontMetricsF, QImage, QPainter

from campaign_gui.ui.date_axis import tick_font
from campaign_gui.ui.event_lines import place_titles
from campaign_gui.ui.theme import ensure_theme

WIDTHS = (1180, 900, 700)


def spans(xs, widths, places):
    return [
        (x, x + p.width) if p.rightward else (x - p.width, x)
        for x, p in zip(xs, places, strict=True)
        if p is not None
    ]


def test_titles_of_lines_days_apart_go_on_rows_of_their_own():
    xs, widths = [20, 34, 150, 760], [240, 250, 280, 300]
    places = place_titles(xs, widths, 800, rows=4)
    assert [p.row for p in places] == [0, 1, 2, 0]
    assert [p.rightward for p in places] == [True, True, True, False]  # toward the middle
    assert [p.width for p in places] == widths  # whole


def test_a_title_never_runs_past_an_edge_and_is_shortened_to_the_room_there_is():
    places = place_titles([10, 390], [500, 500], 400, rows=1, edge=4)
    first, second = places
    assert first is not None and first.rightward and first.width == 400 - 4 - 10
    assert second is None  # the one row is taken: no room left that is worth a title
    for row_count in (1, 2, 4):
        for start, end in spans(
            [10, 390], [500, 500], place_titles([10, 390], [500, 500], 400, rows=row_count)
        ):
            assert start >= 4 and end <= 396


def test_titles_on_one_row_keep_a_gap_and_too_little_room_means_no_title():
    xs, widths = [100, 110, 120], [200, 200, 200]
    first, second, third = place_titles(xs, widths, 1000, rows=2, gap=6)
    assert first is not None and second is not None and first.row != second.row
    assert third is None  # both rows are taken where its line is

    first, second = place_titles([20, 300], [250, 400], 600, rows=1, gap=6, edge=4)
    assert first is not None and first.width == 250
    assert second is not None and second.rightward and second.width == 600 - 4 - 300
    assert 20 + 250 + 6 <= 300  # the shortened one keeps clear of the first


@pytest.fixture
def every_event(open_window, qtbot):
    ensure_theme()  # as in the app: Darija in its Arabic fonts

    def show(language: str, width: int):
        window = open_window(language)
        window.resize(width, 720)
        qtbot.waitUntil(lambda: window.width() == width or window.minimumWidth() > width)
        window.plot.show_everything()

        def painted() -> bool:  # as the screen paints: the axes size themselves for their labels
            window.grab()
            return bool(window.plot.date_axis.drawn_labels)

        qtbot.waitUntil(painted)
        image = window.grab().toImage()
        return window, image

    return show


@pytest.mark.parametrize("language", ["ary", "fr", "en"])
def test_every_event_title_shows_whole_or_shortened_and_none_covers_another(every_event, language):
    for width in WIDTHS:
        window, _ = every_event(language, width)
        view = window.plot.plot.getViewBox()
        frame = view.sceneBoundingRect()
        (left, right), _ = view.viewRange()
        labels = [
            line.label
            for line in window.plot._event_lines
            if left <= line.value() <= right and line.label.isVisible()
        ]
        assert len(labels) >= 3, (language, width)
        boxes = [label.sceneBoundingRect() for label in labels]
        for i, box in enumerate(boxes):
            assert frame.contains(box), (language, width, box, frame)
            for other in boxes[i + 1 :]:
                assert not box.intersects(other), (language, width, box, other)
        if width == WIDTHS[0]:  # room enough: every title whole
            assert len(labels) == 4 and not any("…" in label.toPlainText() for label in labels)


def ink_width(image: QImage) -> int:
    """From the first inked column to the last: a space lost between two words narrows it."""
    grey = image.convertToFormat(QImage.Format.Format_Grayscale8)
    rows = np.frombuffer(grey.constBits(), np.uint8).reshape(grey.height(), grey.bytesPerLine())
    rows = rows[:, : grey.width()].astype(int)
    inked = np.flatnonzero((np.abs(rows - np.median(rows)) > 90).any(axis=0))
    return int(inked[-1] - inked[0]) if len(inked) else 0


def drawn_directly(text: str, size: QRectF, ratio: float) -> QImage:
    image = QImage(
        int(size.width() * ratio), int(size.height() * ratio), QImage.Format.Format_RGB32
    )
    image.setDevicePixelRatio(ratio)
    image.fill(QColor("white"))
    painter = QPainter(image)
    painter.setPen(QColor("black"))
    painter.setFont(tick_font("ary"))
    painter.drawText(QRectF(0, 0, size.width(), size.height()), Qt.AlignmentFlag.AlignCenter, text)
    painter.end()
    return image


def test_darija_months_are_written_apart_from_their_years_under_every_event(every_event):
    window, image = every_event("ary", WIDTHS[0])
    axis = window.plot.date_axis
    assert len(axis.drawn_labels) >= 4
    ratio = image.devicePixelRatio()
    for text, box in zip(axis.drawn_labels, axis.drawn_boxes, strict=True):
        assert "2016" in text
        corner = window.mapFromGlobal(
            window.plot.plot_widget.mapToGlobal(
                window.plot.plot_widget.mapFromScene(axis.mapToScene(box.topLeft()))
            )
        )
        assert isinstance(corner, QPoint)
        crop = image.copy(
            int(corner.x() * ratio),
            int(corner.y() * ratio),
            int(box.width() * ratio),
            int(box.height() * ratio),
        )
        expected = ink_width(drawn_directly(text, box, ratio))
        assert expected > 0.6 * box.width() * ratio, text  # the reference is drawn whole
        # drawn on screen as Qt draws the same text: no space lost ("مارس2016")
        assert ink_width(crop) >= expected - 1, text


def test_the_dots_under_darija_dates_are_inside_the_graph(every_event):
    """pyqtgraph sizes its axis for 0.8 of a label's line: the dots under "فبراير" fell past the
    graph's bottom edge. The whole line of each date is inside the graph."""
    window, _image = every_event("ary", WIDTHS[0])
    axis, widget = window.plot.date_axis, window.plot.plot_widget
    line = QFontMetricsF(tick_font("ary")).height()
    for box in axis.drawn_boxes:
        top = widget.mapFromScene(axis.mapToScene(box.topLeft())).y()
        assert top + line <= widget.viewport().height(), (top, line, widget.viewport().height())


def placed_titles(window) -> list[QRectF]:
    """Where each shown event title is, its backing included, in the scene."""
    view = window.plot.plot.getViewBox()
    (left, right), _ = view.viewRange()
    return [
        line.label.mapRectToScene(line.label.backing())
        for line in window.plot._event_lines
        if left <= line.value() <= right and line.label.isVisible()
    ]


def zoomed_in(window, factor: float):
    """The view zoomed in ``factor`` times on the first events (the bans of January 2016)."""

    def zoom() -> None:
        window.plot.show_everything()
        view = window.plot.plot.getViewBox()
        (left, right), _ = view.viewRange()
        first = min(window.plot._event_lines.positions())
        span = (right - left) / factor
        view.setXRange(first - span * 0.1, first + span * 0.9, padding=0)

    return zoom


@pytest.mark.parametrize("language", ["ary", "fr"])
def test_titles_stay_inside_the_graph_apart_from_each_other_and_the_legend(
    open_window, qtbot, language
):
    """In the default view, at "Show every event" and zoomed in from there, at 960, 1280 and
    1600 px: every title is inside the plot, on no other, and the legend (a row above the plot)
    is on none of them; each legend name is beside its own mark."""
    ensure_theme()
    window = open_window(language)
    for width in (960, 1280, 1600):
        window.resize(width, 600 if width == 960 else 720)
        qtbot.waitUntil(lambda width=width: window.width() == width)
        views = [window.plot.show_figures, window.plot.show_everything]
        views += [zoomed_in(window, factor) for factor in (2, 4, 8, 30)]
        for number, show in enumerate(views):
            show()
            window.grab()
            qtbot.wait(20)  # the plot makes room for the legend once its layout is run
            window.grab()
            frame = window.plot.plot.getViewBox().sceneBoundingRect()
            legend = window.plot.legend.sceneBoundingRect()
            titles = placed_titles(window)
            assert titles or number > 1, (language, width)
            assert legend.bottom() <= frame.top()  # the legend is above the plot
            for i, title in enumerate(titles):
                assert frame.contains(title), (language, width, number, title, frame)
                assert not title.intersects(legend), (language, width, number)
                for other in titles[i + 1 :]:
                    assert not title.intersects(other), (language, width, number, title, other)
            legend_frame = window.plot.plot.sceneBoundingRect()
            assert legend_frame.contains(legend), (language, width)  # not cut at an edge
            for sample, label in window.plot.legend.items:  # each name beside its own mark
                mark, name = sample.sceneBoundingRect(), label.item.sceneBoundingRect()
                apart = (
                    mark.left() - name.right() if language == "ary" else name.left() - mark.right()
                )
                assert -1 <= apart <= 12, (language, width, label.text, apart)


@pytest.mark.parametrize(
    ("language", "name"),
    [
        ("ary", "الصفحات التلاتة مجموعين (أول حساب)"),
        ("fr", "Les trois pages ensemble (premier décompte)"),
        ("en", "The three pages together (early count)"),
    ],
)
def test_the_three_pages_early_count_is_named_in_the_legend(open_window, language, name):
    window = open_window(language)
    names = [label.item.toPlainText() for _sample, label in window.plot.legend.items]
    assert any(name in shown for shown in names), names


@pytest.mark.parametrize("language", ["ary", "fr"])
def test_date_labels_are_evenly_spaced_and_never_touch_at_960(open_window, qtbot, language):
    """Day labels one step apart, month labels so many months apart: the gaps between the
    labels' middles are alike (months differ by a day or three), and no two labels touch."""
    ensure_theme()
    window = open_window(language)
    window.resize(960, 600)
    qtbot.waitUntil(lambda: window.width() == 960)
    views = [window.plot.show_figures, window.plot.show_everything]
    views += [zoomed_in(window, factor) for factor in (2, 4, 8, 30, 200)]
    for show in views:
        show()
        window.grab()
        qtbot.wait(20)
        window.grab()
        boxes = sorted(window.plot.date_axis.drawn_boxes, key=lambda box: box.left())
        assert len(boxes) >= 3, (language, window.plot.axis_labels())
        middles = [box.center().x() for box in boxes]
        steps = [b - a for a, b in itertools.pairwise(middles)]
        assert max(steps) <= min(steps) * 1.12, (language, window.plot.axis_labels(), steps)
        for first, second in itertools.pairwise(boxes):
            assert first.right() + 4 <= second.left(), (language, window.plot.axis_labels())


def test_the_legend_row_holds_as_many_entries_as_fit_and_wraps_the_rest():
    from campaign_gui.ui.legend_row import LEGEND_SAMPLE_GAP_PX, columns_that_fit

    widths = [(20.0, 100.0), (20.0, 200.0), (20.0, 40.0), (20.0, 250.0)]
    whole = sum(m + LEGEND_SAMPLE_GAP_PX + n for m, n in widths) + 3 * 18
    assert columns_that_fit(widths, whole, 18) == 4
    assert columns_that_fit(widths, whole - 1, 18) < 4
    # two a row: the columns are as wide as their widest entry
    two = (20 + LEGEND_SAMPLE_GAP_PX + 100) + (20 + LEGEND_SAMPLE_GAP_PX + 250) + 18
    assert columns_that_fit(widths, two, 18) == 2
    assert columns_that_fit(widths, 50, 18) == 1


@pytest.mark.parametrize("language", ["ary", "fr"])
def test_at_every_event_the_figures_run_below_the_titles(open_window, qtbot, language):
    """Zoomed out, the figures rise steeply near the first events: the view leaves their titles'
    rows above the highest figure, and keeps its "0" on the axis."""
    ensure_theme()
    window = open_window(language)
    window.resize(1280, 720)
    qtbot.waitUntil(lambda: window.width() == 1280)
    window.plot.show_everything()
    window.grab()
    qtbot.wait(20)
    window.grab()
    view = window.plot.plot.getViewBox()
    highest = max(float(line.losses.max()) for line in window.plot._series.values() if len(line))
    top = view.mapViewToScene(QPointF(view.viewRange()[0][0], highest)).y()
    titles = placed_titles(window)
    assert len(titles) >= 3
    assert all(title.bottom() <= top for title in titles), (top, titles)
    assert "0" in window.plot.plot.getAxis("left").tickStrings([0], 1, 1)
    assert view.viewRange()[1][0] < 0  # room under zero for its label


@pytest.mark.parametrize("language", ["ary", "fr"])
def test_no_dotted_line_or_curve_is_drawn_over_a_title(every_event, language):
    """Under every event the lines run through other events' titles: each title is painted
    above every line with ink (the other events' dotted lines, the curves)."""
    window, _ = every_event(language, WIDTHS[-1])
    scene = window.plot.plot.scene()
    crossed = 0
    for line in window.plot._event_lines:
        label = line.label
        if not label.isVisible():
            continue
        box = label.mapRectToScene(label.backing())
        stack = scene.items(
            box, Qt.ItemSelectionMode.IntersectsItemShape, Qt.SortOrder.DescendingOrder
        )
        above = stack[: stack.index(label)]
        inked = [
            item
            for item in above
            if (isinstance(item, pg.InfiniteLine) and item.pen.style() != Qt.PenStyle.NoPen)
            or isinstance(item, pg.PlotCurveItem)
        ]
        assert not inked, (language, label.toPlainText(), inked)
        crossed += any(
            isinstance(item, pg.InfiniteLine) and item.pen.style() != Qt.PenStyle.NoPen
            for item in stack[stack.index(label) :]
        )
    assert crossed, "at every event, some dotted line runs under another event's title"
