"""The manager's board: compliance per position and per person for the last months, a chart,
the overdue tasks, and the same figures as XLSX."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, Response, get, post
from litestar.di import NamedDependency, Provide
from litestar.response import Redirect

from kefu.core import excel
from kefu.core.tenancy import TenantContext
from kefu.core.web import render
from kefu.duties import labels
from kefu.duties.controllers.helpers import duty_pack, today, words
from kefu.duties.queries import board_export
from kefu.duties.queries import tasks as queries
from kefu.tenancy.context import provide_tenant_context
from kefu.tenancy.guards import requires
from kefu.workers.services import start_export

BOARD = [requires("duties.board")]


def pct(value: float | None) -> str:
    return "–" if value is None else f"{value:.1f}%"


def chart_rows(board: dict[str, Any], names: Any) -> list[dict[str, Any]]:
    """One bar per position: its rate over the board's months together."""
    rows = []
    for key, months in sorted(board["by_position"].items()):
        due = sum(c["due"] for c in months.values())
        done = sum(c["done"] for c in months.values())
        rate = 100.0 * done / due if due else 0.0
        rows.append({"label": names(key), "short": names(key)[:12], "value": rate, "text": pct(rate if due else None)})
    return rows


class BoardController(Controller):
    path = "/t/{slug:str}/duties/board"
    dependencies = {"ctx": Provide(provide_tenant_context)}

    @get("/", name="duties.board", guards=BOARD)
    async def board(self, request: Request, ctx: NamedDependency[TenantContext]) -> Response:
        board = await queries.board(ctx.tenant_id, today(ctx))
        context = (await words(ctx)) | {"board": board, "pct": pct,
                                "chart": chart_rows(board, labels.positions(ctx.pack)),
                                "duty_pack": (await duty_pack(ctx))}
        return render(request, "duties/board.html", context)

    @get("/compliance.xlsx", name="duties.board_xlsx", guards=BOARD)
    async def export(self, request: Request, ctx: NamedDependency[TenantContext]) -> Response:
        if excel.is_large(rows := await board_export.export_count(ctx, {})):
            return excel.large(request, board_export.EXPORTING, rows)  # its button: export_job
        return excel.respond(await board_export.export_file(ctx, {}))

    @post("/compliance.xlsx", name="duties.board_job", guards=BOARD)
    async def export_job(self, request: Request, ctx: NamedDependency[TenantContext]) -> Response:
        """A board over many tasks, written by a job."""
        job = await start_export(ctx, "export_duty_board", board_export.EXPORTING, {}, "duties.board")
        return Redirect(request.app.route_reverse("jobs.detail", slug=ctx.tenant.slug, job_id=job.id), status_code=303)
