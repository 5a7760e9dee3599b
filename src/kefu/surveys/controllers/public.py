"""The public answer page, no sign-in: /p/{slug}/s/{token}, an invitee's link or a round's open
link (the poster's QR code). GET shows the questionnaire, or why it cannot be answered (already
answered, closed, not open yet); POST stores the answer (kefu.surveys.services.answering.submit) and
redirects to the thank-you page, so the answer is committed before anyone is thanked, and a
reload does not submit twice. Bad input: 422 with the errors beside the questions, nothing
stored. An unknown slug or token, or another tenant's token: the same 404.

Every page here is private (the token is in the address): no caching, no referrer, noindex.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from litestar import Controller, Request, Response, get, route
from litestar.exceptions import NotFoundException
from litestar.params import FromPath
from litestar.response import Redirect

from kefu import i18n
from kefu.core import clock
from kefu.core.forms import read_raw
from kefu.core.public import PRIVATE, client_address, not_found_page
from kefu.core.web import render
from kefu.surveys.policy import answering as states
from kefu.surveys.policy.answering import Target
from kefu.surveys.policy.rounds import closes_on
from kefu.surveys.queries.answering import resolve
from kefu.surveys.schemas import answers as answer_form
from kefu.surveys.services import answering, opt_out
from kefu.surveys.services.answering import Outcome
from kefu.tenancy.public import forget_tenant_ref, public_tenant, public_tenant_ref

ALREADY_ANSWERED = i18n.lazy("You have already answered this survey. Thank you! We keep the answer you sent first.")
CLOSED = i18n.lazy("This survey closed on %(date)s. Thank you for your interest.")
CLOSED_EARLY = i18n.lazy("This survey has closed. Thank you for your interest.")
NOT_OPEN_YET = i18n.lazy("This survey opens on %(date)s. Please come back then.")
RATE_LIMITED = i18n.lazy("Several answers were sent from your connection in a short time. Please wait ten minutes and try again.")


def _page(request: Request, template: str, tenant: Any, status_code: int = 200,
          **context) -> Response:
    context.setdefault("next_path", request.url.path)
    return render(request, template, {"tenant": tenant, **context}, status_code=status_code,
                  headers=PRIVATE)


def _when(value: datetime, tenant: Any) -> str:
    return i18n.fmt_datetime(value, tenant.timezone)


def _closing(target: Target, tenant: Any) -> str:
    """The round's last day, as every page and notice shows it (policy.rounds.closes_on)."""
    return i18n.fmt_date(closes_on(target.closes_at, tenant.timezone))


def _state_page(request: Request, tenant: Any, target: Target, state: str, *, posted: bool) -> Response:
    """The page for a token that cannot take an answer (now)."""
    if state == states.ALREADY_ANSWERED:
        title, message = i18n.gettext("Already answered"), i18n.gettext(ALREADY_ANSWERED)
        status = 409 if posted else 200
        kind = "done"
    elif state == states.CLOSED:
        title = i18n.gettext("This survey has closed")
        if clock.now() >= target.closes_at:
            message = i18n.gettext(CLOSED, date=_closing(target, tenant))
        else:  # closed early by staff
            message = i18n.gettext(CLOSED_EARLY)
        status, kind = 410, "closed"
    else:
        title = i18n.gettext("This survey is not open yet")
        message = i18n.gettext(NOT_OPEN_YET, date=_when(target.opens_at, tenant))
        status = 409 if posted else 200
        kind = "later"
    return _page(request, "surveys/public/state.html", tenant, status_code=status, title=title,
                 message=message, kind=kind, survey_title=target.title)


def _form(request: Request, tenant: Any, token: str, target: Target, answers: dict,
          errors: dict, status_code: int = 200, started: str = "") -> Response:
    """The questionnaire; `started` carries the first serving's signed time through a refused
    submit, so correcting an error does not restart the clock."""
    return _page(
        request, "surveys/public/answer.html", tenant, status_code=status_code,
        target=target, definition=target.definition, answers=answers, errors=errors,
        lang=i18n.current_locale(), started=started or answer_form.sign_started(token),
        honeypot=answer_form.HONEYPOT, started_field=answer_form.STARTED, round_field=answer_form.ROUND,
        action=request.app.route_reverse("surveys.answer", slug=tenant.slug, token=token),
        closes=_closing(target, tenant),
        opt_out=None if target.customer_id is None else request.app.route_reverse(
            "surveys.opt_out", slug=tenant.slug, token=token),
    )


class PublicSurveyController(Controller):
    path = "/p/{slug:str}/s"
    exception_handlers = {NotFoundException: not_found_page}

    @route("/{token:str}", http_method=["GET", "POST"], name="surveys.answer")
    async def answer(self, request: Request, slug: FromPath[str], token: FromPath[str]) -> Response:
        if request.method == "GET":
            tenant = await public_tenant(request, slug)
            target = await resolve(tenant, token)
            if target is None:
                raise NotFoundException()
            state = target.state(clock.now())
            if state != states.OPEN:
                return _state_page(request, tenant, target, state, posted=False)
            return _form(request, tenant, token, target, {}, {})
        ref = await public_tenant_ref(request, slug)
        form = await read_raw(request)
        fields = answer_form.form_lists(form)
        started = (fields.get(answer_form.STARTED) or [""])[0]
        outcome = await answering.submit(ref, token, fields, started, client_address(request))
        if outcome.kind == "not_found":
            forget_tenant_ref(slug)  # a kept id whose tenant is gone or inactive: ask again
            tenant = await public_tenant(request, slug)
            if tenant.id != ref.id:
                outcome = await answering.submit(tenant, token, fields, started, client_address(request))
        if outcome.kind == "saved":  # the hot path: no tenant row needed to say thank you
            thanks = request.app.route_reverse("surveys.thanks", slug=slug, token=token)
            return Redirect(thanks, status_code=303, headers=PRIVATE)
        return self._after_submit(request, await public_tenant(request, slug), token, fields, outcome)

    def _after_submit(self, request: Request, tenant: Any, token: str, fields: dict,
                      outcome: Outcome) -> Response:
        target = outcome.target
        if outcome.kind == "not_found" or target is None:
            raise NotFoundException()
        if outcome.kind == "saved":
            thanks = request.app.route_reverse("surveys.thanks", slug=tenant.slug, token=token)
            return Redirect(thanks, status_code=303, headers=PRIVATE)
        if outcome.kind == "invalid":
            messages = {key: e.translated() for key, e in outcome.errors.items()}
            shown = answer_form.prefill(target.definition, fields, outcome.answers)
            started = (fields.get(answer_form.STARTED) or [""])[0]
            kept = started if answer_form.read_started(token, started) else ""
            return _form(request, tenant, token, target, shown, messages, 422, started=kept)
        if outcome.kind == "rate_limited":
            return _page(request, "surveys/public/state.html", tenant, status_code=429,
                         title=i18n.gettext("Please wait a moment"), message=i18n.gettext(RATE_LIMITED),
                         kind="later", survey_title=target.title)
        return _state_page(request, tenant, target, outcome.kind, posted=True)

    @route("/{token:str}/opt-out", http_method=["GET", "POST"], name="surveys.opt_out")
    async def opt_out(self, request: Request, slug: FromPath[str], token: FromPath[str]) -> Response:
        """退订: GET asks to confirm (a link must not change anything by itself), POST withdraws
        the invitee's consent to be contacted. Complaint notices are not affected."""
        tenant = await public_tenant(request, slug)
        if request.method == "GET":
            target = await opt_out.opt_out_target(tenant, token)
            done = None
        else:
            done = await opt_out.opt_out(tenant, token)
            target = None if done is None else await opt_out.opt_out_target(tenant, token)
        if target is None:
            raise NotFoundException()
        action = request.app.route_reverse("surveys.opt_out", slug=tenant.slug, token=token)
        return _page(request, "surveys/public/opt_out.html", tenant, survey_title=target.title,
                     action=action, done=done is not None)

    @get("/{token:str}/thanks", name="surveys.thanks")
    async def thanks(self, request: Request, slug: FromPath[str], token: FromPath[str]) -> Response:
        """After a stored answer (and after a honeypot's pretend one): the questionnaire's own
        thanks. It shows nothing that was answered."""
        tenant = await public_tenant(request, slug)
        target = await resolve(tenant, token)
        if target is None:
            raise NotFoundException()
        return _page(request, "surveys/public/thanks.html", tenant, survey_title=target.title,
                     thanks=target.definition.thanks)


routes = [PublicSurveyController]
