"""The reads behind the results: responses streamed in chunks (each once, in order), counts by
validity from one grouped query equal to the tally's, the previous round of the same template."""

from __future__ import annotations

import pytest

from kefu.db import transaction
from kefu.surveys.queries import results as q
from tests.surveys import factories as sf
from tests.surveys.results.support import seeded_round

pytestmark = pytest.mark.asyncio(loop_scope="session")


async def test_streaming_in_chunks_reads_each_response_once(office):
    round_row, _ = await seeded_round(office.tenant)
    async with transaction(office.tenant.id, write=False):
        chunks = [rows async for rows in q.stream_rows(office.tenant.id, round_row.id, chunk=3)]
        newest = [rows async for rows in q.stream_rows(office.tenant.id, round_row.id, chunk=3, newest_first=True)]
        valid = [rows async for rows in q.stream_rows(office.tenant.id, round_row.id, chunk=2, valid_only=True)]
    ids = [row["id"] for rows in chunks for row in rows]
    assert [len(rows) for rows in chunks] == [3, 1] and ids == sorted(ids) and len(set(ids)) == 4
    assert [row["id"] for rows in newest for row in rows] == ids[::-1]
    assert sum(len(rows) for rows in valid) == 3


async def test_grouped_counts_equal_the_tally(office):
    round_row, _ = await seeded_round(office.tenant, invited=8)
    async with transaction(office.tenant.id, write=False):
        counts = await q.counts(office.tenant.id, round_row)
        tallied = (await q.round_results(office.tenant.id, round_row)).counts
    assert counts == tallied
    assert (counts.responses, counts.valid, counts.invited, counts.reasons) == (4, 3, 8, {"too_fast": 1})


async def test_previous_round_is_the_latest_earlier_one_of_the_same_template(office):
    template = await sf.template(office.tenant)
    older = await sf.survey_round(office.tenant, template, status="closed", opens_in_days=-400, closes_in_days=-390)
    last = await sf.survey_round(office.tenant, template, status="closed", opens_in_days=-200, closes_in_days=-190)
    await sf.survey_round(office.tenant, status="closed", opens_in_days=-100, closes_in_days=-90)  # another template
    current = await sf.survey_round(office.tenant, template)
    await sf.survey_round(office.tenant, template, status="scheduled", opens_in_days=-1)
    async with transaction(office.tenant.id, write=False):
        found = await q.previous_round(office.tenant.id, current)
        first = await q.previous_round(office.tenant.id, older)
        analysis = await q.analysis(office.tenant.id, current)
    assert found is not None and found.id == last.id
    assert first is None
    assert analysis.comparison is not None and analysis.comparison.previous_round_id == last.id
    assert analysis.comparison.previous_index is None  # no answers then: nothing to compare
