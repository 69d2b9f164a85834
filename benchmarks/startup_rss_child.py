"""Peak memory of a bare process showing one empty pyqtgraph plot: the graph's memory baseline."""

import json
import os
import resource
import sys

import pyqtgraph as pg
from PySide6.QtWidgets import QApplication

app = QApplication(sys.argv[:1])
plot = pg.PlotWidget()
plot.resize(840, 600)
plot.show()
app.processEvents()
print(json.dumps({"peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
# PySide6 and pyqtgraph can crash while tearing down at exit; the figures are out already.
sys.stdout.flush()
os._exit(0)
