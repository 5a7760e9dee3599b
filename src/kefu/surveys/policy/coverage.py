"""tenants/<kind>/survey_coverage.toml: which services (question topics) each position covers, so
that survey results reach the scorecard of the people who provide the service (issue 12; A art.
27, B.f, C.n); and a respondent's satisfaction with those services (pure)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from functools import cache
from pathlib import Path
from typing import Any

import msgspec

from kefu.core.packs import PackError, get_pack, read_struct
from kefu.settings import get_settings
from kefu.surveys.policy.definition import Definition, Section
from kefu.surveys.policy.scores import response_index

FILENAME = "survey_coverage.toml"


class Covers(msgspec.Struct, forbid_unknown_fields=True, frozen=True):
    position: str
    topics: tuple[str, ...]


class CoverageFile(msgspec.Struct, forbid_unknown_fields=True, frozen=True):
    covers: tuple[Covers, ...] = ()


def load_coverage(directory: Path, positions: Iterable[str]) -> dict[str, frozenset[str]]:
    """position -> the topics it covers; a missing file covers nothing."""
    path = directory / FILENAME
    found = read_struct(path, CoverageFile, default=CoverageFile())
    known = set(positions)
    coverage: dict[str, frozenset[str]] = {}
    for i, entry in enumerate(found.covers):
        if entry.position not in known:
            raise PackError(f"{path}: $.covers[{i}].position: {entry.position!r} is not a position of positions.toml")
        if entry.position in coverage:
            raise PackError(f"{path}: $.covers[{i}].position: a second entry for {entry.position!r}")
        if not entry.topics or any(not t.strip() for t in entry.topics):
            raise PackError(f"{path}: $.covers[{i}].topics: at least one topic, none empty")
        coverage[entry.position] = frozenset(entry.topics)
    return coverage


@cache
def _cached(directory: Path, kind: str) -> dict[str, frozenset[str]]:
    return load_coverage(directory / kind, get_pack(kind).positions)


def coverage_for(kind: str) -> dict[str, frozenset[str]]:
    return _cached(get_settings().tenants_dir, kind)


def topics_of(coverage: Mapping[str, frozenset[str]], positions: Iterable[str]) -> frozenset[str]:
    return frozenset(t for p in positions for t in coverage.get(p, ()))


def covered_index(definition: Definition, answers: Mapping[str, Any], topics: frozenset[str]) -> float | None:
    """The respondent's satisfaction (0–100) on the scored questions of the covered topics, or
    None if they rated none of them."""
    if not topics:
        return None
    narrowed = Definition(sections=[Section(key=s.key, title=s.title, questions=[q for q in s.questions if q.topic in topics])
                                    for s in definition.sections])
    return response_index(narrowed, answers)
