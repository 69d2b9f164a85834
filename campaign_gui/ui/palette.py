"""Colours shared by the graph and the tray widget's sparklines.

Okabe–Ito colours: told apart with every common colour-vision deficiency. Each curve also has its
own symbol and line style, so nothing depends on colour alone. They stay the same in light and
dark; what is around them (background, text, grid, event lines) follows the colour scheme.
"""

from __future__ import annotations

from dataclasses import dataclass

CURVE_COLOURS = ("#0072B2", "#E69F00", "#CC79A7", "#009E73", "#D55E00", "#56B4E9")


@dataclass(frozen=True)
class GraphColours:
    """What the graph paints around its curves, for one colour scheme."""

    background: str
    text: str  # axis titles, legend names
    axis: str  # the axes' lines: quiet, the data stands out
    tick: str  # the axes' labels (WCAG AA on the background)
    grid_alpha: float  # the grid is drawn in the text colour, this faint
    event: str  # the dotted event lines and their titles
    label_fill: tuple[int, int, int, int]  # behind event titles and the legend (RGBA)
    all_targets: str  # the "all pages together" marks
    mark_edge: str  # the ring around each mark, so marks stand out where curves cross


LIGHT = GraphColours(
    background="#FFFFFF",
    text="#222222",
    axis="#A7AEB8",
    tick="#596270",
    grid_alpha=0.15,
    event="#666666",
    label_fill=(255, 255, 255, 235),
    all_targets="#555555",
    mark_edge="#FFFFFF",
)
DARK = GraphColours(
    background="#1E1F22",
    text="#E3E3E3",
    axis="#5C636D",
    tick="#A3ABB6",
    grid_alpha=0.2,
    event="#A9A9A9",
    label_fill=(30, 31, 34, 235),
    all_targets="#BDBDBD",
    mark_edge="#1E1F22",
)


def graph_colours(dark: bool) -> GraphColours:
    return DARK if dark else LIGHT
