"""The survey bench's data: one property centre, its pack's half-year template, `customers`
owners with consent (loaded by the owner in one INSERT … SELECT), and the answer bodies."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

import asyncpg

from kefu.surveys.policy.answers import visible_questions
from kefu.surveys.policy.definition import Definition
from kefu.surveys.schemas.answers import field_name

CUSTOMERS_SQL = """
INSERT INTO customer (tenant_id, kind, name, phone, email, postal_address, external_ref, building,
                      unit, household, consent_contact, consent_at, preferred_channel, locale,
                      notes, is_active, created_at, updated_at)
SELECT $1, 'owner',
       (ARRAY['张伟','王芳','李娜','刘洋','陈静','杨磊','赵敏','黄强'])[1 + g % 8] || g,
       '139' || lpad(g::text, 8, '0'), '', '', 'O' || lpad(g::text, 8, '0'),
       (1 + g % 40) || '栋', (1 + g % 4) || '-' || (1 + g % 30) || '0' || (1 + g % 4),
       (1 + g % 40) || '栋|' || g, true, now(), 'sms', 'zh_CN', '', true, now(), now()
FROM generate_series(1, $2) AS g
"""


@dataclass(frozen=True)
class SurveyTenant:
    id: int
    slug: str
    template_id: int


async def load_customers(owner_url: str, tenant_id: int, count: int) -> None:
    conn = await asyncpg.connect(owner_url)
    try:
        await conn.execute(CUSTOMERS_SQL, tenant_id, count)
        await conn.execute("ANALYZE customer")
    finally:
        await conn.close()


async def setup(slug: str) -> SurveyTenant:
    """The tenant (through kefu's own services) and its copy of the pack's half-year template."""
    from kefu.surveys.services.templates import ensure_pack_templates
    from kefu.tenancy.services import create_tenant

    tenant = await create_tenant(slug=slug, name="基准物业服务中心", kind="property")
    templates = await ensure_pack_templates(tenant)
    template_id = _half_year_id(templates)
    return SurveyTenant(tenant.id, tenant.slug, template_id)


def _half_year_id(templates: object) -> int:
    rows = list(templates.values()) if isinstance(templates, dict) else list(templates)  # type: ignore[union-attr]
    if not rows:
        raise RuntimeError("the property pack ships no survey template")
    first = rows[0]
    return int(first if isinstance(first, int) else getattr(first, "id", None) or first["id"])


def answer_fields(definition: Definition, n: int) -> list[tuple[str, str]]:
    """A complete, valid-looking answer to every question a respondent is shown, varied by `n`
    (no straight-lining; the overall score high enough that its follow-up stays hidden)."""
    fields: list[tuple[str, str]] = []
    answers: dict[str, object] = {}
    for q in definition.questions():
        if q.key not in {v.key for v in visible_questions(definition, answers)}:
            continue
        name = field_name(q)
        if q.type == "rating":
            value = 3 + (n + len(fields)) % 3
            fields.append((name, str(value)))
            answers[q.key] = value
        elif q.type == "nps":
            fields.append((name, str(6 + n % 5)))
            answers[q.key] = 6 + n % 5
        elif q.type == "single":
            value = q.options[n % len(q.options)].value
            fields.append((name, value))
            answers[q.key] = value
        elif q.type == "multiple":
            chosen = [o.value for i, o in enumerate(q.options) if (n + i) % 2 == 0] or [q.options[0].value]
            fields += [(name, v) for v in chosen]
            answers[q.key] = chosen
        elif q.type == "matrix":
            for i, row in enumerate(q.rows):
                fields.append((field_name(q, row.key), str(2 + (n + i) % 4)))
        elif q.type == "text":
            fields.append((name, f"第{n}位业主的意见：电梯维修可以再快一些，保洁很认真。"))
    return fields


def body(fields: list[tuple[str, str]], extra: list[tuple[str, str]]) -> bytes:
    return urlencode([*extra, *fields]).encode()
