"""Build hook: compile the translation catalogs (translations/*.po) into the package.

The .mo files are build products: written to campaign_gui/locale/ (ignored by git) and shipped in
the wheel, so the catalogs are committed once, as .po.
"""

from __future__ import annotations

import sys
from pathlib import Path

from hatchling.builders.hooks.plugin.interface import BuildHookInterface


class CompileCatalogs(BuildHookInterface):
    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict) -> None:
        root = Path(self.root)
        sys.path.insert(0, str(root / "translations"))
        try:
            from catalogs import compile_catalogs
        finally:
            sys.path.pop(0)
        compile_catalogs(root)
