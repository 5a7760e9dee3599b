"""Demo complaints for `kefu demo`: a desk in motion, made through the services as staff would.

Every state of the workflow is on the worklist — new, waiting for materials, under review,
accepted, in handling (one due soon, one overdue, one paused for an appraisal, one extended),
decided, closed, not accepted, transferred, withdrawn, merged, and for an insurer a regulator's
transfer with its report due — each received a number of days before today, so the due dates
and the overdue marks move with the day the demo is loaded. Loading twice adds nothing.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from kefu.complaints import services
from kefu.complaints.policy import policy_for
from kefu.complaints.tables import Complaint
from kefu.core import clock
from kefu.core.errors import FieldError, Refused
from kefu.core.packs import ADMIN_POSITION, get_pack
from kefu.core.scoping import get_in_tenant, scoped_count
from kefu.core.tenancy import TenantContext, TenantRow
from kefu.db import transaction
from kefu.tenancy.queries import member_tenant, members_holding, members_with

log = logging.getLogger("kefu.demo")

PEOPLE = [
    ("张伟", "13800138001"), ("李娜", "13900139002"), ("王芳", "13700137003"), ("刘洋", "13600136004"),
    ("陈静", "13500135005"), ("杨帆", "13400134006"), ("赵磊", "13300133007"), ("黄敏", "13200132008"),
    ("周杰", "13100131009"), ("吴婷", "15000150010"), ("徐强", "15100151011"), ("孙丽", "15200152012"),
    ("马超", "15300153013"), ("朱红", "15500155014"), ("胡军", "15600156015"),
]
SUBJECTS = {
    "insurance": ["理赔款迟迟未到账", "退保手续费不合理", "销售时未说明免责条款", "续期扣费未通知",
                  "客服热线长时间无人接听", "保单信息被泄露", "车险定损金额偏低", "健康险拒赔理由不清"],
    "property": ["楼上漏水多次报修未处理", "电梯频繁停运", "夜间装修噪音扰民", "地库照明损坏",
                 "物业费收费标准不透明", "快递柜占用消防通道", "绿化带长期无人修剪", "门禁卡补办太慢"],
}
REFS = {"insurance": "P-2026-{n:04d}", "property": "{b}栋{e}单元{r}"}
REMEDIES = {"insurance": "补发延误利息 200 元", "property": "上门维修并减免当月相关费用"}
DEPARTMENTS = {"insurance": "理赔部", "property": "工程部"}
ELSEWHERE = {"insurance": "承保该保单的保险公司", "property": "供电公司客户服务中心"}
# A case passed on from outside with a written report owed (A art. 13 for an insurer; for a
# property centre, the 12345 government service hotline's transfer).
TRANSFERS = {
    "insurance": {"unit": "国家金融监督管理总局上海监管局", "reference": "沪金监转〔2026〕118号",
                  "report_requested": "书面报告处理结果"},
    "property": {"unit": "12345 政务服务便民热线", "reference": "12345-2026-0815",
                 "report_requested": "办结后回复处理结果"},
}


@dataclass
class Desk:
    tenant: TenantRow
    acting: TenantContext  # the desk's administrator: every permission of the pack
    handler_id: int  # a member the pack lets handle complaints
    n: int = 0

    def data(self, days_ago: int, *, complete: bool = True, **over: Any) -> dict[str, Any]:
        kind = self.tenant.kind
        today = clock.today_in(self.tenant.timezone)
        name, phone = PEOPLE[self.n % len(PEOPLE)]
        subjects = SUBJECTS.get(kind, SUBJECTS["insurance"])
        categories = [c.code for c in policy_for(kind, self.tenant.settings).categories]
        ref = REFS.get(kind, REFS["insurance"]).format(n=100 + self.n, b=self.n % 4 + 1, e=self.n % 2 + 1,
                                                        r=(self.n % 9 + 1) * 100 + 1)
        self.n += 1
        data: dict[str, Any] = {
            "channel": ("hotline", "online", "letter", "in_person", "email")[self.n % 5],
            "complainant": {"name": name, "phone": phone, "email": "", "relation": "consumer"},
            "customer_ref": ref, "subject": subjects[self.n % len(subjects)],
            "description": f"{subjects[self.n % len(subjects)]}，希望尽快处理并答复。",
            "category": categories[self.n % len(categories)],
            "received_on": (today - timedelta(days=days_ago)).isoformat(),
            "materials_complete": complete,
        }
        data.update(over)
        return data


async def _desk(tenant: TenantRow) -> Desk | None:
    """The acting member (an administrator: every permission of the pack) and a handler."""
    pack = get_pack(tenant.kind)
    async with transaction(tenant.id, write=False):
        admins = await members_holding(tenant.id, pack, positions=[ADMIN_POSITION])
        handlers = await members_with(tenant.id, pack, "complaints.handle")
        found = await member_tenant(tenant.slug, admins[0].id) if admins else None
    if not admins or found is None:
        return None
    membership = found[1]
    ctx = TenantContext(tenant=tenant, user=admins[0], membership=membership, pack=pack,
                        permissions=pack.permissions_of(membership.held_positions()))
    others = [u.id for u in handlers if u.id != admins[0].id]
    return Desk(tenant, ctx, others[0] if others else admins[0].id)


Step = Callable[[int], Awaitable[Any]]


async def _make(desk: Desk, days_ago: int, steps: list[Step], *, complete: bool = True, **over: Any) -> int | None:
    """Register one complaint received `days_ago`, then take each step; a step the rules refuse
    (the demo is loaded on any day) is logged and the complaint stays where it got to."""
    c = await services.register_complaint(desk.acting, desk.data(days_ago, complete=complete, **over))
    for step in steps:
        try:
            await step(c.id)
        except (Refused, FieldError) as exc:
            log.warning("demo complaint %s: a step was refused: %s", c.number, exc)
            break
    return c.id


async def _stages(desk: Desk, tenant: TenantRow) -> list[int | None]:
    """One complaint at each stage of its life, from new today to closed."""
    ctx, policy = desk.acting, policy_for(tenant.kind, tenant.settings)
    grounds = [g.code for g in policy.grounds]

    def accept(cid: int) -> Awaitable[Any]:
        return services.review_complaint(ctx, cid, outcome="accept")

    def assign(cid: int) -> Awaitable[Any]:
        return services.assign_handler(ctx, cid, handler_id=desk.handler_id)

    def decide(cid: int) -> Awaitable[Any]:
        return services.record_decision(ctx, cid, decision="partly", text="经核实，情况部分属实，已整改并向您致歉。",
                                        remedy=REMEDIES.get(tenant.kind, "予以补偿"))

    made = [
        await _make(desk, 0, [], complete=False),  # new today
        await _make(desk, 2, [lambda cid: services.request_materials(ctx, cid, missing="身份证明和相关票据")],
                    complete=False),
        await _make(desk, 4, []),  # under review
        await _make(desk, 6, [accept]),  # accepted, no handler yet
        await _make(desk, 7, [accept, assign]),  # in handling
        await _make(desk, 30, [accept, assign]),  # in handling, overdue
        await _make(desk, 3, [accept, assign, lambda cid: services.pause_for_appraisal(
            ctx, cid, reason="等待第三方鉴定结论")]),
        await _make(desk, 9, [accept, assign, lambda cid: services.grant_extension(
            ctx, cid, reason="案情复杂，需调取更多材料")]),
        await _make(desk, 10, [accept, assign, decide]),  # decided, notice owed
        await _make(desk, 40, [accept, assign, decide, lambda cid: services.close_complaint(ctx, cid)]),
        await _make(desk, 5, [lambda cid: services.review_complaint(
            ctx, cid, outcome="not_accept", ground=grounds[0] if grounds else "", reason="经核实不属于本单位受理范围")]),
        await _make(desk, 4, [lambda cid: services.review_complaint(
            ctx, cid, outcome="transfer_internal", department=DEPARTMENTS.get(tenant.kind, "客服部"))]),
        await _make(desk, 3, [lambda cid: services.review_complaint(
            ctx, cid, outcome="transfer_out", unit=ELSEWHERE.get(tenant.kind, "其他单位"),
            reason="不属于本单位的服务范围")]),
        await _make(desk, 1, [lambda cid: services.withdraw_complaint(ctx, cid, reason="已自行协商解决")]),
    ]
    return made


async def _repeat(desk: Desk, tenant: TenantRow, first: int) -> int | None:
    """A repeat with new facts, merged into the complaint in handling (`first`)."""
    async with transaction(tenant.id, write=False):
        earlier = await get_in_tenant(Complaint, tenant.id, first)
    if earlier is None:
        return None
    repeat: dict[str, Any] = {"complainant": {"name": earlier.complainant_name, "phone": earlier.complainant_phone,
                              "email": "", "relation": "consumer"},
              "subject": earlier.subject, "customer_ref": earlier.customer_ref}
    return await _make(desk, 1, [lambda cid: services.merge_repeat(
        desk.acting, cid, into_id=first, new_facts="补充了新的照片和维修记录")], **repeat)


async def _from_regulator(desk: Desk, tenant: TenantRow) -> int | None:
    """A complaint the regulator passed on, accepted and in handling, its report due in 3 days."""
    due = clock.today_in(tenant.timezone) + timedelta(days=3)
    steps: list[Step] = [
        lambda cid: services.review_complaint(desk.acting, cid, outcome="accept"),
        lambda cid: services.assign_handler(desk.acting, cid, handler_id=desk.handler_id),
    ]
    return await _make(desk, 5, steps, channel="regulator",
                       regulator={**TRANSFERS[tenant.kind], "report_due": due.isoformat()})


async def load_demo(tenant: TenantRow) -> int:
    """The living desk for one demo tenant; returns how many complaints were made (0 when the
    tenant has complaints already)."""
    async with transaction(tenant.id, write=False):
        if await scoped_count(Complaint, tenant.id):
            return 0
    desk = await _desk(tenant)
    if desk is None:
        return 0
    made = await _stages(desk, tenant)
    if made[4] is not None:
        made.append(await _repeat(desk, tenant, made[4]))
    if tenant.kind in TRANSFERS:
        made.append(await _from_regulator(desk, tenant))
    return len([m for m in made if m is not None])
