"""The yearly callback plan (A art. 22(1)) and its progress. Pure: a plan's grid (how many
campaigns of each kind in each month) read from a form, and each cell set against the campaigns
actually opened or scheduled."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from kefu import i18n

MONTHS = tuple(range(1, 13))
MAX_PER_MONTH = 50
MIN_YEAR, MAX_YEAR = 2000, 2100


def cell_name(kind: str, month: int) -> str:
    return f"n_{kind}_{month}"


def read_grid(values: dict[str, str], kinds: list[str]) -> tuple[dict[str, dict[str, int]], dict[str, str]]:
    """The grid from form values `n_<kind>_<month>` (blank: 0); ({kind: {month: n}}, errors by
    field, English msgids). Cells of zero are left out."""
    grid: dict[str, dict[str, int]] = {}
    errors: dict[str, str] = {}
    for kind in kinds:
        for month in MONTHS:
            name = cell_name(kind, month)
            text = (values.get(name) or "").strip()
            if not text:
                continue
            if not (text.isascii() and text.isdigit()) or not 0 <= int(text) <= MAX_PER_MONTH:
                errors[name] = i18n.lazy("Enter a whole number from 0 to 50.")
                continue
            if int(text):
                grid.setdefault(kind, {})[str(month)] = int(text)
    return grid, errors


def loaded_grid(raw: Any, kinds: list[str]) -> dict[str, dict[int, int]]:
    """A stored grid, its months as numbers; kinds the pack no longer has are dropped."""
    out: dict[str, dict[int, int]] = {}
    for kind, months in (raw or {}).items():
        if kind in kinds and isinstance(months, dict):
            out[kind] = {int(m): int(n) for m, n in months.items() if str(m).isdigit() and 1 <= int(m) <= 12}
    return out


@dataclass
class Cell:
    planned: int = 0
    opened: int = 0  # campaigns open or closed whose opening day falls in the month
    scheduled: int = 0  # drafts waiting for their day
    state: str = ""  # met | scheduled | missed | due | unplanned | ""


@dataclass
class KindRow:
    kind: str
    cells: dict[int, Cell] = field(default_factory=dict)
    planned: int = 0
    opened: int = 0
    tasks: int = 0
    done: int = 0
    on_time: int = 0

    @property
    def on_time_rate(self) -> float | None:
        return round(100.0 * self.on_time / self.done, 1) if self.done else None


def cell_state(cell: Cell, year: int, month: int, today: date) -> str:
    """met: as many opened as planned; scheduled: the rest are drafts; missed: the month is
    over and fewer opened; due: this month or later, not all there yet; unplanned: opened
    without a plan."""
    if not cell.planned:
        return "unplanned" if cell.opened or cell.scheduled else ""
    if cell.opened >= cell.planned:
        return "met"
    if cell.opened + cell.scheduled >= cell.planned:
        return "scheduled"
    if (year, month) < (today.year, today.month):
        return "missed"
    return "due"


def progress(grid: dict[str, dict[int, int]], campaigns: list[dict[str, Any]], kinds: list[str], year: int,
             today: date) -> list[KindRow]:
    """One row per kind of the pack: each month's cell, and the year's totals. `campaigns`:
    {kind, opens_on, status, tasks, done, on_time} of the year."""
    rows = {kind: KindRow(kind, {m: Cell(planned=grid.get(kind, {}).get(m, 0)) for m in MONTHS}) for kind in kinds}
    for c in campaigns:
        row = rows.get(c["kind"])
        if row is None or c["opens_on"].year != year:
            continue
        cell = row.cells[c["opens_on"].month]
        if c["status"] == "draft":
            cell.scheduled += 1
        else:
            cell.opened += 1
            row.tasks += c.get("tasks", 0)
            row.done += c.get("done", 0)
            row.on_time += c.get("on_time", 0)
    for row in rows.values():
        for month, cell in row.cells.items():
            cell.state = cell_state(cell, year, month, today)
            row.planned += cell.planned
            row.opened += min(cell.opened, cell.planned)
    return list(rows.values())


def totals(rows: list[KindRow]) -> dict[str, Any]:
    """Planned campaigns, those opened against the plan (a cell counts at most its plan), and
    the share; the months missed."""
    planned = sum(r.planned for r in rows)
    opened = sum(r.opened for r in rows)
    return {"planned": planned, "opened": opened,
            "percent": round(100.0 * opened / planned, 1) if planned else None,
            "missed": sum(c.state == "missed" for r in rows for c in r.cells.values()),
            "tasks": sum(r.tasks for r in rows), "done": sum(r.done for r in rows),
            "on_time": sum(r.on_time for r in rows)}


def year_of(text: str | int) -> int | None:
    try:
        year = int(text)
    except (TypeError, ValueError):
        return None
    return year if MIN_YEAR <= year <= MAX_YEAR else None
