"""The Qt binding in use does not corrupt Python's reference counts while the graph repaints.

PySide6 6.12.0 dropped a reference to None on every void call (QPainter.setPen, drawLine, ...); on
Python 3.11, where None is not immortal, the app aborted after some thousands of repaints.
"""

from __future__ import annotations

import sys

import pytest

from campaign_gui.ui.loss_plot import LossPlot


@pytest.mark.skipif(sys.version_info >= (3, 12), reason="None is immortal from Python 3.12")
def test_repainting_the_graph_keeps_none_alive(qtbot, campaign):
    from campaign_gui.core.like_loss import build_series

    plot = LossPlot()
    qtbot.addWidget(plot)
    plot.resize(800, 500)
    plot.show()
    plot.set_series(campaign, build_series(campaign, campaign.reports, {}))
    qtbot.waitExposed(plot)
    plot.plot_widget.viewport().repaint()
    before = sys.getrefcount(None)
    for _ in range(200):
        plot.plot_widget.viewport().repaint()
    assert sys.getrefcount(None) - before > -100
