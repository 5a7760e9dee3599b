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
        year_text = form.text("year", max_length=4)
        schedule = form.text("schedule", max_length=20_000)
        if form.ok:
            try:
                count = await services.load_year(int(year_text) if year_text.isdigit() else 0, schedule)
            except FieldError as exc:
                form.error(exc.field, exc.translated())
        if not form.ok:
            return render(request, "platform/holidays.html", await _context(form.errors, form.data), status_code=422)
        flash(request, i18n.gettext("Loaded %(n)s days for %(year)s.", n=count, year=year_text), "success")
        return Redirect(request.app.route_reverse("admin.holidays"))


async def _context(errors: dict, data: dict) -> dict:
    years, days = await queries.loaded_years(), await queries.recent_days()
    return {"years": years, "days": days, "errors": errors, "data": data}


routes = [HolidayController]
