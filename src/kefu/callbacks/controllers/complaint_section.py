"""The callbacks section of a complaint's page (htmx loads it in place; without JavaScript its
link opens it as a page): the art. 26 problems that became the complaint, and the complaint's
follow-up callback with its outcome."""

from __future__ import annotations

from litestar import Controller, Request, Response, get
from litestar.di import NamedDependency, Provide
from litestar.params import FromPath

from kefu.callbacks.controllers.problems import problem_words
from kefu.callbacks.queries.complaint_section import complaint_section
from kefu.core.tenancy import TenantContext
from kefu.core.web import render
from kefu.tenancy.context import provide_tenant_context
from kefu.tenancy.guards import requires

VIEW = [requires("callbacks.view")]


class ComplaintSectionController(Controller):
    path = "/t/{slug:str}/callbacks/complaints"
    dependencies = {"ctx": Provide(provide_tenant_context)}

    @get("/{complaint_id:int}", name="callbacks.complaint", guards=VIEW)
    async def section(self, request: Request, ctx: NamedDependency[TenantContext],
                      complaint_id: FromPath[int]) -> Response:
        context = problem_words(ctx) | await complaint_section(ctx, complaint_id)
        return render(request, "callbacks/complaint_section.html", context, fragment="section")
