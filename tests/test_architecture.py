"""The house's rules, read from the code's imports (an ``ast`` walk, not a text search: a word in
a docstring is no import, and an import written another way is still one).

- ``core/`` never imports Qt (or pyqtgraph, or shiboken) and never the window's or the command
  line's modules: the rules run the same under any front end, and under tests without a display.
- No import circle among the app's modules (imports only a type checker reads do not count).
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "campaign_gui"
QT = ("PySide6", "PyQt5", "PyQt6", "pyqtgraph", "shiboken6")
FRONT_ENDS = ("campaign_gui.ui", "campaign_gui.cli", "campaign_gui.network_commands")


def _module(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path) -> set[str]:
    """Every module ``path`` imports at run time (absolute names; ``from a import b`` gives both
    ``a`` and ``a.b``, one of which is a module)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    typing_only = {
        id(inner)
        for node in ast.walk(tree)
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test)
        for child in node.body
        for inner in ast.walk(child)
    }
    module = _module(path)
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(tree):
        if id(node) in typing_only:
            continue
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                target = ".".join([*base, *([node.module] if node.module else [])])
            else:
                target = node.module or ""
            found.add(target)
            found |= {f"{target}.{alias.name}" for alias in node.names}
    return found


MODULES = {_module(path): _imports(path) for path in PACKAGE.rglob("*.py")}


def _under(name: str, prefixes: tuple[str, ...]) -> bool:
    return any(name == p or name.startswith(p + ".") for p in prefixes)


def test_core_never_imports_qt_or_a_front_end():
    offenders = {
        module: sorted(name for name in names if _under(name, QT + FRONT_ENDS))
        for module, names in MODULES.items()
        if module.startswith("campaign_gui.core")
    }
    assert {m: names for m, names in offenders.items() if names} == {}


def test_the_walk_sees_imports():
    """The rules above read real imports: the window's modules do import Qt and core."""
    names = MODULES["campaign_gui.ui.main_window"]
    assert _under("PySide6.QtWidgets", tuple(names))
    assert "campaign_gui.core.i18n" in names


def _circles() -> list[list[str]]:
    """The app's modules that import one another round a circle (Tarjan's strongly connected
    components of the import graph, each name taken to the module it names)."""
    modules = set(MODULES)

    def owner(name: str) -> str | None:
        while name and name not in modules:
            name = name.rpartition(".")[0]
        return name or None

    graph = {
        m: {o for n in names if (o := owner(n)) and o != m and not m.startswith(o + ".")}
        for m, names in MODULES.items()
    }
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        for w in graph[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            part = []
            while (w := stack.pop()) != v:
                part.append(w)
            if part:
                found.append(sorted([v, *part]))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


def test_no_import_circle():
    assert _circles() == []
