"""Performance scorecards per person and period (A art. 27; B.f, C.n): the list of the people
the viewer may see with every module's figures, one person's card with their commendations
and criticisms and the form to record one, and the list as XLSX; and the yearly grading
reference the pack defines, as a page and XLSX."""

from __future__ import annotations

import asyncio
from typing import Any

from litestar import Controller, Request, Response, get, post
from litestar.di import NamedDependency, Provide
from litestar.exceptions import NotFoundException
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect

from kefu import i18n
from kefu.core import excel, forms
from kefu.core.errors import FieldError
from kefu.core.tenancy import TenantContext
from kefu.core.web import flash, render
from kefu.duties import schemas as s
from kefu.duties.controllers.helpers import duty_pack, today, words
from kefu.duties.policy import periods
from kefu.duties.policy.pack import Grade
from kefu.duties.policy.scorecards import KINDS
from kefu.duties.queries import grading
from kefu.duties.queries import scorecards as queries
from kefu.duties.registry import Figure, Metric, citables, metrics
from kefu.duties.services import record_note
from kefu.tenancy.context import provide_tenant_context
from kefu.tenancy.guards import requires

MEMBER = [requires("tenant.view")]
BOARD = "duties.board"


def period_of(ctx: TenantContext, key: str) -> periods.Period:
    """The period a key names, else the current month."""
    return periods.parse_key(key) or periods.period_of("monthly", today(ctx))


def metric_label(metric: Metric) -> str:
    return metric.label_en if i18n.current_locale() == "en" else metric.label


def show(metric: Metric, figure: Figure | None) -> str:
    if figure is None or figure.value is None:
        return "–"
    if metric.unit == "percent":
        return f"{figure.value:.1f}%" + (f" ({figure.part}/{figure.whole})" if figure.whole else "")
    if metric.unit == "count":
        return str(int(figure.value))
    return f"{figure.value:.1f}"


def _choices(ctx: TenantContext, key: str) -> list[str]:
    """The period keys offered: this and the last 11 months, this quarter, half-year and year."""
    day = today(ctx)
    month = periods.period_of("monthly", day)
    keys = [month.key]
    for _ in range(11):
        month = periods.previous(month)
        keys.append(month.key)
    keys += [periods.period_of(r, day).key for r in ("quarterly", "half_yearly", "yearly")]
    return keys if key in keys else [key, *keys]


def workbook(cards: queries.Cards, ctx: TenantContext) -> bytes:
    headers = [i18n.gettext("Person"), i18n.gettext("Period"), *[metric_label(m) for m in cards.metrics],
               i18n.gettext("Commendations"), i18n.gettext("Criticisms")]
    rows = []
    for person in cards.people:
        figures = [cards.figures[m.code].get(person["id"]) for m in cards.metrics]
        counts = cards.notes.get(person["id"], {})
        rows.append([person["name"], cards.period.key, *[f.value if f and f.value is not None else "" for f in figures],
                     counts.get("commendation", 0), counts.get("criticism", 0)])
    return excel.table(i18n.gettext("Performance scorecards"), headers, rows, tz=ctx.tenant.timezone)


def _years(ctx: TenantContext) -> list[int]:
    this = today(ctx).year
    return [this, this - 1, this - 2]


def grade_label(grade: Grade | None) -> str:
    if grade is None:
        return "–"
    return grade.name_en if i18n.current_locale() == "en" else grade.name


def grading_workbook(grades: grading.Grades, ctx: TenantContext) -> bytes:
    found = {m.code: m for m in metrics()}
    weights = grades.grading.weights
    headers = [i18n.gettext("Person"), i18n.gettext("Year"),
               *[f"{metric_label(found[w.metric]) if w.metric in found else w.metric} ({w.weight})" for w in weights],
               i18n.gettext("Weighted score"), i18n.gettext("Commendations"), i18n.gettext("Criticisms"),
               i18n.gettext("Reference score"), i18n.gettext("Reference grade")]
    rows = []
    for row in grades.rows:
        ref = row.reference
        rows.append([row.person["name"], grades.year.key, *[p.value if p.value is not None else "" for p in ref.parts],
                     ref.weighted if ref.weighted is not None else "", row.commendations, row.criticisms,
                     ref.score if ref.score is not None else "", grade_label(ref.grade) if ref.grade else ""])
    return excel.table(i18n.gettext("Yearly grading reference"), headers, rows, tz=ctx.tenant.timezone)


class ScorecardController(Controller):
    path = "/t/{slug:str}/duties/scorecards"
    dependencies = {"ctx": Provide(provide_tenant_context)}

    async def _cards(self, ctx: TenantContext, key: str, person_id: int | None = None) -> queries.Cards:
        viewer = queries.Viewer(ctx.user.id, ctx.can(BOARD))
        return await queries.cards(ctx.tenant_id, (await duty_pack(ctx)), viewer, period_of(ctx, key), today(ctx), person_id)

    @get("/", name="duties.scorecards", guards=MEMBER)
    async def scorecards(self, request: Request, ctx: NamedDependency[TenantContext],
                         period: FromQuery[str] = "") -> Response:
        cards = await self._cards(ctx, period)
        context = (await words(ctx)) | {"cards": cards, "show": show, "metric_label": metric_label,
                                "period_choices": _choices(ctx, cards.period.key)}
        return render(request, "duties/scorecards.html", context)

    @get("/scorecards.xlsx", name="duties.scorecards_xlsx", guards=MEMBER)
    async def export(self, ctx: NamedDependency[TenantContext], period: FromQuery[str] = "") -> Response:
        cards = await self._cards(ctx, period)
        content = await asyncio.to_thread(workbook, cards, ctx)
        return excel.download(content, f"scorecards-{cards.period.key}.xlsx")

    async def _grades(self, ctx: TenantContext, year: int) -> grading.Grades:
        if year not in _years(ctx):
            year = today(ctx).year
        viewer = queries.Viewer(ctx.user.id, ctx.can(BOARD))
        found = await grading.yearly(ctx.tenant_id, await duty_pack(ctx), viewer, year, today(ctx))
        if found is None:  # the tenant's pack grades nobody
            raise NotFoundException()
        return found

    @get("/grading", name="duties.grading", guards=MEMBER)
    async def grading_page(self, request: Request, ctx: NamedDependency[TenantContext], year: FromQuery[int] = 0) -> Response:
        grades = await self._grades(ctx, year)
        found = {m.code: m for m in metrics()}
        context = (await words(ctx)) | {
            "grades": grades, "years": _years(ctx), "grade_label": grade_label,
            "weight_label": lambda code: metric_label(found[code]) if code in found else code,
            "note": grades.grading.note_en if i18n.current_locale() == "en" else grades.grading.note,
        }
        return render(request, "duties/grading.html", context)

    @get("/grading.xlsx", name="duties.grading_xlsx", guards=MEMBER)
    async def grading_export(self, ctx: NamedDependency[TenantContext], year: FromQuery[int] = 0) -> Response:
        grades = await self._grades(ctx, year)
        content = await asyncio.to_thread(grading_workbook, grades, ctx)
        return excel.download(content, f"grading-{grades.year.key}.xlsx")

    async def _card(self, request: Request, ctx: TenantContext, person_id: int, key: str,
                    errors: dict[str, str] | None = None, values: dict[str, Any] | None = None,
                    status_code: int = 200) -> Response:
        cards = await self._cards(ctx, key, person_id)
        kinds = citables()
        context = (await words(ctx)) | {
            "cards": cards, "person": cards.people[0], "show": show, "metric_label": metric_label,
            "notes": await queries.notes(ctx.tenant_id, person_id, cards.period), "kinds": KINDS,
            "cite_kinds": kinds, "cite_label": lambda k: (
                (kinds[k].label_en if i18n.current_locale() == "en" else kinds[k].label) if k in kinds else k),
            "period_choices": _choices(ctx, cards.period.key), "errors": errors or {},
            "values": values or {"noted_on": today(ctx).isoformat(), "kind": "commendation"},
        }
        return render(request, "duties/scorecard.html", context, status_code=status_code)

    @get("/{person_id:int}", name="duties.scorecard", guards=MEMBER)
    async def card(self, request: Request, ctx: NamedDependency[TenantContext], person_id: FromPath[int],
                   period: FromQuery[str] = "") -> Response:
        return await self._card(request, ctx, person_id, period)

    @post("/{person_id:int}/notes", name="duties.scorecard_note", guards=[requires(BOARD)])
    async def note(self, request: Request, ctx: NamedDependency[TenantContext], person_id: FromPath[int]) -> Response:
        await self._cards(ctx, "", person_id)  # 404 unless the manager sees this person
        form = await forms.Form.read(request)
        try:
            data = s.read_note(form, list(citables()))
            row = await record_note(ctx, user_id=person_id, kind=data.kind, noted_on=data.noted_on, reason=data.reason,
                                    cites_kind=data.cites_kind, cites_id=data.cites_id)
        except FieldError as exc:
            return await self._card(request, ctx, person_id, "", exc.translated_all(), form.data, 422)
        flash(request, i18n.gettext("The commendation is recorded.") if row.kind == "commendation"
              else i18n.gettext("The criticism is recorded."), "success")
        key = periods.period_of("monthly", row.noted_on).key
        return Redirect(request.app.route_reverse("duties.scorecard", slug=ctx.tenant.slug, person_id=person_id)
                        + f"?period={key}", status_code=303)
