"""The frozen app's entry script.

``campaign_gui/cli/`` and ``__main__.py`` use relative imports, so PyInstaller cannot take either
as its script; this one imports the package absolutely.
"""

from campaign_gui.cli import main

raise SystemExit(main())
