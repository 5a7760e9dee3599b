"""A member's job page (kefu.workers.services): its progress, polled by htmx until the work is
done, then the result's page (a redirect) or its file. Every module's long work uses it."""

from __future__ import annotations

from litestar import Controller, Request, Response, get
from litestar.di import NamedDependency, Provide
from litestar.params import FromPath
from litestar.response import Redirect

from kefu import i18n
from kefu.core.pdf import download
from kefu.core.tenancy import TenantContext
from kefu.core.web import flash, is_htmx, render
from kefu.tenancy.context import provide_tenant_context
from kefu.tenancy.guards import requires_member
from kefu.workers import queries

POLL = "1s"


class JobController(Controller):
    path = "/t/{slug:str}/jobs"
    dependencies = {"ctx": Provide(provide_tenant_context)}
    guards = [requires_member()]

    @get("/{job_id:int}", name="jobs.detail")
    async def detail(self, request: Request, ctx: NamedDependency[TenantContext], job_id: FromPath[int]) -> Response:
        job = await queries.job_status(ctx, job_id)
        route = job["result"].get("route")
        if job["state"] == "done" and route:
            target = request.app.route_reverse(route, slug=ctx.tenant.slug, **job["result"].get("params", {}))
            if job["result"].get("message"):  # what the work did, shown on the page it leads to
                result = job["result"]
                flash(request, i18n.gettext(result["message"], **result.get("vars", {})), result.get("category", "info"))
            if is_htmx(request):  # the polling fragment: htmx follows it as a whole page
                return Response("", status_code=200, headers={"HX-Redirect": target})
            return Redirect(target, status_code=303)
        return render(request, "jobs/detail.html", {"job": job, "poll": POLL}, fragment="progress")

    @get("/{job_id:int}/file", name="jobs.file")
    async def file(self, ctx: NamedDependency[TenantContext], job_id: FromPath[int]) -> Response:
        name, media_type, content = await queries.job_file(ctx, job_id)
        return download(content, name, media_type)


routes: list = [JobController]
