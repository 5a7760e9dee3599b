"""A round as Excel: the raw answers (one row per response, written while the responses stream
in, write-only so tens of thousands fit) and the summary (per-question tables, breakdowns,
rates). Numbers stay numbers, times are in the tenant's time zone, and every text cell is text,
never a formula: a respondent's "=HYPERLINK(…)" stays what they typed.
"""

from __future__ import annotations

import io
from collections.abc import AsyncIterator, Sequence
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from kefu import i18n
from kefu.surveys import results as r
from kefu.surveys.controllers import results_view as v
from kefu.surveys.definition import OTHER, Definition, Question

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PERCENT, SCORE, WHEN = "0.0%", "0.00", "yyyy-mm-dd hh:mm"
_ = i18n.gettext


def _cells(sheet: Any, values: Sequence[Any], formats: dict[int, str] | None = None, bold: bool = False) -> list:
    cells = []
    for col, value in enumerate(values):
        cell = WriteOnlyCell(sheet, value=value)
        if isinstance(value, str):
            cell.data_type = "s"  # text, never a formula
        if formats and col in formats:
            cell.number_format = formats[col]
        elif isinstance(value, datetime):
            cell.number_format = WHEN
        elif isinstance(value, date):
            cell.number_format = "yyyy-mm-dd"
        if bold:
            cell.font = Font(bold=True)
        cells.append(cell)
    return cells


def _save(book: Workbook) -> bytes:
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


# --- raw answers -----------------------------------------------------------------------------


def _columns(definition: Definition, locale: str) -> list[tuple[Question, str, str]]:
    """(question, part, header): a column per question, per matrix row, per "other" text."""
    found = []
    for q in definition.questions():
        title = r.text_in(locale, q.title, q.title_en)
        if q.type == "matrix":
            found += [(q, row.key, f"{q.key}.{row.key} {title} · {r.text_in(locale, row.label, row.label_en)}")
                      for row in q.rows]
            continue
        found.append((q, "", f"{q.key} {title}"))
        if q.type in ("single", "multiple") and q.allow_other:
            found.append((q, OTHER, f"{q.key}.{OTHER} {title} · {_('Other')}"))
    return found


def _answer(q: Question, part: str, answers: dict[str, Any], locale: str) -> Any:
    value = answers.get(q.key)
    if part == OTHER:
        return answers.get(f"{q.key}__{OTHER}") or None
    if value is None:
        return None
    if q.type == "matrix":
        cell = value.get(part) if isinstance(value, dict) else None
        return cell if isinstance(cell, int) else None
    if q.type in ("single", "multiple"):
        labels = {o.value: r.text_in(locale, o.label, o.label_en) for o in q.options} | {OTHER: _("Other")}
        chosen = value if isinstance(value, list) else [value]
        return "; ".join(labels.get(c, str(c)) for c in chosen)
    if q.type in ("rating", "nps"):
        return value if isinstance(value, int) else None
    return str(value)


def _local(when: datetime | None, tz: str) -> datetime | None:
    # Excel has no time zones: the tenant's wall-clock time, as its staff read it.
    return when.astimezone(ZoneInfo(tz)).replace(tzinfo=None) if when else None


async def responses_workbook(definition: Definition, chunks: AsyncIterator[list[dict[str, Any]]],
                             *, tz: str, locale: str) -> bytes:
    book = Workbook(write_only=True)
    sheet = book.create_sheet(_("Responses"))
    columns = _columns(definition, locale)
    sheet.append(_cells(sheet, [
        _("Response"), _("Submitted at"), _("Valid"), _("Why not valid"), _("Building"), _("Segment"),
        _("Household"), _("Answered through"), _("Seconds to complete"), *[c[2] for c in columns],
    ], bold=True))
    yes, no = _("Yes"), _("No")
    via = {"invite": _("Invitation"), "open": _("Open link")}
    async for rows in chunks:
        for row in rows:
            answers = row["answers"]
            sheet.append(_cells(sheet, [
                row["id"], _local(row["submitted_at"], tz), yes if row["is_valid"] else no,
                "" if row["is_valid"] else v.reason_label(row["invalid_reason"]), row["building"],
                row["segment"], row["household"], via.get(row["via"], row["via"]), row["duration_seconds"],
                *[_answer(q, part, answers, locale) for q, part, _h in columns],
            ]))
    return _save(book)


# --- the summary -----------------------------------------------------------------------------


class _Book:
    def __init__(self) -> None:
        self.book = Workbook(write_only=True)

    def sheet(self, title: str, headers: Sequence[str]) -> Any:
        ws = self.book.create_sheet(title[:31])
        ws.append(_cells(ws, headers, bold=True))
        return ws


def summary_workbook(round_row: Any, shown: dict[str, Any], *, tz: str, locale: str, tenant_name: str) -> bytes:
    counts: r.Counts = shown["counts"]
    comparison: r.Comparison | None = shown["comparison"]
    res: r.RoundResults = shown["res"]
    book = _Book()
    ws = book.sheet(_("Summary"), [_("Figure"), _("Value")])
    rows: list[tuple[str, Any, str | None]] = [
        (_("Tenant"), tenant_name, None), (_("Round"), round_row.title, None),
        (_("Opens"), _local(round_row.opens_at, tz), None), (_("Closes"), _local(round_row.closes_at, tz), None),
        (_("Invited"), counts.invited, None), (_("Responses"), counts.responses, None),
        (_("Through the open link"), counts.via_open, None),
        (_("Valid responses"), counts.valid, None), (_("Invalid responses"), counts.invalid, None),
        (_("Response rate"), counts.response_rate, PERCENT), (_("Validity rate"), counts.validity_rate, PERCENT),
        (_("Satisfaction index (0–100)"), res.index, "0.0"),
    ]
    if comparison:
        rows += [(_("Previous round"), comparison.previous_title, None),
                 (_("Satisfaction index, previous round"), comparison.previous_index, "0.0"),
                 (_("Change of the index"), comparison.index_change, "0.0")]
    for label, value, fmt in rows:
        ws.append(_cells(ws, [label, value], {1: fmt} if fmt else None))
    ws = book.sheet(_("Invalid responses"), [_("Reason"), _("Responses")])
    for reason, n in counts.reason_list():
        ws.append(_cells(ws, [v.reason_label(reason), n]))
    _questions_sheet(book, shown["blocks"])
    for title, groups in ((_("By building"), res.building_list()), (_("By segment"), res.segment_list())):
        ws = book.sheet(title, [_("Group"), _("Valid responses"), _("Satisfaction index (0–100)"),
                                _("Fewer than %(n)s responses", n=r.SMALL_GROUP)])
        for g in groups:
            ws.append(_cells(ws, [v.group_name(g.name), g.n, g.index, _("Yes") if g.small else ""], {2: "0.0"}))
    ws = book.sheet(_("By topic"), [_("Topic"), _("Scores"), _("Mean (1–5)"), _("Satisfaction index (0–100)")])
    for t in res.topic_list():
        ws.append(_cells(ws, [t.name, t.n, t.mean, t.index], {2: SCORE, 3: "0.0"}))
    if comparison:
        ws = book.sheet(_("Against the previous round"), [_("Question"), _("This round"), _("Previous round"), _("Change")])
        for d in shown["deltas"]:
            ws.append(_cells(ws, [d["label"], d["current"], d["previous"], d["change"]], {1: SCORE, 2: SCORE, 3: SCORE}))
    return _save(book.book)


def _questions_sheet(book: _Book, blocks: list[dict[str, Any]]) -> None:
    """Every question, one table after another: its items with count and share, or score."""
    ws = book.sheet(_("Questions"), [_("No."), _("Question"), _("Type"), _("Item"), _("Count"), _("Share"),
                                     _("Mean")])
    for b in blocks:
        ws.append(_cells(ws, [b["number"], b["title"], b["type_label"], _("Answered"), b["answered"], None,
                              b["mean"]], {6: SCORE}, bold=True))
        if b["nps"] is not None:
            ws.append(_cells(ws, [b["number"], b["title"], b["type_label"], "NPS", None, None, b["nps"]], {6: "0.0"}))
        if b["type"] == "matrix":
            for row in b["rows"]:
                ws.append(_cells(ws, [b["number"], b["title"], b["type_label"], row["label"], row["n"], None,
                                      row["mean_value"]], {6: SCORE}))
        else:
            for bar in b["chart"]:
                share = bar["value"] / b["answered"] if b["answered"] else None
                ws.append(_cells(ws, [b["number"], b["title"], b["type_label"], bar["label"], bar["value"], share],
                                 {5: PERCENT}))
        for text in b["others"]:
            ws.append(_cells(ws, [b["number"], b["title"], _("Other"), text]))
