"""A round as Excel, through kefu.core.excel: the raw answers (one row per response, written
while the responses stream in, write-only so tens of thousands fit) and the summary
(per-question tables, breakdowns, rates). Numbers stay numbers, times are in the tenant's time
zone, and text that looks like a formula stays text: a respondent's "=HYPERLINK(…)" stays what
they typed.
"""

from __future__ import annotations

from typing import Any

from kefu import i18n
from kefu.core import excel
from kefu.surveys import labels
from kefu.surveys.labels import topic_label
from kefu.surveys.policy.definition import OTHER, Definition, Question
from kefu.surveys.policy.rounds import closes_on
from kefu.surveys.queries import compare as rc
from kefu.surveys.queries import results_view as v
from kefu.surveys.queries import summary as r
from kefu.surveys.queries.results import load_answers
from kefu.surveys.queries.tally import SMALL_GROUP, Counts, text_in

PERCENT, SCORE = "0.0%", "0.00"
_ = i18n.gettext


# --- raw answers -----------------------------------------------------------------------------


def _columns(definition: Definition, locale: str) -> list[tuple[Question, str, str]]:
    """(question, part, header): a column per question, per matrix row, per "other" text."""
    found = []
    for q in definition.questions():
        title = text_in(locale, q.title, q.title_en)
        if q.type == "matrix":
            found += [(q, row.key, f"{q.key}.{row.key} {title} · {text_in(locale, row.label, row.label_en)}")
                      for row in q.rows]
            continue
        found.append((q, "", f"{q.key} {title}"))
        if q.type in ("single", "multiple") and q.allow_other:
            found.append((q, OTHER, f"{q.key}.{OTHER} {title} · {_('Other')}"))
    return found


def _labels(q: Question, locale: str) -> dict[str, str]:
    return {o.value: text_in(locale, o.label, o.label_en) for o in q.options} | {OTHER: _("Other")}


def _answer(q: Question, part: str, answers: dict[str, Any], labels: dict[str, str]) -> Any:
    value = answers.get(q.key)
    if part == OTHER:
        return answers.get(f"{q.key}__{OTHER}") or None
    if value is None:
        return None
    if q.type == "matrix":
        cell = value.get(part) if isinstance(value, dict) else None
        return cell if isinstance(cell, int) else None
    if q.type in ("single", "multiple"):
        chosen = value if isinstance(value, list) else [value]
        return "; ".join(labels.get(c, str(c)) for c in chosen)
    if q.type in ("rating", "nps"):
        return value if isinstance(value, int) else None
    return str(value)


class ResponsesSheet:
    """The raw answers, one row per response, appended a chunk at a time (in a worker thread:
    openpyxl writes some ten thousand cells a second, too slow for the event loop)."""

    def __init__(self, definition: Definition, *, tz: str, locale: str) -> None:
        self.book = excel.Book(tz)
        self.columns = _columns(definition, locale)
        self.sheet = self.book.sheet(_("Responses"), [
            _("Response"), _("Submitted at"), _("Valid"), _("Why not valid"), _("Building"), _("Segment"),
            _("Household"), _("Answered through"), _("Seconds to complete"), *[c[2] for c in self.columns],
        ], freeze=False)
        self.yes, self.no = _("Yes"), _("No")
        self.via = {code: labels.VIA(code) for code in labels.VIA}
        self.reasons: dict[str, str] = {}
        self.labels = {q.key: _labels(q, locale) for q in definition.questions()}

    def _reason(self, code: str) -> str:
        if code not in self.reasons:
            self.reasons[code] = v.reason_label(code)
        return self.reasons[code]

    def add(self, rows: list[dict[str, Any]]) -> None:
        for row in rows:
            answers = load_answers(row["answers"])
            self.sheet.append([
                row["id"], row["submitted_at"], self.yes if row["is_valid"] else self.no,
                "" if row["is_valid"] else self._reason(row["invalid_reason"]), row["building"], row["segment"],
                row["household"], self.via.get(row["via"], row["via"]), row["duration_seconds"],
                *[_answer(q, part, answers, self.labels[q.key]) for q, part, _h in self.columns],
            ])

    def bytes(self) -> bytes:
        return self.book.to_bytes()


# --- the summary -----------------------------------------------------------------------------


def summary_workbook(round_row: Any, shown: dict[str, Any], *, tz: str, locale: str, tenant_name: str) -> bytes:
    counts: Counts = shown["counts"]
    comparison: rc.Comparison | None = shown["comparison"]
    res: r.RoundResults = shown["res"]
    book = excel.Book(tz)
    ws = book.sheet(_("Summary"), [_("Figure"), _("Value")])
    rows: list[tuple[str, Any, str | None]] = [
        (_("Tenant"), tenant_name, None), (_("Round"), round_row.title, None),
        (_("Opens"), round_row.opens_at, None), (_("Closes"), closes_on(round_row.closes_at, tz), None),
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
        ws.append([label, value], formats={1: fmt} if fmt else None)
    ws = book.sheet(_("Invalid responses"), [_("Reason"), _("Responses")])
    for reason, n in counts.reason_list():
        ws.append([v.reason_label(reason), n])
    _questions_sheet(book, shown["blocks"])
    for title, groups in ((_("By building"), res.building_list()), (_("By segment"), res.segment_list())):
        ws = book.sheet(title, [_("Group"), _("Valid responses"), _("Satisfaction index (0–100)"),
                                _("Fewer than %(n)s responses", n=SMALL_GROUP)])
        for g in groups:
            ws.append([v.group_name(g.name), g.n, g.index, _("Yes") if g.small else ""], formats={2: "0.0"})
    ws = book.sheet(_("By topic"), [_("Topic"), _("Scores"), _("Mean (1–5)"), _("Satisfaction index (0–100)")])
    for t in res.topic_list():
        ws.append([topic_label(t.name), t.n, t.mean, t.index], formats={2: SCORE, 3: "0.0"})
    if comparison:
        ws = book.sheet(_("Against the previous round"), [_("Question"), _("This round"), _("Previous round"), _("Change")])
        for d in shown["deltas"]:
            ws.append([d["label"], d["current"], d["previous"], d["change"]], formats={1: SCORE, 2: SCORE, 3: SCORE})
    return book.to_bytes()


def _questions_sheet(book: excel.Book, blocks: list[dict[str, Any]]) -> None:
    """Every question, one table after another: its items with count and share, or score."""
    ws = book.sheet(_("Questions"), [_("No."), _("Question"), _("Type"), _("Item"), _("Count"), _("Share"),
                                     _("Mean")])
    for b in blocks:
        ws.append([b["number"], b["title"], b["type_label"], _("Answered"), b["answered"], None, b["mean"]],
                  formats={6: SCORE}, bold=True)
        if b["nps"] is not None:
            ws.append([b["number"], b["title"], b["type_label"], "NPS", None, None, b["nps"]], formats={6: "0.0"})
        if b["type"] == "matrix":
            for row in b["rows"]:
                ws.append([b["number"], b["title"], b["type_label"], row["label"], row["n"], None, row["mean_value"]],
                          formats={6: SCORE})
        else:
            for bar in b["chart"]:
                share = bar["value"] / b["answered"] if b["answered"] else None
                ws.append([b["number"], b["title"], b["type_label"], bar["label"], bar["value"], share],
                          formats={5: PERCENT})
        for text in b["others"]:
            ws.append([b["number"], b["title"], _("Other"), text])
