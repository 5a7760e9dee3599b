"""tenants/<kind>/duties.toml: departments, courses and each position's duty set, validated into
msgspec Structs. Positions are the pack's (positions.toml): a duty set extends one, never
declares another. An error names the file and the key (`$.duty_sets[2].duties[0].recurrence`).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import msgspec

from kefu.core.packs import Pack, PackError, check_own_permissions, load_pack, read_toml
from kefu.settings import get_settings

FILENAME = "duties.toml"
RECURRENCES = ("daily", "weekly", "monthly", "quarterly", "half_yearly", "yearly", "event")
EVIDENCE = ("note", "checklist", "upload", "record")
# Module records that close a duty task by themselves (services.evidence knows how to ask).
RECORDS = ("surveys.half_year_round", "duties.meeting_minutes", "complaints.analysis_report",
           "deskstats.month_statistics")


class Department(msgspec.Struct, forbid_unknown_fields=True, frozen=True):
    code: str
    name: str
    name_en: str
    parent: str = ""


class Course(msgspec.Struct, forbid_unknown_fields=True, frozen=True):
    code: str
    name: str
    name_en: str
    valid_months: int = 12


class Duty(msgspec.Struct, forbid_unknown_fields=True, frozen=True):
    code: str
    text: str
    text_en: str
    recurrence: str = ""
    evidence: str = ""
    record: str = ""
    checklist: tuple[str, ...] = ()
    checklist_en: tuple[str, ...] = ()


class DutySet(msgspec.Struct, forbid_unknown_fields=True, frozen=True):
    position: str
    department: str
    reports_to: str = ""
    source: str = ""
    training: tuple[str, ...] = ()
    same_as: str = ""  # a deputy's set: the duties of that position, done when nobody holds it
    duties: tuple[Duty, ...] = ()


class Weight(msgspec.Struct, forbid_unknown_fields=True, frozen=True):
    """A scorecard metric (kefu.duties.registry code, a rate or a score) and its share of the
    yearly grading score; a score is read out of `out_of` (a rate out of 100)."""
    metric: str
    weight: int
    out_of: float = 100.0


class Grade(msgspec.Struct, forbid_unknown_fields=True, frozen=True):
    code: str
    name: str
    name_en: str
    min_score: float


class Grading(msgspec.Struct, forbid_unknown_fields=True, frozen=True):
    """The yearly grading reference (A art. 27: 每年度的定级、评薪; B.f, C.n): a weighted score of
    the year's scorecard, points for each commendation and off for each criticism, and the grade
    bands. A reference for the manager's decision, not the decision."""
    source: str
    note: str
    note_en: str
    weights: tuple[Weight, ...]
    grades: tuple[Grade, ...]
    commendation_points: float = 0.0
    criticism_points: float = 0.0


class Grants(msgspec.Struct, forbid_unknown_fields=True, frozen=True):
    """The permissions a tenant gave a position in place of the pack's (positions.toml)."""
    position: str
    permissions: tuple[str, ...]


class DutiesFile(msgspec.Struct, forbid_unknown_fields=True, frozen=True):
    departments: tuple[Department, ...]
    courses: tuple[Course, ...] = ()
    duty_sets: tuple[DutySet, ...] = ()
    permissions: tuple[Grants, ...] = ()
    grading: Grading | None = None


class DutyPack(msgspec.Struct, frozen=True):
    departments: dict[str, Department]
    courses: dict[str, Course]
    sets: dict[str, DutySet]  # by position code
    # position -> the permissions the tenant gave it; a position not here grants the pack's
    permissions: dict[str, tuple[str, ...]] = msgspec.field(default_factory=dict)
    grading: Grading | None = None

    def duties_of(self, position: str) -> tuple[Duty, ...]:
        found = self.sets.get(position)
        if found is None:
            return ()
        return self.sets[found.same_as].duties if found.same_as else found.duties

    def duty(self, code: str) -> tuple[DutySet, Duty] | None:
        for duty_set in self.sets.values():
            for duty in duty_set.duties:
                if duty.code == code:
                    return duty_set, duty
        return None

    def recurring(self) -> list[tuple[DutySet, Duty]]:
        """Every duty that becomes work each period (not event-driven, not standing)."""
        return [(s, d) for s in self.sets.values() for d in s.duties
                if d.recurrence and d.recurrence != "event"]

    def training_of(self, positions: list[str]) -> list[str]:
        """The courses the positions require, in pack order, each once."""
        wanted = {c for p in positions if p in self.sets for c in self.sets[p].training}
        return [code for code in self.courses if code in wanted]


def _check_duty(where: str, key: str, duty: Duty) -> None:
    if duty.recurrence and duty.recurrence not in RECURRENCES:
        raise PackError(f"{where}: {key}.recurrence: {duty.recurrence!r} is not one of {', '.join(RECURRENCES)}")
    if duty.recurrence and not duty.evidence:
        raise PackError(f"{where}: {key}.evidence: a recurring duty states its evidence")
    if duty.evidence and duty.evidence not in EVIDENCE:
        raise PackError(f"{where}: {key}.evidence: {duty.evidence!r} is not one of {', '.join(EVIDENCE)}")
    if (duty.evidence == "record") != bool(duty.record):
        raise PackError(f"{where}: {key}.record: evidence 'record' and a record go together")
    if duty.record and duty.record not in RECORDS:
        raise PackError(f"{where}: {key}.record: unknown record {duty.record!r}")
    if (duty.evidence == "checklist") != bool(duty.checklist):
        raise PackError(f"{where}: {key}.checklist: evidence 'checklist' and its items go together")
    if len(duty.checklist) != len(duty.checklist_en):
        raise PackError(f"{where}: {key}.checklist_en: one English label per checklist item")


def _check_set(where: str, i: int, s: DutySet, file: DutiesFile, positions: set[str], seen: set[str]) -> None:
    key = f"$.duty_sets[{i}]"
    if s.position not in positions:
        raise PackError(f"{where}: {key}.position: {s.position!r} is not a position of positions.toml")
    if s.reports_to and s.reports_to not in positions:
        raise PackError(f"{where}: {key}.reports_to: {s.reports_to!r} is not a position of positions.toml")
    if s.department not in {d.code for d in file.departments}:
        raise PackError(f"{where}: {key}.department: unknown department {s.department!r}")
    for course in s.training:
        if course not in {c.code for c in file.courses}:
            raise PackError(f"{where}: {key}.training: unknown course {course!r}")
    if s.same_as and (s.duties or s.same_as not in {o.position for o in file.duty_sets if not o.same_as}):
        raise PackError(f"{where}: {key}.same_as: names another position's own set, with no duties here")
    for j, duty in enumerate(s.duties):
        if duty.code in seen:
            raise PackError(f"{where}: {key}.duties[{j}].code: duplicate {duty.code!r}")
        seen.add(duty.code)
        _check_duty(where, f"{key}.duties[{j}]", duty)


def _check_grading(where: str, grading: Grading) -> None:
    key = "$.grading"
    if not grading.weights:
        raise PackError(f"{where}: {key}.weights: at least one metric")
    for i, w in enumerate(grading.weights):
        if not 1 <= w.weight <= 100:
            raise PackError(f"{where}: {key}.weights[{i}].weight: between 1 and 100")
        if not 0 < w.out_of <= 1000:
            raise PackError(f"{where}: {key}.weights[{i}].out_of: above 0, at most 1000")
        if w.metric in {x.metric for x in grading.weights[:i]}:
            raise PackError(f"{where}: {key}.weights[{i}].metric: duplicate {w.metric!r}")
    if not grading.grades:
        raise PackError(f"{where}: {key}.grades: at least one grade")
    for i, g in enumerate(grading.grades):
        if not 0 <= g.min_score <= 100:
            raise PackError(f"{where}: {key}.grades[{i}].min_score: between 0 and 100")
        if i and g.min_score >= grading.grades[i - 1].min_score:
            raise PackError(f"{where}: {key}.grades[{i}].min_score: grades go from the highest down")
        if g.code in {x.code for x in grading.grades[:i]}:
            raise PackError(f"{where}: {key}.grades[{i}].code: duplicate {g.code!r}")
    if grading.grades[-1].min_score != 0:
        raise PackError(f"{where}: {key}.grades[-1].min_score: the lowest grade starts at 0")
    if not (0 <= grading.commendation_points <= 20 and 0 <= grading.criticism_points <= 20):
        raise PackError(f"{where}: {key}: commendation_points and criticism_points between 0 and 20")


def parse_duties(raw: object, where: str, positions: set[str], pack: Pack | None = None) -> DutyPack:
    """The duties document checked; its `permissions` (a tenant's own) against `pack`, as
    positions.toml is checked."""
    try:
        file = msgspec.convert(raw, DutiesFile)
    except msgspec.ValidationError as exc:
        raise PackError(f"{where}: {exc}") from None
    for i, dept in enumerate(file.departments):
        if dept.parent and dept.parent not in {d.code for d in file.departments}:
            raise PackError(f"{where}: $.departments[{i}].parent: unknown department {dept.parent!r}")
    for i, course in enumerate(file.courses):
        if not 1 <= course.valid_months <= 120:
            raise PackError(f"{where}: $.courses[{i}].valid_months: between 1 and 120")
    seen: set[str] = set()
    sets: dict[str, DutySet] = {}
    for i, duty_set in enumerate(file.duty_sets):
        if duty_set.position in sets:
            raise PackError(f"{where}: $.duty_sets[{i}].position: a second set for {duty_set.position!r}")
        _check_set(where, i, duty_set, file, positions, seen)
        sets[duty_set.position] = duty_set
    if file.grading is not None:
        _check_grading(where, file.grading)
    own: dict[str, tuple[str, ...]] = {}
    for i, grants in enumerate(file.permissions):
        if grants.position in own:
            raise PackError(f"{where}: $.permissions[{i}].position: a second entry for {grants.position!r}")
        own[grants.position] = grants.permissions
    if own:
        if pack is None:
            raise PackError(f"{where}: $.permissions: a pack file does not change positions.toml's permissions")
        check_own_permissions(pack, own, where)
    return DutyPack(
        departments={d.code: d for d in file.departments},
        courses={c.code: c for c in file.courses}, sets=sets, permissions=own, grading=file.grading,
    )


def load_duties(directory: Path) -> DutyPack:
    path = directory / FILENAME
    raw = read_toml(path)
    assert raw is not None  # a required file: a missing one raised PackError
    return parse_duties(raw, str(path), set(load_pack(directory).positions))


@cache
def _cached(directory: Path) -> DutyPack:
    return load_duties(directory)


def duties_for(kind: str) -> DutyPack:
    """The duty pack of tenants/<kind>/ (read once per process)."""
    return _cached(get_settings().tenants_dir / kind)
