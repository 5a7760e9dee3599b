"""Every notice kind the code owes has shipped wording, and each shipped wording renders its own
sample in both languages on each channel it has: a notice with no wording is dead on arrival."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest

from kefu.notifications.shipped import default_kinds, default_wording, sample_context
from kefu.notifications.templating import render_wording

SRC = Path(__file__).resolve().parents[2] / "src" / "kefu"
# kind="…" in a call that owes a notice, or a module's KIND = "…" constant next to one
OWED = re.compile(r'(?:\bkind=|^KIND\s*=\s*)"([a-z_]+)"', re.M)


def owed_kinds() -> set[str]:
    found: set[str] = set()
    for path in SRC.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        if "owe_notice" in text and "notifications" not in path.parts:
            found.update(OWED.findall(text))
    return found


def test_every_kind_the_code_owes_has_shipped_wording():
    owed = owed_kinds()
    assert {"callback_problem_reminder", "callback_deadline"} <= owed  # the scan finds them
    missing = sorted(owed - set(default_kinds()))
    assert not missing, f"notice kinds owed with no wording in notifications/defaults: {missing}"


@pytest.mark.parametrize("kind", sorted(default_kinds()))
@pytest.mark.parametrize("locale", ["zh_CN", "en"])
def test_each_shipped_wording_renders_its_sample(kind, locale):
    context = sample_context(kind, locale, "翠湖花园", date(2026, 12, 7))
    rendered_any = False
    for channel in ("email", "sms", "letter"):
        wording = default_wording(kind, locale, channel)
        if wording is None:
            continue
        rendered = render_wording(wording, context, locale)
        text = f"{rendered.subject}\n{rendered.body}"
        assert text.strip() and "{{" not in text and "{%" not in text, (kind, locale, channel)
        rendered_any = True
    assert rendered_any, f"{kind} has no wording in {locale}"
