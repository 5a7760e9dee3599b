"""The wording of notices, rendered: a wording (subject and body) with a notice's data, in its
language, through the sandbox (kefu.notifications.sandbox, with its budgets). Pure: no file is
read here; the shipped default wordings are kefu.notifications.shipped.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from kefu import i18n

# The sandbox's API, where the module's callers have always found it.
from kefu.notifications.sandbox import TemplateProblem as TemplateProblem
from kefu.notifications.sandbox import check_syntax as check_syntax
from kefu.notifications.sandbox import render_source as render_source


@dataclass(frozen=True)
class Wording:
    subject: str
    body: str


def render_wording(wording: Wording, context: dict[str, Any], locale: str) -> Wording:
    with i18n.using_locale(locale):
        subject = render_source("subject", wording.subject, context) if wording.subject else ""
        body = render_source("body", wording.body, context)
    return Wording(subject=" ".join(subject.split()), body=body)


def notice_context(
    data: dict[str, Any], *, tenant_name: str, recipient_name: str, due_on: date | None, today: date
) -> dict[str, Any]:
    """What a template sees: the notice's data, plus who it is from and to and the dates."""
    base = {
        "tenant_name": tenant_name,
        "recipient_name": recipient_name,
        "due_on": due_on.isoformat() if due_on else "",
        "today": today.isoformat(),
    }
    return base | dict(data)
