"""tenants/<kind>/callback_quality.toml (A art. 26–27) and the pure rules of problems found and
QA scores: due dates, the reminder stage, who may close, the points of a scoring sheet, the
sample to score, and the figures a campaign's progress report shows."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache
from pathlib import Path

import msgspec

from kefu.core.errors import Refused
from kefu.core.packs import PackError, load_pack, read_struct
from kefu.settings import get_settings

FILENAME = "callback_quality.toml"
PROBLEM_STATUSES = ("open", "closed")


class Cause(msgspec.Struct, forbid_unknown_fields=True, frozen=True):
    code: str
    name: str
    name_en: str
    immediate: bool = False


class SheetItem(msgspec.Struct, forbid_unknown_fields=True, frozen=True):
    code: str
    text: str
    text_en: str
    max: int


class QualityPack(msgspec.Struct, forbid_unknown_fields=True, frozen=True):
    causes: tuple[Cause, ...]
    sheet: tuple[SheetItem, ...]
    escalate_positions: tuple[str, ...]
    default_position: str
    complaint_channel: str
    complaint_category: str
    problem_due_days: int = 5
    problem_remind_days: int = 1
    sample_percent: int = 10

    def cause(self, code: str) -> Cause | None:
        return next((c for c in self.causes if c.code == code), None)

    @property
    def max_total(self) -> int:
        return sum(i.max for i in self.sheet)


def check_quality(pack: QualityPack, where: str, positions: set[str]) -> QualityPack:
    for key, codes in (("causes", [c.code for c in pack.causes]), ("sheet", [i.code for i in pack.sheet])):
        if not codes or len(set(codes)) != len(codes):
            raise PackError(f"{where}: $.{key}: at least one, each code once")
    for i, item in enumerate(pack.sheet):
        if not 1 <= item.max <= 100:
            raise PackError(f"{where}: $.sheet[{i}].max: between 1 and 100")
    for key, value in (("default_position", [pack.default_position]), ("escalate_positions", pack.escalate_positions)):
        if not value or any(p not in positions for p in value):
            raise PackError(f"{where}: $.{key}: positions of positions.toml")
    for key, n, low, high in (("problem_due_days", pack.problem_due_days, 1, 90),
                              ("problem_remind_days", pack.problem_remind_days, 0, 30),
                              ("sample_percent", pack.sample_percent, 1, 100)):
        if not low <= n <= high:
            raise PackError(f"{where}: $.{key}: between {low} and {high}")
    return pack


def load_quality(directory: Path) -> QualityPack:
    path = directory / FILENAME
    return check_quality(read_struct(path, QualityPack), str(path), set(load_pack(directory).positions))


@cache
def _cached(directory: Path) -> QualityPack:
    return load_quality(directory)


def quality_for(kind: str) -> QualityPack:
    """The quality pack of tenants/<kind>/ (read once per process)."""
    return _cached(get_settings().tenants_dir / kind)


# --- problems (art. 26) ---------------------------------------------------------------------

def problem_due(raised_on: date, pack: QualityPack) -> date:
    return raised_on + timedelta(days=pack.problem_due_days)


def reminder_stage(due_on: date, today: date, pack: QualityPack, *, reminded: bool, escalated: bool) -> str:
    """"overdue" (escalate) once past the due date, "before" (remind) from problem_remind_days
    before it, "" otherwise or when that stage was already sent."""
    if today > due_on:
        return "" if escalated else "overdue"
    if today >= due_on - timedelta(days=pack.problem_remind_days) and not reminded:
        return "before"
    return ""


def change_refusal(status: str) -> Refused | None:
    if status == "closed":
        return Refused("problem_closed", "This problem is already closed.")
    return None


def complaint_refusal(status: str, complaint_id: int | None) -> Refused | None:
    if complaint_id is not None:
        return Refused("already_complaint", "This problem is already a complaint.")
    return change_refusal(status)


# --- quality scores (art. 27) ---------------------------------------------------------------

def score_total(pack: QualityPack, points: dict[str, int]) -> tuple[int, int]:
    """(total, max) of a scored sheet; `points` must hold each item once, inside 0..max."""
    return sum(points[i.code] for i in pack.sheet), pack.max_total


def in_sample(record_id: int, percent: int) -> bool:
    """A stable sample: the same records are proposed to QA on every visit (every n-th id)."""
    step = max(1, round(100 / percent))
    return record_id % step == 0


@dataclass(frozen=True)
class Progress:
    """A campaign's progress (art. 22(4) report): tasks by state, and the rates derived."""

    total: int
    done: int
    reached: int
    unreachable: int
    fallen_back: int
    on_time: int

    @property
    def open(self) -> int:
        return self.total - self.done - self.unreachable

    def rate(self, part: int, whole: int) -> float | None:
        return None if whole == 0 else round(100.0 * part / whole, 1)

    @property
    def success_rate(self) -> float | None:  # reached of the tasks that ended
        return self.rate(self.done, self.done + self.unreachable)

    @property
    def on_time_rate(self) -> float | None:  # done by the due date, of the done ones
        return self.rate(self.on_time, self.done)
