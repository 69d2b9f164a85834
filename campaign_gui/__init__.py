"""Campaign Companion: follow a consumer campaign from the desktop."""

from pathlib import Path

__version__ = "0.1.0"

# The package's folder: its catalogs (``locale``) and files (``resources``) are beside its modules
# in every install, the frozen app's included (the spec puts them at the same places). Read from
# here rather than through importlib.resources, whose modules cost about 5 ms of every start.
PACKAGE_DIR = Path(__file__).parent
