"""No unscoped read of a tenant-owned table outside kefu.core.scoping.

Reads of tenant-owned tables go through `scoped()`, `scoped_objects()`, `scoped_count()` or
`get_in_tenant()`, so another tenant's id behaves like a missing one on SQLite too, where there
is no row-level security. This scans src/kefu for `<TenantOwnedTable>.select(` / `.objects(` /
`.count(` / `.exists(` and fails naming file and line. Writes (`.update(` / `.delete(`) have no
scoped helper; each must be chained with a `.where(…)` that names `<Table>.tenant`.
"""

from __future__ import annotations

import ast
import re
from functools import cache
from pathlib import Path

import kefu
from tests.isolation.tenant_tables import tenant_owned_classes

SRC = Path(kefu.__file__).resolve().parent
QUERY_METHODS = frozenset({"select", "objects", "count", "exists"})
WRITE_METHODS = frozenset({"update", "delete"})

# Files that are the tenancy machinery itself, relative to src/kefu.
EXEMPT_FILES = {
    "core/scoping.py": "the scoping helpers themselves",
    "tenancy/context.py": "resolves the tenant: membership of the signed-in user, the API token "
    "(filtered by the token's tenant, inside that tenant's transaction)",
    "tenancy/services.py": "platform-level membership functions (the switcher lists a user's "
    "memberships across tenants) and token creation, each filtered by tenant or user",
    "audit/services.py": "the audit helper only inserts",
}

# (file relative to src/kefu, "Table.method(") -> why that unscoped read is safe. Keep it short.
ALLOWED: dict[tuple[str, str], str] = {}


def tenant_owned_names() -> set[str]:
    return {cls.__name__ for cls in tenant_owned_classes()}


def _table_calls(tree: ast.AST, tables: set[str], methods: frozenset[str]):
    """(call node, table name) for each `<tenant-owned table>.<method>(…)` in the tree."""
    local: dict[str, str] = {}  # a name in this file -> the table class it is bound to
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            for alias in node.names:
                if alias.name in tables:
                    local[alias.asname or alias.name] = alias.name
        elif isinstance(node, ast.ClassDef) and node.name in tables:
            local[node.name] = node.name
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
            continue
        if node.func.attr not in methods:
            continue
        target = node.func.value
        table = None
        if isinstance(target, ast.Name):
            table = local.get(target.id)
        elif isinstance(target, ast.Attribute) and target.attr in tables:  # tables.AuditEvent
            table = target.attr
        if table:
            yield node, table


def find_unscoped(source: str, filename: str, tables: set[str]) -> list[tuple[int, str]]:
    """(line, "Table.method(") for each query started directly on a tenant-owned table."""
    tree = ast.parse(source, filename)
    return sorted((node.lineno, f"{table}.{node.func.attr}(") for node, table in _table_calls(tree, tables, QUERY_METHODS))


def _names_tenant(node: ast.AST) -> bool:
    return any(isinstance(n, ast.Attribute) and n.attr == "tenant" for n in ast.walk(node))


def find_unscoped_writes(source: str, filename: str, tables: set[str]) -> list[tuple[int, str]]:
    """(line, "Table.method(") for each update/delete whose chained .where(…) never names .tenant."""
    tree = ast.parse(source, filename)
    parents = {child: parent for parent in ast.walk(tree) for child in ast.iter_child_nodes(parent)}
    hits = []
    for node, table in _table_calls(tree, tables, WRITE_METHODS):
        scoped_write, current = False, node
        while True:  # climb the method chain: X.update(…).where(…).returning(…)
            attr = parents.get(current)
            call = parents.get(attr) if attr is not None else None
            if not (isinstance(attr, ast.Attribute) and attr.value is current and isinstance(call, ast.Call)):
                break
            if attr.attr == "where" and any(_names_tenant(arg) for arg in call.args):
                scoped_write = True
            current = call
        if not scoped_write:
            hits.append((node.lineno, f"{table}.{node.func.attr}("))
    return sorted(hits)


def _scanned_files() -> list[Path]:
    return sorted(
        p for p in SRC.rglob("*.py")
        if "migrations" not in p.relative_to(SRC).parts
        and p.relative_to(SRC).as_posix() not in EXEMPT_FILES
    )


def test_tenant_owned_tables_are_discovered():
    names = tenant_owned_names()
    assert {"AuditEvent", "ApiToken", "Membership"} <= names, names


def test_scanner_finds_unscoped_queries():
    source = (
        "from kefu.audit.tables import AuditEvent\n"
        "from kefu.tenancy.tables import ApiToken as Tok, Tenant\n"
        "from kefu.tenancy import tables\n"
        "from kefu.core.scoping import scoped\n"
        "async def f(t):\n"
        "    await AuditEvent.select(AuditEvent.id)\n"
        "    await Tok.objects().where(Tok.id == 1).first()\n"
        "    await tables.ApiToken.count()\n"
        "    await (AuditEvent\n"
        "        .exists())\n"
        "    await scoped(AuditEvent, t).where(AuditEvent.id == 1)\n"
        "    await Tenant.select()\n"
        "    await AuditEvent.insert(AuditEvent())\n"
    )
    hits = find_unscoped(source, "example.py", {"AuditEvent", "ApiToken"})
    assert hits == [
        (6, "AuditEvent.select("), (7, "ApiToken.objects("), (8, "ApiToken.count("), (9, "AuditEvent.exists("),
    ]


def test_scanner_finds_unscoped_writes():
    source = (
        "from kefu.audit.tables import AuditEvent as AE\n"
        "async def f(t, i):\n"
        "    await AE.update({AE.action: 'x'}).where(AE.id == i)\n"
        "    await AE.delete(force=True)\n"
        "    await AE.update({AE.action: 'x'}).where(AE.tenant == t, AE.id == i).returning(AE.id)\n"
        "    await (AE.delete()\n"
        "        .where(AE.id == i)\n"
        "        .where(AE.tenant.eq(t)))\n"
    )
    hits = find_unscoped_writes(source, "example.py", {"AuditEvent"})
    assert hits == [(3, "AuditEvent.update("), (4, "AuditEvent.delete(")]


def test_exempt_files_exist():
    missing = [name for name in EXEMPT_FILES if not (SRC / name).is_file()]
    assert not missing, f"EXEMPT_FILES names files that no longer exist: {missing}"


@cache
def _hits(finder) -> list[tuple[str, int, str]]:
    tables = tenant_owned_names()
    return [
        (path.relative_to(SRC).as_posix(), line, call)
        for path in _scanned_files()
        for line, call in finder(path.read_text(encoding="utf-8"), str(path), tables)
    ]


def _offenders(finder) -> list[str]:
    return [f"src/kefu/{rel}:{line}: {call}…)" for rel, line, call in _hits(finder) if (rel, call) not in ALLOWED]


def test_no_unscoped_tenant_queries():
    offenders = _offenders(find_unscoped)
    assert not offenders, (
        "Unscoped queries of tenant-owned tables; use kefu.core.scoping (scoped, scoped_objects, "
        "scoped_count, get_in_tenant) so another tenant's rows are never read:\n  "
        + "\n  ".join(offenders)
    )


def test_no_unscoped_tenant_writes():
    offenders = _offenders(find_unscoped_writes)
    assert not offenders, (
        "Updates/deletes of tenant-owned tables without `.where(<Table>.tenant == tenant_id, …)` "
        "in the same chain; on SQLite nothing else stops them touching another tenant's rows:\n  "
        + "\n  ".join(offenders)
    )


def test_allowed_entries_are_still_needed():
    used = {(rel, call) for rel, _, call in _hits(find_unscoped) + _hits(find_unscoped_writes)}
    stale = sorted(set(ALLOWED) - used)
    assert not stale, f"ALLOWED entries that match nothing any more (remove them): {stale}"


# Raw SQL: a statement that names a tenant-owned table must name tenant_id in the same string
# (the SQL text a `.raw(...)` or bulk helper runs), so it can only ever touch one tenant's rows.
_SQL_TABLE = re.compile(r"\b(?:FROM|JOIN|UPDATE|INTO)\s+\"?([a-z_][a-z0-9_]*)\"?", re.IGNORECASE)
# A whole statement, not a fragment spliced into one (the fragment's statement is scanned too).
_STATEMENT = re.compile(r"\s*(?:SELECT|UPDATE|DELETE|INSERT|WITH)\b", re.IGNORECASE)


def _sql_strings(tree: ast.AST):
    """(line, text) for each string literal, f-strings joined with their holes as {}."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            yield node.lineno, node.value
        elif isinstance(node, ast.JoinedStr):
            parts = [v.value if isinstance(v, ast.Constant) else "{}" for v in node.values]
            yield node.lineno, "".join(str(p) for p in parts)


def find_unscoped_sql(source: str, filename: str, tablenames: set[str]) -> list[tuple[int, str]]:
    hits = []
    for line, text in _sql_strings(ast.parse(source, filename)):
        if not _STATEMENT.match(text):
            continue
        named = {m.group(1).lower() for m in _SQL_TABLE.finditer(text)} & tablenames
        if named and "tenant_id" not in text:
            hits.extend((line, f"SQL on {name}") for name in sorted(named))
    return sorted(set(hits))


def _tablenames() -> set[str]:
    return {cls._meta.tablename for cls in tenant_owned_classes()}


def test_scanner_finds_raw_sql_without_the_tenant():
    source = (
        "A = 'SELECT id FROM complaint WHERE id = $1'\n"
        "B = 'SELECT id FROM complaint WHERE tenant_id = $1 AND id = $2'\n"
        "C = f'UPDATE \"survey_round\" SET status = {x} WHERE id = $1'\n"
        "D = 'the complaint from the customer'\n"
        "F = ' FROM complaint c'\n"
        "E = 'INSERT INTO notice (tenant_id, kind) VALUES ($1, $2)'\n"
    )
    hits = find_unscoped_sql(source, "example.py", {"complaint", "survey_round", "notice"})
    assert hits == [(1, "SQL on complaint"), (3, "SQL on survey_round")]


def test_no_raw_sql_without_the_tenant():
    names = _tablenames()
    offenders = [
        f"src/kefu/{path.relative_to(SRC).as_posix()}:{line}: {what}"
        for path in _scanned_files()
        for line, what in find_unscoped_sql(path.read_text(encoding="utf-8"), str(path), names)
    ]
    assert not offenders, (
        "Raw SQL naming a tenant-owned table without tenant_id in the same statement:\n  "
        + "\n  ".join(offenders)
    )
