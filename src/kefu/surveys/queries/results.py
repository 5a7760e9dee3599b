"""Reads behind the results pages, exports and report: a round's responses streamed in chunks
(a round may have tens of thousands), its counts by validity, the previous round of the same
template. Every query goes through kefu.core.scoping; callers hold the tenant's transaction.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

from piccolo.query.functions.aggregate import Count

from kefu.core.paging import Page, page_number
from kefu.core.scoping import get_in_tenant, scoped, scoped_count
from kefu.surveys.policy.definition import Definition, parse_definition
from kefu.surveys.queries import compare as rc
from kefu.surveys.queries import summary as r
from kefu.surveys.queries.tally import Counts, ResponseRecord, counts_from_groups
from kefu.surveys.tables import SurveyResponse, SurveyRound

CHUNK = 2_000
PAGE_SIZE = 50
COMMENTS_PAGE_SIZE = 50
RECORD_COLUMNS = (
    SurveyResponse.id, SurveyResponse.answers, SurveyResponse.is_valid, SurveyResponse.invalid_reason,
    SurveyResponse.building, SurveyResponse.segment, SurveyResponse.via,
)
EXPORT_COLUMNS = (*RECORD_COLUMNS, SurveyResponse.household, SurveyResponse.submitted_at,
                  SurveyResponse.duration_seconds)
VALIDITY_FILTERS = ("all", "valid", "invalid")


def load_answers(raw: Any) -> dict[str, Any]:
    if isinstance(raw, (str, bytes)):
        try:
            raw = json.loads(raw or "{}")
        except ValueError:
            return {}
    return raw if isinstance(raw, dict) else {}


def record_of(row: dict[str, Any]) -> ResponseRecord:
    return ResponseRecord(
        answers=load_answers(row["answers"]), is_valid=bool(row["is_valid"]),
        invalid_reason=row["invalid_reason"] or "", building=row["building"] or "",
        segment=row["segment"] or "", via=row["via"] or "invite", id=row.get("id"),
    )


async def survey_round(tenant_id: int, round_id: int) -> SurveyRound:
    """The round, or the 404 of a missing one (another tenant's included)."""
    return await get_in_tenant(SurveyRound, tenant_id, round_id)


def definition_of(round_row: SurveyRound) -> Definition:
    return parse_definition(round_row.definition)


async def stream_rows(tenant_id: int, round_id: int, columns: tuple[Any, ...] = RECORD_COLUMNS, *, valid_only: bool = False,
                      newest_first: bool = False, chunk: int = CHUNK) -> AsyncIterator[list[dict[str, Any]]]:
    """The round's responses in chunks of `chunk` rows, by id (keyset: each chunk one indexed
    range, never an OFFSET over what came before)."""
    last: int | None = None
    while True:
        query = scoped(SurveyResponse, tenant_id, *columns).where(SurveyResponse.round == round_id)
        if valid_only:
            query = query.where(SurveyResponse.is_valid.eq(True))
        if last is not None:
            query = query.where(SurveyResponse.id < last if newest_first else SurveyResponse.id > last)
        rows = await query.order_by(SurveyResponse.id, ascending=not newest_first).limit(chunk)
        if not rows:
            return
        yield rows
        if len(rows) < chunk:
            return
        last = rows[-1]["id"]


async def counts(tenant_id: int, round_row: SurveyRound) -> Counts:
    """Responses by validity, reason and way in: one grouped query (the live block)."""
    groups = await scoped(
        SurveyResponse, tenant_id, SurveyResponse.is_valid, SurveyResponse.invalid_reason,
        SurveyResponse.via, Count(alias="count"),
    ).where(SurveyResponse.round == round_row.id).group_by(
        SurveyResponse.is_valid, SurveyResponse.invalid_reason, SurveyResponse.via
    )
    return counts_from_groups(round_row.invited_count, groups)


async def round_results(tenant_id: int, round_row: SurveyRound, definition: Definition | None = None,
                        keep_comments: int = 0) -> r.RoundResults:
    """The round's statistics in one pass over its responses (and its newest comments)."""
    tally = r.Tally(definition or definition_of(round_row), round_row.invited_count, keep_comments)
    async for rows in stream_rows(tenant_id, round_row.id):
        # Pure CPU (JSON and sums, ~30 µs a response): off the event loop, one chunk at a time.
        await asyncio.to_thread(_tally_chunk, tally, rows)
    return tally.results()


def _tally_chunk(tally: r.Tally, rows: list[dict[str, Any]]) -> None:
    tally.add_all(record_of(row) for row in rows)


async def previous_round(tenant_id: int, round_row: SurveyRound) -> SurveyRound | None:
    """The round of the same template that opened last before this one (scheduled ones aside)."""
    rows = await scoped(SurveyRound, tenant_id, SurveyRound.id).where(
        SurveyRound.template == round_row.template, SurveyRound.id != round_row.id,
        SurveyRound.opens_at < round_row.opens_at, SurveyRound.status != "scheduled",
    ).order_by(SurveyRound.opens_at, ascending=False).limit(1)
    return await survey_round(tenant_id, rows[0]["id"]) if rows else None


async def comparison(tenant_id: int, round_row: SurveyRound, current: r.RoundResults) -> rc.Comparison | None:
    previous = await previous_round(tenant_id, round_row)
    if previous is None:
        return None
    before = await round_results(tenant_id, previous)
    return rc.compare(current, before, previous_round_id=previous.id, previous_title=previous.title)


@dataclass(frozen=True)
class Analysis:
    round: SurveyRound
    definition: Definition
    results: r.RoundResults
    comparison: rc.Comparison | None


async def analysis(tenant_id: int, round_row: SurveyRound, keep_comments: int = 0) -> Analysis:
    definition = definition_of(round_row)
    current = await round_results(tenant_id, round_row, definition, keep_comments)
    return Analysis(round_row, definition, current, await comparison(tenant_id, round_row, current))


async def comments(tenant_id: int, round_row: SurveyRound, raw_page: str | None,
                   size: int = COMMENTS_PAGE_SIZE, question: str = "") -> Page:
    """The free-text answers of valid responses, newest first, one page of them. The answers
    are JSON, so the texts are picked out while streaming (no per-database JSON operators)."""
    definition = definition_of(round_row)
    number = page_number(raw_page)
    start, found, total = (number - 1) * size, [], 0
    async for rows in stream_rows(tenant_id, round_row.id, valid_only=True, newest_first=True):
        for c in r.comments_of(definition, ((row["id"], record_of(row)) for row in rows)):
            if question and c.question_key != question:
                continue
            if start <= total < start + size:
                found.append(c)
            total += 1
    return Page([c.__dict__ for c in found], number, size, total)


async def responses_page(tenant_id: int, round_id: int, validity: str, raw_page: str | None) -> Page:
    """One page of the round's responses (valid, invalid or all), newest first."""
    number = page_number(raw_page)
    where = [SurveyResponse.round == round_id]
    if validity in ("valid", "invalid"):
        where.append(SurveyResponse.is_valid.eq(validity == "valid"))
    rows = await scoped(SurveyResponse, tenant_id, *EXPORT_COLUMNS).where(*where).order_by(
        SurveyResponse.id, ascending=False).limit(PAGE_SIZE).offset((number - 1) * PAGE_SIZE)
    total = await scoped_count(SurveyResponse, tenant_id).where(*where)
    for row in rows:
        row["answers"] = load_answers(row["answers"])
    return Page(rows, number, PAGE_SIZE, total)
