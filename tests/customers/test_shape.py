"""The module's layering: customers' controllers reach data through queries and services only."""

from __future__ import annotations

import ast
from pathlib import Path

import kefu.customers

CONTROLLERS = Path(kefu.customers.__file__).parent / "controllers"


def _imported_modules(path: Path) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return found


def test_no_controller_imports_a_table():
    files = sorted(CONTROLLERS.glob("*.py"))
    assert files
    offending = {
        f.name: sorted(m for m in _imported_modules(f) if m.endswith(".tables") or ".tables." in m)
        for f in files
    }
    assert {name: mods for name, mods in offending.items() if mods} == {}
