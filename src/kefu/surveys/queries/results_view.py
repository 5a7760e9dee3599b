"""The results as the page, the printed report and the summary workbook show them: labels in
the reader's language, chart bars and table lines per question. No HTML here; the templates
(templates/surveys/results/) draw it, the same blocks on screen and in the PDF.
"""

from __future__ import annotations

from typing import Any

from kefu import i18n
from kefu.core.text import short
from kefu.surveys import labels
from kefu.surveys.labels import topic_label
from kefu.surveys.policy.definition import OTHER
from kefu.surveys.policy.rounds import closes_on
from kefu.surveys.queries import compare as rc
from kefu.surveys.queries import summary as r
from kefu.surveys.queries import tally as t

NOT_GIVEN = i18n.lazy("Not given")


def percent(value: float | None, digits: int = 1) -> str:
    return "—" if value is None else f"{value * 100:.{digits}f}%"


def score(value: float | None, digits: int = 2) -> str:
    return "—" if value is None else f"{value:.{digits}f}"


def signed(value: float | None, digits: int = 1, suffix: str = "") -> str:
    if value is None:
        return "—"
    if round(value, digits) == 0:
        return f"{0:.{digits}f}{suffix}"
    return f"{value:+.{digits}f}{suffix}"


def reason_label(reason: str) -> str:
    return labels.INVALID_REASON(reason) if reason in labels.INVALID_REASON else i18n.gettext(labels.UNKNOWN_REASON)


def group_name(name: str) -> str:
    return name or i18n.gettext(NOT_GIVEN)


def _bar(label: str, value: float, text: str) -> dict[str, Any]:
    return {"label": label, "short": short(label), "value": value, "text": text}


def _distribution(bars: list[t.Bar]) -> list[dict[str, Any]]:
    return [_bar(b.label, b.count, f"{b.count} ({percent(b.share)})") for b in bars]


def question_block(q: t.QuestionResult, locale: str, number: int) -> dict[str, Any]:
    """One question's figures: a chart (bars), the headline figure and, for a matrix, its rows."""
    question = q.question
    block: dict[str, Any] = {
        "number": number, "key": q.key, "type": q.type, "type_label": labels.RESULT_TYPE(q.type),
        "title": t.text_in(locale, question.title, question.title_en), "answered": q.answered,
        "topic": question.topic, "chart": [], "scale": None, "headline": "", "rows": [],
        "others": q.others, "others_total": q.others_total, "texts": q.texts,
        "mean": q.mean if q.type in ("rating", "nps", "matrix") else None, "nps": q.nps,
    }
    if q.type in ("single", "multiple"):
        block["chart"] = _distribution(q.options(locale))
        block["scale"] = q.answered or None
    elif q.type == "rating":
        block["chart"] = _distribution(q.scores.bars())  # type: ignore[union-attr]
        block["headline"] = i18n.gettext("Mean %(score)s of 5", score=score(q.mean))
    elif q.type == "nps":
        detractors, passives, promoters = q.nps_groups()
        block["chart"] = _distribution(q.scores.bars())  # type: ignore[union-attr]
        block["headline"] = i18n.gettext(
            "NPS %(nps)s (promoters %(promoters)s, passives %(passives)s, detractors %(detractors)s)",
            nps=signed(q.nps), promoters=promoters, passives=passives, detractors=detractors)
    elif q.type == "matrix":
        block["chart"] = [_bar(t.text_in(locale, row.label, row.label_en), row.mean or 0, score(row.mean))
                          for row in q.rows]
        block["scale"] = 5
        block["headline"] = i18n.gettext("Mean %(score)s of 5", score=score(q.mean))
        block["rows"] = [{
            "label": t.text_in(locale, row.label, row.label_en), "n": row.n, "mean": score(row.mean),
            "mean_value": row.mean,
            "counts": [row.scores.counts[v] for v in range(1, 6)],
        } for row in q.rows]
    elif q.type == "text":
        block["headline"] = i18n.gettext("%(n)s written answers", n=q.texts)
    return block


def group_chart(groups: list[r.Group]) -> list[dict[str, Any]]:
    return [_bar(group_name(g.name), g.index or 0, score(g.index, 1) + (" *" if g.small else ""))
            for g in groups]


def delta_label(d: rc.Delta, locale: str) -> str:
    title = t.text_in(locale, d.question.title, d.question.title_en)
    row = t.text_in(locale, d.row_label, d.row_label_en)
    return f"{title} · {row}" if row else title


def view(analysis: Any, locale: str) -> dict[str, Any]:
    """Everything the results page, the report and the workbook show of a round."""
    res: r.RoundResults = analysis.results
    comparison: rc.Comparison | None = analysis.comparison
    return {
        "res": res, "counts": res.counts, "comparison": comparison,
        "blocks": [question_block(q, locale, i) for i, q in enumerate(res.questions, start=1)],
        "topics": res.topic_list(), "buildings": res.building_list(), "segments": res.segment_list(),
        "building_chart": group_chart(res.building_list()), "segment_chart": group_chart(res.segment_list()),
        "topic_chart": [_bar(topic_label(t.name), t.index or 0, score(t.index, 1)) for t in res.topic_list()],
        "topic_label": topic_label,
        "deltas": [{"label": delta_label(d, locale), "current": d.current, "previous": d.previous,
                    "change": d.change, "is_nps": d.is_nps} for d in (comparison.deltas if comparison else [])],
    }


def helpers() -> dict[str, Any]:
    return {"percent": percent, "score": score, "signed": signed, "reason_label": reason_label,
            "answer_text": answer_text,
            "group_name": group_name, "small_group": t.SMALL_GROUP, "closes_on": closes_on}


def findings(shown: dict[str, Any], locale: str, limit: int = 3) -> list[str]:
    """Plain sentences for management (C.d: analyse and report): the index and its change,
    the lowest-rated items, the biggest falls since the previous round, the groups below the
    round's index (small groups left out)."""
    res: r.RoundResults = shown["res"]
    comparison: rc.Comparison | None = shown["comparison"]
    found: list[str] = []
    if res.index is not None:
        if comparison and comparison.index_change is not None:
            found.append(i18n.gettext(
                "The satisfaction index is %(index)s, %(change)s against %(previous)s in the previous round.",
                index=score(res.index, 1), change=signed(comparison.index_change), previous=score(comparison.previous_index, 1)))
        else:
            found.append(i18n.gettext("The satisfaction index is %(index)s out of 100.", index=score(res.index, 1)))
    items = []
    for q in res.questions:
        title = t.text_in(locale, q.question.title, q.question.title_en)
        if q.type == "rating" and q.mean is not None:
            items.append((q.mean, title))
        for row in q.rows:
            if row.mean is not None:
                items.append((row.mean, f"{title} · {t.text_in(locale, row.label, row.label_en)}"))
    if items:
        lowest = "; ".join(f"{t} ({score(m)})" for m, t in sorted(items)[:limit])
        found.append(i18n.gettext("Lowest rated (mean of 5): %(items)s.", items=lowest))
    falls = sorted((d for d in shown["deltas"] if d["change"] < 0 and not d["is_nps"]), key=lambda d: d["change"])
    if falls:
        text = "; ".join(f"{d['label']} ({signed(d['change'], 2)})" for d in falls[:limit])
        found.append(i18n.gettext("Largest falls since the previous round: %(items)s.", items=text))
    if res.index is not None:
        below = [g for g in res.building_list() + res.segment_list()
                 if not g.small and g.index is not None and g.index < res.index - 5]
        if below:
            text = "; ".join(f"{group_name(g.name)} ({score(g.index, 1)})" for g in sorted(below, key=lambda g: g.index or 0.0)[:limit])
            found.append(i18n.gettext("Groups more than 5 points below the index: %(items)s.", items=text))
    return found


def answer_text(question: Any, answers: dict[str, Any], locale: str) -> str:
    """One stored answer as staff read it: option and row labels rather than their codes."""
    value = answers.get(question.key)
    if value is None:
        return ""
    if question.type in ("single", "multiple"):
        labels = {o.value: t.text_in(locale, o.label, o.label_en) for o in question.options}
        labels[OTHER] = i18n.gettext(t.OTHER_LABEL)
        chosen = value if isinstance(value, list) else [value]
        text = ", ".join(labels.get(str(c), str(c)) for c in chosen)
        other = answers.get(f"{question.key}__{OTHER}")
        return f"{text} ({other})" if other else text
    if question.type == "matrix" and isinstance(value, dict):
        rows = {row.key: t.text_in(locale, row.label, row.label_en) for row in question.rows}
        return ", ".join(f"{rows.get(k, k)} {s}" for k, s in value.items())
    return str(value)
