"""Graph figures with 3 operators x N like counts in a real store (synthetic data).

Prints one JSON line: load and first-draw times, per-frame repaint times while zooming and panning,
and the same frames for a bare pyqtgraph plot of 3 x 1,000 points (the baseline), and peak memory.
"""

from __future__ import annotations

import json
import os
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pyqtgraph as pg
from PySide6.QtWidgets import QApplication

sys.path.insert(0, str(Path(__file__).parent))
from synthetic import observations

from campaign_gui.core.campaign import load_bundled_campaign
from campaign_gui.core.clock import SystemClock
from campaign_gui.core.paths import AppPaths
from campaign_gui.core.workspace import Workspace
from campaign_gui.ui.language import apply_language
from campaign_gui.ui.loss_plot import LossPlot

per_target = int(sys.argv[1])
language = sys.argv[2] if len(sys.argv) > 2 else "en"
FRAMES = 60


def frames(view, plot_widget, x0: float, x1: float) -> list[float]:
    """Zoom in by steps, then pan: time each synchronous repaint, in milliseconds."""
    times = []
    span = x1 - x0
    for i in range(FRAMES):
        if i < FRAMES // 2:
            width = span * (1 - 0.9 * i / (FRAMES // 2))
            left = x0 + (span - width) / 2
        else:
            width = span * 0.1
            left = x0 + (span - width) * (i - FRAMES // 2) / (FRAMES // 2)
        view.setXRange(left, left + width, padding=0)
        QApplication.processEvents()
        t = time.perf_counter()
        plot_widget.viewport().repaint()
        times.append((time.perf_counter() - t) * 1000)
    return times


app = QApplication(sys.argv[:1])
apply_language(language)
base = Path(tempfile.mkdtemp())
paths = AppPaths(base / "d", base / "c")
campaign = load_bundled_campaign()
workspace = Workspace.open(paths, clock=SystemClock())
workspace.store.add_observations(campaign.id, observations(per_target))
workspace.close()

# bare baseline: one plot, 3 curves x 1,000 points, no decimation needed
bare = pg.PlotWidget()
bare.resize(840, 560)
bare.show()


xs = np.arange(1000, dtype=float)
for k in range(3):
    bare.plot(xs, np.cumsum(np.random.default_rng(k).normal(size=1000)))
QApplication.processEvents()
bare_frames = frames(bare.getPlotItem().getViewBox(), bare, 0, 999)
bare.close()

t0 = time.perf_counter()
workspace = Workspace.open(paths, clock=SystemClock())
series = workspace.loss_series()
t_load = time.perf_counter() - t0
plot = LossPlot()
plot.resize(840, 600)
plot.show()
QApplication.processEvents()
t1 = time.perf_counter()
plot.set_series(campaign, series)
plot.plot_widget.viewport().repaint()
t_draw = time.perf_counter() - t1
times = series["maroc-telecom"].times
app_frames = frames(plot.plot.getViewBox(), plot.plot_widget, float(times[0]), float(times[-1]))


def still_frames(count: int = 30) -> list[float]:
    """Repaints of the same zoomed-in view, in milliseconds."""
    out = []
    for _ in range(count):
        t = time.perf_counter()
        plot.plot_widget.viewport().repaint()
        out.append((time.perf_counter() - t) * 1000)
    return out


# Zoomed in on the last tenth, then 10,000 new counts arrive (as a sync brings them): the graph
# takes them without moving the user's view, and repaints as fast as before.
view = plot.plot.getViewBox()
span = float(times[-1]) - float(times[0])
view.setXRange(float(times[-1]) - span / 10, float(times[-1]), padding=0)
QApplication.processEvents()
before = still_frames()
zoom = view.viewRange()
from synthetic import STEP_SECONDS, TARGETS  # noqa: E402

from campaign_gui.core.store import Observation, from_epoch, spans_of  # noqa: E402

new_counts = [
    Observation(
        TARGETS[i % 3],
        from_epoch(int(times[-1]) + STEP_SECONDS * (i // 3 + 1)),
        2_000_000 - i,
        None,
    )
    for i in range(10_000)
]
workspace.store.add_observations(campaign.id, new_counts)
t2 = time.perf_counter()
# As the window takes them: only their span read from the store, spliced into the lines.
series = workspace.updated_series(series, spans_of(new_counts))
assert series is not None, "the baseline did not change: no rebuild"
plot.add_counts(series)
plot.plot_widget.viewport().repaint()
t_update = time.perf_counter() - t2
after = still_frames()
zoom_kept = view.viewRange() == zoom
points = int(sum(len(s) for s in series.values()))
peak_rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
# What they cost before the graph took only them: every series read and drawn again.
t3 = time.perf_counter()
plot.set_series(campaign, workspace.loss_series())
plot.plot_widget.viewport().repaint()
t_reload = time.perf_counter() - t3

print(
    json.dumps(
        {
            "points": points,
            "load_s": t_load,
            "draw_s": t_draw,
            "frame_ms_median": statistics.median(app_frames),
            "frame_ms_p95": sorted(app_frames)[int(0.95 * len(app_frames))],
            "bare_frame_ms_median": statistics.median(bare_frames),
            "zoomed_frame_ms_before": statistics.median(before),
            "zoomed_frame_ms_after": statistics.median(after),
            "update_s": t_update,
            "reload_s": t_reload,
            "zoom_kept": zoom_kept,
            "peak_rss_mb": peak_rss_mb,
        }
    )
)
workspace.close()
# PySide6 and pyqtgraph can crash while tearing down at exit; the figures are out already.
sys.stdout.flush()
os._exit(0)
