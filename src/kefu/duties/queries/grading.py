"""The yearly grading reference (A art. 27; B.f, C.n): each person the viewer may see, their
scorecard of the year weighed as the tenant's pack says (policy.grading), with the year's
commendations and criticisms. None when the pack has no grading."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from kefu.duties.policy import grading as rules
from kefu.duties.policy.pack import DutyPack, Grading
from kefu.duties.policy.periods import Period, period_of
from kefu.duties.queries.scorecards import Viewer, cards


@dataclass(frozen=True)
class Row:
    person: dict[str, Any]  # id, name, positions
    commendations: int
    criticisms: int
    reference: rules.Reference


@dataclass(frozen=True)
class Grades:
    year: Period
    grading: Grading
    rows: list[Row]


async def yearly(tenant_id: int, pack: DutyPack, viewer: Viewer, year: int, today: date) -> Grades | None:
    if pack.grading is None:
        return None
    period = period_of("yearly", date(year, 1, 1))
    found = await cards(tenant_id, pack, viewer, period, today)
    rows = []
    for person in found.people:
        values = {code: (f.value if (f := figures.get(person["id"])) else None) for code, figures in found.figures.items()}
        counts = found.notes.get(person["id"], {})
        praised, criticised = counts.get("commendation", 0), counts.get("criticism", 0)
        rows.append(Row(person, praised, criticised, rules.reference(pack.grading, values, praised, criticised)))
    return Grades(period, pack.grading, rows)
