"""The manager's board as XLSX (compliance per position and per person, month by month): one
function for the request (a small board, written there) and for a job (a board over many
tasks: kefu.workers.services.run_export, jobs.export_duty_board)."""

from __future__ import annotations

from typing import Any

from kefu import i18n
from kefu.core import clock, excel
from kefu.core.progress import UNWATCHED, Runner
from kefu.core.scoping import scoped_count
from kefu.core.tenancy import TenantContext
from kefu.duties import labels
from kefu.duties.queries import tasks
from kefu.duties.tables import DutyTask

EXPORTING = i18n.lazy("Preparing the duty compliance export")


def workbook(board: dict[str, Any], positions: Any, tz: str) -> bytes:
    headers = [i18n.gettext("Grouped by"), i18n.gettext("Who"), i18n.gettext("Month"), i18n.gettext("Due"),
               i18n.gettext("Done on time"), i18n.gettext("Done late"), i18n.gettext("Not done"),
               i18n.gettext("Compliance rate")]
    rows = []
    for kind, table, name in (("position", board["by_position"], positions),
                              ("person", board["by_person"], lambda k: board["people"].get(k, "—"))):
        for key, months in sorted(table.items()):
            for month in board["months"]:
                cell = months.get(month.key)
                if cell:
                    rows.append([i18n.gettext("Position") if kind == "position" else i18n.gettext("Person"), name(key),
                                 month.key, cell["due"], cell["done"], cell["late"], cell["open"],
                                 cell["rate"] if cell["rate"] is not None else ""])
    return excel.table(i18n.gettext("Duty compliance"), headers, rows, tz=tz)


async def export_count(ctx: TenantContext, args: dict[str, Any]) -> int:
    """The tasks the board counts: those due in its months."""
    ctx.require("duties.board")
    months = tasks.months_back(clock.today_in(ctx.tenant.timezone))
    return await scoped_count(DutyTask, ctx.tenant_id).where(
        DutyTask.due_on >= months[0].start, DutyTask.due_on <= months[-1].end)


async def export_file(ctx: TenantContext, args: dict[str, Any], runner: Runner = UNWATCHED) -> tuple[str, bytes]:
    """(file name, workbook) of the board as of today."""
    ctx.require("duties.board")
    board = await tasks.board(ctx.tenant_id, clock.today_in(ctx.tenant.timezone))
    positions, tz = labels.positions(ctx.pack), ctx.tenant.timezone
    return "duty-compliance.xlsx", await runner.in_thread(lambda _: workbook(board, positions, tz))
