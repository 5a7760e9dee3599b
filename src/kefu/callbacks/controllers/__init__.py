"""Callbacks routes: the work queue and a task (work), campaigns (campaigns), the record
archive and its export (archive), the JSON API for call-centre systems (api), new-policy
callbacks and their API (policies), the yearly plan (plans)."""

from __future__ import annotations

from kefu.callbacks.controllers.api import CallbacksApiController
from kefu.callbacks.controllers.archive import ArchiveController
from kefu.callbacks.controllers.campaigns import CampaignController
from kefu.callbacks.controllers.complaint_section import ComplaintSectionController
from kefu.callbacks.controllers.plans import PlanController
from kefu.callbacks.controllers.policies import PoliciesApiController, PolicyController
from kefu.callbacks.controllers.problems import ProblemController
from kefu.callbacks.controllers.problems_api import ProblemsApiController
from kefu.callbacks.controllers.quality import QualityController
from kefu.callbacks.controllers.report_pdf import ReportPdfController
from kefu.callbacks.controllers.reports import ReportController
from kefu.callbacks.controllers.work import WorkController

routes: list = [CallbacksApiController, WorkController, CampaignController, ArchiveController,
                ProblemController, QualityController, ReportController,
                ProblemsApiController, PolicyController, PoliciesApiController, PlanController,
                ComplaintSectionController, ReportPdfController]
