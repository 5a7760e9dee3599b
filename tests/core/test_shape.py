"""The module shape: no controller imports a table (DESIGN.md, "the module shape"). A controller
parses, calls one service or query and renders; reads live in the module's queries."""

from __future__ import annotations

import ast
from pathlib import Path

SRC = Path(__file__).resolve().parents[2] / "src"


def controller_files() -> list[Path]:
    kefu = SRC / "kefu"
    return sorted([*kefu.glob("*/controllers.py"), *kefu.glob("*/controllers/**/*.py")])


def _module_of(path: Path) -> str:
    return ".".join(path.relative_to(SRC).with_suffix("").parts)


def table_imports(source: str, module: str) -> list[tuple[int, str]]:
    """(line, imported name) for every import of a `tables` module in `source`, the code of `module`."""
    package = module.rsplit(".", 1)[0] if not module.endswith("__init__") else module.rsplit(".", 2)[0]
    found: list[tuple[int, str]] = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:  # relative: resolved against the importing package
                parent = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*parent, base] if base else parent)
            names = [base] + [f"{base}.{alias.name}" for alias in node.names]
        else:
            continue
        hits = [name for name in names if "tables" in name.split(".")]
        if hits:
            found.append((node.lineno, hits[0]))
    return sorted(found)


def test_the_detector_sees_every_way_of_importing_a_table() -> None:
    source = (
        "from kefu.complaints.tables import Complaint\n"
        "from kefu.notifications import tables\n"
        "import kefu.holidays.tables as t\n"
        "from ..tables import Notice\n"
        "from kefu.complaints import queries\n"
    )
    found = table_imports(source, "kefu.notifications.controllers.outbox")
    assert found == [
        (1, "kefu.complaints.tables"), (2, "kefu.notifications.tables"),
        (3, "kefu.holidays.tables"), (4, "kefu.notifications.tables"),
    ]


def test_no_controller_imports_a_table() -> None:
    files = controller_files()
    assert len(files) > 10  # the glob finds the controllers (a moved src/ would pass vacuously)
    offences = [
        f"{path.relative_to(SRC.parent)}:{line} imports {name}"
        for path in files
        for line, name in table_imports(path.read_text(encoding="utf-8"), _module_of(path))
    ]
    assert not offences, "controllers must read through queries, not tables:\n" + "\n".join(offences)
