"""Graph figures with 3 operators x N like counts in a real store (synthetic data).

    graph_child.py prepare DIR PER_TARGET   a store in DIR, and the series' arrays in DIR/arrays.npz
    graph_child.py app DIR LANGUAGE [sync]  the app's graph of that store (sync: then 10,000
                                            new counts arrive; the store keeps them)
    graph_child.py bare DIR WIDTH HEIGHT    bare pyqtgraph, the same arrays, the same plot size

``app`` and ``bare`` each print one JSON line. A frame is what a user waits for while zooming and
panning: the range set, one synchronous repaint of the whole plot, the events it leaves handled.
Both draw the same arrays with the same decimation (peak, automatic) and clipping to the view,
so the ratio is the cost of what the app adds: its pens, marks, grid, legend, axes and events.
``app`` times bare pyqtgraph's frames too, in turns with its own, in the same process.
Memory is each process's peak up to the end of the app's first frames (bare: of its frames),
the store's reading included.
"""

from __future__ import annotations

import json
import os
import resource
import statistics
import sys
import time
from pathlib import Path

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QApplication

sys.path.insert(0, str(Path(__file__).parent))
from synthetic import STEP_SECONDS, TARGETS, observations

from campaign_gui.core.campaign import load_bundled_campaign
from campaign_gui.core.clock import SystemClock
from campaign_gui.core.paths import AppPaths
from campaign_gui.core.store import Observation, from_epoch, spans_of
from campaign_gui.core.workspace import Workspace

FRAMES = 120
ROUNDS = 3


class PaintCounter(QObject):
    """Counts the paints a widget receives: a frame is timed as one whole paint, no fewer."""

    def __init__(self) -> None:
        super().__init__()
        self.paints = 0

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if event.type() == QEvent.Type.Paint:
            self.paints += 1
        return False


def frames(view, plot_widget, x0: float, x1: float) -> list[float]:
    """Zoom in by steps, then pan: each whole frame, in milliseconds.

    A frame: the range set, then the events that follow handled, the paint they bring included
    (a paint forced when none came; repaint() then processEvents() would paint twice)."""
    times = []
    span = x1 - x0
    half = FRAMES // 2
    viewport = plot_widget.viewport()
    counter = PaintCounter()
    viewport.installEventFilter(counter)
    for i in range(FRAMES):
        if i < half:
            width = span * (1 - 0.9 * i / half)
            left = x0 + (span - width) / 2
        else:
            width = span * 0.1
            left = x0 + (span - width) * (i - half) / half
        painted = counter.paints
        t = time.perf_counter()
        view.setXRange(left, left + width, padding=0)
        QApplication.processEvents()
        if counter.paints == painted:
            viewport.repaint()
        times.append((time.perf_counter() - t) * 1000)
    viewport.removeEventFilter(counter)
    assert counter.paints == FRAMES, f"{counter.paints} paints for {FRAMES} frames"
    return times


def summary(prefix: str, samples: list[float]) -> dict[str, float]:
    return {
        f"{prefix}_median": statistics.median(samples),
        f"{prefix}_p95": sorted(samples)[int(0.95 * len(samples))],
    }


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def paths_in(folder: Path) -> AppPaths:
    return AppPaths(folder / "d", folder / "c")


def prepare(folder: Path, per_target: int) -> None:
    campaign = load_bundled_campaign()
    workspace = Workspace.open(paths_in(folder), clock=SystemClock())
    workspace.store.add_observations(campaign.id, observations(per_target))
    series = workspace.loss_series()
    workspace.close()
    arrays = {}
    for target in TARGETS:
        arrays[f"{target}.times"] = series[target].times
        arrays[f"{target}.losses"] = series[target].losses
    np.savez(folder / "arrays.npz", **arrays)
    print(json.dumps({"points": sum(len(a) for a in arrays.values()) // 2}))


def bare_plot(lines: list[tuple[np.ndarray, np.ndarray]], width: int, height: int):
    """pyqtgraph as it comes (default pens, axes and options) with the app's data settings;
    and the time it took to set the data and draw."""
    widget = pg.PlotWidget()
    widget.resize(width, height)
    widget.show()
    QApplication.processEvents()
    t = time.perf_counter()
    for k, (xs, ys) in enumerate(lines):
        curve = widget.plot(xs, ys, pen=k, skipFiniteCheck=True)
        curve.setDownsampling(auto=True, method="peak")
        curve.setClipToView(True)
    widget.viewport().repaint()
    return widget, time.perf_counter() - t


def bare(folder: Path, width: int, height: int) -> None:
    _app = QApplication(sys.argv[:1])
    with np.load(folder / "arrays.npz") as stored:
        lines = [(stored[f"{t}.times"], stored[f"{t}.losses"]) for t in TARGETS]
    widget, t_draw = bare_plot(lines, width, height)
    times = lines[0][0]
    measured = frames(widget.getPlotItem().getViewBox(), widget, times[0], times[-1])
    report = {"points": sum(len(xs) for xs, _ys in lines), "draw_s": t_draw}
    report |= summary("frame_ms", measured)
    report["peak_rss_mb"] = peak_rss_mb()
    print(json.dumps(report))


def app_graph(folder: Path, language: str, sync: bool) -> None:
    from campaign_gui.ui.language import apply_language
    from campaign_gui.ui.loss_plot import LossPlot

    _app = QApplication(sys.argv[:1])
    apply_language(language)
    campaign = load_bundled_campaign()
    t0 = time.perf_counter()
    workspace = Workspace.open(paths_in(folder), clock=SystemClock())
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
    view = plot.plot.getViewBox()
    x0, x1 = float(times[0]), float(times[-1])
    measured = frames(view, plot.plot_widget, x0, x1)
    report = {
        "points": int(sum(len(s) for s in series.values())),
        "load_s": t_load,
        "draw_s": t_draw,
        "plot_size": [plot.plot_widget.width(), plot.plot_widget.height()],
    }
    report["peak_rss_mb"] = peak_rss_mb()
    # Then bare pyqtgraph with the same arrays in this process, in turns with the app: the
    # machine's load falls on both alike.
    size = plot.plot_widget.size()
    lines = [(series[t].times, series[t].losses) for t in TARGETS]
    widget, _draw = bare_plot(lines, size.width(), size.height())
    measured_bare = frames(widget.getPlotItem().getViewBox(), widget, x0, x1)
    for _round in range(ROUNDS - 1):
        measured += frames(view, plot.plot_widget, x0, x1)
        measured_bare += frames(widget.getPlotItem().getViewBox(), widget, x0, x1)
    widget.close()
    report |= summary("frame_ms", measured) | summary("bare_frame_ms", measured_bare)
    if not sync:
        print(json.dumps(report))
        workspace.close()
        return

    def still_frames(count: int = 30) -> list[float]:
        """Repaints of the same zoomed-in view, in milliseconds."""
        out = []
        for _ in range(count):
            t = time.perf_counter()
            plot.plot_widget.viewport().repaint()
            out.append((time.perf_counter() - t) * 1000)
        return out

    # Zoomed in on the last tenth, then 10,000 new counts arrive (as a sync brings them): the
    # graph takes them without moving the user's view, and repaints as fast as before.
    span = float(times[-1]) - float(times[0])
    view.setXRange(float(times[-1]) - span / 10, float(times[-1]), padding=0)
    QApplication.processEvents()
    before = still_frames()
    zoom = view.viewRange()
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
    report["update_s"] = time.perf_counter() - t2
    after = still_frames()
    report["zoom_kept"] = view.viewRange() == zoom
    report["zoomed_frame_ms_before"] = statistics.median(before)
    report["zoomed_frame_ms_after"] = statistics.median(after)
    # What they cost before the graph took only them: every series read and drawn again.
    t3 = time.perf_counter()
    plot.set_series(campaign, workspace.loss_series())
    plot.plot_widget.viewport().repaint()
    report["reload_s"] = time.perf_counter() - t3
    print(json.dumps(report))
    workspace.close()


mode, folder = sys.argv[1], Path(sys.argv[2])
if mode == "prepare":
    prepare(folder, int(sys.argv[3]))
elif mode == "bare":
    bare(folder, int(sys.argv[3]), int(sys.argv[4]))
else:
    app_graph(folder, sys.argv[3], sys.argv[4:] == ["sync"])
# PySide6 and pyqtgraph can crash while tearing down at exit; the figures are out already.
sys.stdout.flush()
os._exit(0)
