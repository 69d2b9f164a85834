"""The graph's legend: a light, borderless row above the plot, never over the curves or the event
titles; its entries wrap to a second row when the graph is narrow."""

from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtCore import QPointF, QRectF, QSizeF, Qt

LEGEND_SAMPLE_GAP_PX = 4  # between an entry's mark and its name
LEGEND_ENTRY_GAP_PX = 18  # between two entries on a row
LEGEND_TOP_PX = 2  # above the legend, in the graph's top margin
LEGEND_BELOW_PX = 6  # between the legend and the plot
LEGEND_SIDE_PX = 6  # from the plot's side it starts on: the first mark never touches the border


def columns_that_fit(widths: list[tuple[float, float]], room: float, gap: float) -> int:
    """The most entries a row can hold within ``room``: the entries, (mark, name) widths in
    order, fill rows of that many, and each column is as wide as its widest entry."""
    for count in range(len(widths), 1, -1):
        total = 0.0
        for column in range(count):
            entries = widths[column::count]
            total += max(m for m, _n in entries) + LEGEND_SAMPLE_GAP_PX
            total += max(n for _m, n in entries)
        if total + gap * (count - 1) <= room:
            return count
    return 1


class LegendRow(pg.LegendItem):
    """pyqtgraph's legend laid out as rows above the plot (``place``), borderless."""

    def __init__(self, **kwargs) -> None:
        super().__init__(frame=False, horSpacing=LEGEND_SAMPLE_GAP_PX, verSpacing=0, **kwargs)
        self.layout.setContentsMargins(0, 0, 0, 0)

    def _addItemToLayout(self, sample, label) -> None:  # noqa: N802 - pyqtgraph's name
        # Each name beside its mark: at the start of its column, on the right in right to left.
        right_to_left = self.layoutDirection() == Qt.LayoutDirection.RightToLeft
        label.setAttr("justify", "right" if right_to_left else "left")
        super()._addItemToLayout(sample, label)
        for column in range(1, 2 * self.columnCount - 1, 2):
            self.layout.setColumnSpacing(column, LEGEND_ENTRY_GAP_PX)

    def updateSize(self) -> None:  # noqa: N802 - pyqtgraph's name
        """As big as its layout wants, where it is (pyqtgraph's moves it to the corner)."""
        self.layout.invalidate()
        hint = self.layout.effectiveSizeHint(Qt.SizeHint.PreferredSize)
        self.setGeometry(
            QRectF(self.pos(), QSizeF(hint.width(), hint.height() if self.items else 0))
        )

    def entry_widths(self) -> list[tuple[float, float]]:
        return [
            (
                sample.effectiveSizeHint(Qt.SizeHint.PreferredSize).width(),
                label.effectiveSizeHint(Qt.SizeHint.PreferredSize).width(),
            )
            for sample, label in self.items
        ]

    def place(self, plot: pg.PlotItem) -> None:
        """Over the plot's area, from its left in left-to-right languages and from its right in
        right-to-left ones, in the plot's top margin made as tall as the legend."""
        area = plot.getViewBox().geometry()
        room = area.width() - LEGEND_SIDE_PX
        count = columns_that_fit(self.entry_widths(), room, LEGEND_ENTRY_GAP_PX)
        if count != self.columnCount:
            self.setColumnCount(count)
        self.updateSize()
        height = self.height() + LEGEND_TOP_PX + LEGEND_BELOW_PX if self.items else 0
        layout = plot.layout
        if abs(layout.rowMinimumHeight(0) - height) > 0.5:
            layout.setRowFixedHeight(0, height)
        right_to_left = self.layoutDirection() == Qt.LayoutDirection.RightToLeft
        if right_to_left:
            x = max(area.left(), area.right() - LEGEND_SIDE_PX - self.width())
        else:
            x = area.left() + LEGEND_SIDE_PX
        self.setPos(QPointF(x, LEGEND_TOP_PX))
