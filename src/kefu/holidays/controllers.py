"""Platform admin: load a year's official holiday schedule (国务院办公厅 节假日安排)."""

from __future__ import annotations

from litestar import Controller, Request, Response, get, post
from litestar.response import Redirect

from kefu import i18n
from kefu.core.errors import FieldError
from kefu.core.forms import Form
from kefu.core.superuser import require_superuser
from kefu.core.web import flash, render
from kefu.holidays import queries, services


class HolidayController(Controller):
    path = "/admin/holidays"

    @get("/", name="admin.holidays")
    async def page(self, request: Request) -> Response:
        require_superuser(request)
        return render(request, "platform/holidays.html", await _context({}, {}))

    @post("/", name="admin.holidays_load")
    async def load(self, request: Request) -> Response:
        require_superuser(request)
        form = await Form.read(request)
        year = form.integer("year", minimum=2000, maximum=2100)
        year_text = form.raw("year")
        schedule = form.text("schedule", max_length=20_000, multiline=True)
        final = form.flag("final")
        if form.ok:
            try:
                loaded = await services.load_year(year or 0, schedule, final=final)
            except FieldError as exc:
                form.error(exc.field, exc.translated())
        if not form.ok:
            return render(request, "platform/holidays.html", await _context(form.errors, form.data), status_code=422)
        flash(request, i18n.gettext("Loaded %(n)s days for %(year)s.", n=loaded.count, year=year_text), "success")
        if loaded.final:
            flash(request, i18n.gettext("%(year)s is final: its deadlines are no longer provisional.", year=year_text), "success")
        elif loaded.missing:
            flash(request, i18n.gettext(
                "%(year)s stays provisional: a final schedule must name every statutory holiday; missing: %(missing)s.",
                year=year_text, missing="、".join(loaded.missing)), "info")
        else:
            flash(request, i18n.gettext(
                "%(year)s stays provisional until its final schedule is loaded.", year=year_text), "info")
        if loaded.changed:
            flash(request, i18n.gettext(
                "%(n)s days changed; open complaints' deadlines were recomputed.", n=len(loaded.changed)), "success")
        return Redirect(request.app.route_reverse("admin.holidays"))


async def _context(errors: dict, data: dict) -> dict:
    years, days = await queries.loaded_years(), await queries.recent_days()
    provisional = await queries.provisional_years()
    return {"years": years, "provisional": provisional, "days": days, "errors": errors, "data": data}


routes = [HolidayController]
