"""The performance scorecard's contribution interface (A art. 27, B.f, C.n): each module adds the
figures it records about a person, through its own public query functions; duties never
imports them (they import this, as complaints already import the training gate).

How a module contributes (complaints does in kefu/complaints/scorecard.py; a callbacks module
would write kefu/callbacks/scorecard.py the same way):

    from kefu.duties.registry import Figure, scorecard_metric

    @scorecard_metric("callbacks.reach_rate", "回访接通率", "Callback reach rate", unit="percent", order=40)
    async def reach_rate(tenant_id: int, user_ids: Sequence[int], start: date, end: date) -> dict[int, Figure]:
        counts = await callbacks_queries.reach_by_agent(tenant_id, user_ids, start, end)  # its public query
        return {uid: Figure.rate(c.reached, c.made) for uid, c in counts.items()}

- `user_ids`: the people asked about; `start`..`end`: the period's first and last local day,
  inclusive. Return a Figure per person you have a figure for; leave the others out (shown
  "–", not 0). The function opens its own read transaction (`transaction(tenant_id, write=False)`).
- `unit`: "percent" (a rate 0–100, Figure.rate), "count" (Figure.count) or "score" (a mean,
  Figure.score). `order` sorts the scorecard's rows. Codes are "<module>.<name>", unique.
- A module's `scorecard.py` is imported on first use of `metrics()` (every module of
  kefu.modules.MODULES that has one), so nothing else needs registering.

A record a commendation or criticism may cite is registered the same way with `citable`: a kind
("complaint"), its words and an async lookup (tenant_id, id) -> the record's short title, or
None when the tenant has no such record.

A module record that shows a duty done (a duty item's `record` in the packs' duties.toml, one of
policy.pack.RECORDS) is registered with `duty_record` in the module's `duty_records.py`: an async
finder (tenant_id, span) -> the record's reference ("survey_round:12"), or None while there is
none. The duty sweep asks it for each open task, and the task closes itself when it answers:

    @duty_record("surveys.half_year_round")
    async def half_year_round(tenant_id: int, span: Span) -> str | None:
        found = await closed_round_with_responses(tenant_id, span.key, span.start_utc, span.end_utc)
        return f"survey_round:{found}" if found else None

So duties never imports the modules whose records close its tasks (they import duties).

The task page names and links such a reference by its kind ("survey_round"), registered with
`record_link` next to the finder: its words, the permission its page needs, and an async
(tenant_id, id) -> (route name, path parameters besides the slug, query string), or None when
the tenant has no such record:

    @record_link("survey_round", "问卷轮次", "Survey round", permission="surveys.view")
    async def survey_round_page(tenant_id: int, round_id: int) -> Target | None:
        return ("surveys.round", {"round_id": round_id}, "")
"""

from __future__ import annotations

import importlib
import importlib.util
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from kefu.duties.policy import periods

UNITS = ("percent", "count", "score")


@dataclass(frozen=True)
class Figure:
    """One person's figure: `value` (None: nothing to measure this period) and, for a rate, the
    counts behind it (`part` of `whole`)."""

    value: float | None
    part: int | None = None
    whole: int | None = None

    @classmethod
    def rate(cls, part: int, whole: int) -> Figure:
        return cls(None if whole == 0 else round(100.0 * part / whole, 1), part, whole)

    @classmethod
    def count(cls, n: int) -> Figure:
        return cls(float(n), n, None)

    @classmethod
    def score(cls, total: float, n: int) -> Figure:
        return cls(None if n == 0 else round(total / n, 1), None, n)


@dataclass(frozen=True)
class Span:
    """The period a duty task covers: its recurrence, key ("2026H2"), first and last local day
    (inclusive), and the tenant's time zone."""

    recurrence: str
    key: str
    start: date
    end: date
    zone: str

    @property
    def start_utc(self) -> datetime:
        return periods.day_start_utc(self.start, self.zone)

    @property
    def end_utc(self) -> datetime:
        """The instant the period ends (the next day's start), exclusive."""
        return periods.day_start_utc(date.fromordinal(self.end.toordinal() + 1), self.zone)


Contributor = Callable[[int, Sequence[int], date, date], Awaitable[dict[int, Figure]]]
Lookup = Callable[[int, int], Awaitable[str | None]]
RecordFinder = Callable[[int, Span], Awaitable[str | None]]
Target = tuple[str, dict[str, int], str]  # route name, path parameters besides the slug, query string
Linker = Callable[[int, int], Awaitable[Target | None]]


@dataclass(frozen=True)
class Metric:
    code: str
    label: str
    label_en: str
    unit: str
    order: int
    compute: Contributor


@dataclass(frozen=True)
class Citable:
    kind: str
    label: str
    label_en: str
    lookup: Lookup


@dataclass(frozen=True)
class RecordLink:
    kind: str
    label: str
    label_en: str
    permission: str
    link: Linker


_METRICS: dict[str, Metric] = {}
_CITABLE: dict[str, Citable] = {}
_RECORDS: dict[str, RecordFinder] = {}
_LINKS: dict[str, RecordLink] = {}
_loaded = False


def scorecard_metric(code: str, label: str, label_en: str, *, unit: str = "percent",
                     order: int = 100) -> Callable[[Contributor], Contributor]:
    """Register `compute` as the scorecard row `code` (see the module docstring)."""
    if unit not in UNITS:
        raise ValueError(f"scorecard metric {code!r}: unit {unit!r} is not one of {UNITS}")

    def register(compute: Contributor) -> Contributor:
        known = _METRICS.get(code)
        if known is not None and known.compute is not compute and known.compute.__qualname__ != compute.__qualname__:
            raise ValueError(f"scorecard metric {code!r} is registered twice")
        _METRICS[code] = Metric(code, label, label_en, unit, order, compute)
        return compute

    return register


def citable(kind: str, label: str, label_en: str) -> Callable[[Lookup], Lookup]:
    """Register the record kind `kind` that commendations and criticisms may cite."""

    def register(lookup: Lookup) -> Lookup:
        _CITABLE[kind] = Citable(kind, label, label_en, lookup)
        return lookup

    return register


def duty_record(code: str) -> Callable[[RecordFinder], RecordFinder]:
    """Register the finder of the module record `code` that closes duty tasks (see above)."""

    def register(finder: RecordFinder) -> RecordFinder:
        _RECORDS[code] = finder
        return finder

    return register


def record_link(kind: str, label: str, label_en: str, *, permission: str) -> Callable[[Linker], Linker]:
    """Register how the task page names and links a record reference "<kind>:<id>" (see above)."""

    def register(link: Linker) -> Linker:
        _LINKS[kind] = RecordLink(kind, label, label_en, permission, link)
        return link

    return register


def _load() -> None:
    global _loaded
    if _loaded:
        return
    from kefu.modules import MODULES

    for module in MODULES:
        for part in ("scorecard", "duty_records"):
            name = f"kefu.{module}.{part}"
            try:
                found = importlib.util.find_spec(name) is not None
            except ModuleNotFoundError:
                found = False
            if found:
                importlib.import_module(name)
    _loaded = True


def metrics() -> list[Metric]:
    """Every registered metric, in `order` then code."""
    _load()
    return sorted(_METRICS.values(), key=lambda m: (m.order, m.code))


def citables() -> dict[str, Citable]:
    _load()
    return dict(_CITABLE)


def duty_records() -> dict[str, RecordFinder]:
    """Every registered finder of a record that closes duty tasks, by its code."""
    _load()
    return dict(_RECORDS)


def record_links() -> dict[str, RecordLink]:
    """How each kind of record reference is named and linked, by its kind."""
    _load()
    return dict(_LINKS)
