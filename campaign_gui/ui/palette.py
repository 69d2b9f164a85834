"""Colours shared by the graph and the tray widget's sparklines.

Okabe–Ito colours: told apart with every common colour-vision deficiency. Each curve also has its
own symbol and line style, so nothing depends on colour alone.
"""

CURVE_COLOURS = ("#0072B2", "#E69F00", "#CC79A7", "#009E73", "#D55E00", "#56B4E9")
ALL_TARGETS_COLOUR = "#555555"
EVENT_COLOUR = "#777777"
