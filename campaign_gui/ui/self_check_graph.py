"""The self-check's graph: draw the bundled campaign offscreen and look at the pixels.

"The window opened" proves little: without pyqtgraph's OpenGL module the window opens and the graph
is a traceback. This draws the real graph and checks that each operator's curve colour is on it,
and that dates are written under it zoomed out to every event (in Darija they once were not).
"""

from __future__ import annotations

import os
import sys

from PySide6.QtGui import QColor
from PySide6.QtWidgets import QApplication

from ..core.campaign import load_bundled_campaign
from ..core.i18n import _
from ..core.like_loss import build_series
from .palette import CURVE_COLOURS


def draw_graph() -> str:
    """Draw the graph of the bundled figures; what was drawn, or an exception saying what is not."""
    if sys.platform.startswith("linux") and not (
        os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")
    ):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # a server or CI: no screen
    app = QApplication.instance() or QApplication(sys.argv[:1])
    from .loss_plot import LossPlot  # pyqtgraph, and through it QtOpenGL: part of what is checked

    campaign = load_bundled_campaign()
    plot = LossPlot()
    try:
        plot.resize(900, 560)
        plot.set_series(campaign, build_series(campaign, campaign.reports, {}))
        app.processEvents()
        image = plot.grab().toImage()
        plot.show_everything()
        for _drawing in range(2):  # the first drawing lets the axis grow to its labels' height
            plot.grab()
            app.processEvents()
        dates = plot.axis_labels()
    finally:
        plot.deleteLater()
    seen = {
        image.pixelColor(x, y).name()
        for x in range(0, image.width(), 2)
        for y in range(0, image.height(), 2)
    }
    wanted = [QColor(c).name() for c in CURVE_COLOURS[: len(campaign.targets)]]
    missing = [colour for colour in wanted if colour not in seen]
    if missing:
        raise LookupError(f"curve colours {missing} not drawn ({len(seen)} colours seen)")
    if len(dates) < 2:
        raise LookupError(f"dates under the graph zoomed out: {dates}")
    return _("curves: {count}, {width}×{height} px").format(
        count=len(plot.curves), width=image.width(), height=image.height()
    )
