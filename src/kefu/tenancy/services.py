"""Tenants, memberships and API tokens: the platform's write functions."""

from __future__ import annotations

import hashlib
import json
import re
import secrets
from dataclasses import dataclass, field
from functools import cache
from zoneinfo import available_timezones

from litestar.exceptions import NotFoundException

from kefu.audit import services as audit
from kefu.core import clock
from kefu.core.errors import FieldError
from kefu.core.forms import MAX_ID, parse_int
from kefu.core.packs import ADMIN_POSITION, OWN_PERMISSIONS, all_packs, get_pack, own_permissions
from kefu.core.scoping import scoped
from kefu.core.tenancy import TenantRow, UserRow
from kefu.db import transaction
from kefu.tenancy.tables import ApiToken, Membership, Tenant

SLUG_RE = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$")
MAX_TENANT_NAME = 200


def validate_slug(slug: str) -> str:
    slug = slug.strip().lower()
    if not SLUG_RE.match(slug):
        raise FieldError(
            "slug", "Use 1–63 lowercase letters, digits and hyphens, not starting or ending with a hyphen."
        )
    return slug


@cache
def time_zones() -> list[str]:
    """The IANA time zones this machine knows, sorted (the console's list)."""
    return sorted(available_timezones())


def validate_timezone(zone: str) -> str:
    zone = zone.strip()
    if zone not in time_zones():
        raise FieldError("timezone", "Choose a time zone from the list, such as Asia/Shanghai.")
    return zone


async def create_tenant(
    *, slug: str, name: str, kind: str, actor_id: int | None = None, timezone: str = ""
) -> Tenant:
    slug = validate_slug(slug)
    name = name.strip()
    if not name:
        raise FieldError("name", "Enter a name.")
    if len(name) > MAX_TENANT_NAME:
        raise FieldError("name", "At most %(max)s characters.", max=MAX_TENANT_NAME)
    if kind not in all_packs():
        raise FieldError("kind", "Choose a tenant kind from the list.")
    pack = get_pack(kind)
    zone = validate_timezone(timezone) if timezone else pack.settings.timezone
    async with transaction():
        if await Tenant.exists().where(Tenant.slug == slug):
            raise FieldError("slug", "This slug is already taken.")
        tenant = Tenant(slug=slug, name=name, kind=kind, timezone=zone, locale=pack.settings.locale)
        await tenant.save()
    async with transaction(tenant.id):
        await audit.record(
            tenant_id=tenant.id, actor_id=actor_id, action="tenant.create",
            object_type="tenant", object_id=tenant.id,
            after={"slug": slug, "name": name, "kind": kind, "timezone": zone},
        )
    return tenant


async def set_tenant_active(*, tenant_id: int, active: bool, actor_id: int) -> Tenant:
    """Deactivate (its pages, API and public links answer 404; its sweeps skip it) or reactivate."""
    async with transaction(tenant_id):
        tenant = await Tenant.objects().where(Tenant.id == tenant_id).first()
        if tenant is None:
            raise NotFoundException()
        if tenant.is_active != active:
            await Tenant.update({Tenant.is_active: active}).where(Tenant.id == tenant_id)
            await audit.record(
                tenant_id=tenant_id, actor_id=actor_id, action="tenant.activate" if active else "tenant.deactivate",
                object_type="tenant", object_id=tenant_id, before={"is_active": tenant.is_active},
                after={"is_active": active},
            )
            tenant.is_active = active
    return tenant


async def add_member(
    *, tenant: TenantRow, user: UserRow, positions: list[str], actor_id: int | None = None
) -> Membership:
    pack = get_pack(tenant.kind)
    unknown = [p for p in positions if p not in pack.positions]
    if unknown:
        raise FieldError("positions", "Unknown position: %(codes)s", codes=", ".join(unknown))
    async with transaction(tenant.id):
        existing = (
            await Membership.objects()
            .where(Membership.tenant == tenant.id, Membership.user == user.id)
            .first()
        )
        before = {"positions": existing.positions_list()} if existing else None
        if existing:
            merged = sorted(set(existing.positions_list()) | set(positions))
            await Membership.update({Membership.positions: merged, Membership.is_active: True}).where(
                Membership.id == existing.id
            )
            membership = existing
            # Piccolo's JSON column also takes a list; its setter is typed str | dict only.
            membership.positions = merged  # type: ignore[assignment]
        else:
            membership = Membership(tenant=tenant.id, user=user.id, positions=sorted(set(positions)))
            await membership.save()
        await audit.record(
            tenant_id=tenant.id, actor_id=actor_id, action="member.positions",
            object_type="membership", object_id=membership.id,
            before=before, after={"user": user.email, "positions": membership.positions_list()},
        )
    return membership


async def set_password_signin(*, tenant_id: int, allowed: bool, actor_id: int | None) -> None:
    """Whether the tenant's staff may enter it with a password session (else only through its
    identity provider)."""
    async with transaction(tenant_id):
        row = await Tenant.select(Tenant.password_signin).where(Tenant.id == tenant_id).first()
        if row is None or row["password_signin"] == allowed:
            return
        await Tenant.update({Tenant.password_signin: allowed}).where(Tenant.id == tenant_id)
        await audit.record(
            tenant_id=tenant_id, actor_id=actor_id, action="tenant.password_signin",
            object_type="tenant", object_id=tenant_id,
            before={"password_signin": row["password_signin"]}, after={"password_signin": allowed},
        )


async def set_granted_positions(tenant_id: int, grants: dict[int, list[str]]) -> int:
    """Store, per user id, the positions their running assignments grant today (kefu.duties
    calls this); a user left out keeps theirs. Returns how many memberships changed."""
    changed = 0
    async with transaction(tenant_id):
        rows = await scoped(Membership, tenant_id, Membership.id, Membership.user.as_alias("user"), Membership.granted).where(
            Membership.user.is_in(list(grants) or [0])
        ).output(load_json=True)
        for row in rows:
            wanted = sorted(set(grants[row["user"]]))
            if sorted(row["granted"] or []) != wanted:
                await Membership.update({Membership.granted: wanted}).where(
                    Membership.tenant == tenant_id, Membership.id == row["id"])
                changed += 1
    return changed


async def set_own_permissions(tenant_id: int, own: dict[str, list[str]]) -> bool:
    """Store the tenant's own permissions per position in its settings (kefu.duties calls this,
    in its audited, validated configuration change); {} returns every position to the pack's.
    The guards read them with the tenant's row from the next request. Whether they changed."""
    async with transaction(tenant_id):
        row = await Tenant.select(Tenant.settings).where(Tenant.id == tenant_id).first()
        if row is None:
            raise NotFoundException()
        settings = row["settings"]
        settings = dict(json.loads(settings or "{}") if isinstance(settings, str) else settings or {})
        if own_permissions(settings) == own:
            return False
        if own:
            settings[OWN_PERMISSIONS] = own
        else:
            settings.pop(OWN_PERMISSIONS, None)
        await Tenant.update({Tenant.settings: json.dumps(settings, ensure_ascii=False)}).where(Tenant.id == tenant_id)
    return True


@dataclass(frozen=True)
class MembershipView:
    slug: str
    name: str
    kind: str
    positions: list[str]
    tenant_id: int = field(default=0, compare=False)
    password_signin: bool = field(default=True, compare=False)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def token_tenant_id(token: str) -> int | None:
    """Tokens read `kf_<tenant id>_<secret>`, so the tenant is known before the lookup (RLS)."""
    parts = token.split("_", 2)
    if len(parts) != 3 or parts[0] != "kf" or len(parts[2]) < 20 or not parts[2].isascii():
        return None
    # ASCII digits only ("²".isdigit() is true, int("²") fails) and an id a row can have.
    tenant_id = parse_int(parts[1]) if parts[1].isascii() and parts[1].isdigit() else None
    return tenant_id if tenant_id is not None and 0 < tenant_id <= MAX_ID else None


async def create_api_token(*, tenant: TenantRow, user: UserRow, label: str = "") -> str:
    async with transaction(tenant.id):
        member = await Membership.exists().where(
            Membership.tenant == tenant.id, Membership.user == user.id, Membership.is_active.eq(True)
        )
        if not member:
            raise FieldError("email", "This user is not a member of the tenant.")
        token = f"kf_{tenant.id}_{secrets.token_urlsafe(32)}"
        row = ApiToken(tenant=tenant.id, user=user.id, token_hash=hash_token(token), label=label[:100])
        await row.save()
        await audit.record(
            tenant_id=tenant.id, actor_id=user.id, action="api_token.create",
            object_type="api_token", object_id=row.id, after={"label": label[:100]},
        )
    return token


def is_admin(positions: list[str]) -> bool:
    return ADMIN_POSITION in positions



class LastAdmin(FieldError):
    """The change would leave the tenant without an active administrator."""


async def _other_admins(tenant_id: int, membership_id: int) -> int:
    rows = await Membership.select(Membership.id, Membership.positions).where(
        Membership.tenant == tenant_id, Membership.is_active.eq(True), Membership.id != membership_id,
    ).output(load_json=True)
    return sum(1 for r in rows if ADMIN_POSITION in (r["positions"] or []))


async def _active_membership(tenant_id: int, membership_id: int) -> Membership:
    row = await Membership.objects().where(
        Membership.tenant == tenant_id, Membership.id == membership_id, Membership.is_active.eq(True)
    ).first()
    if row is None:
        raise NotFoundException()
    return row


async def change_position(
    *, tenant: TenantRow, membership_id: int, position: str, add: bool, actor_id: int
) -> Membership:
    """Give or take one position; a member keeps at least one, the tenant keeps an admin."""
    if position not in get_pack(tenant.kind).positions:
        raise FieldError("position", "Choose a position from the list.")
    async with transaction(tenant.id):
        row = await _active_membership(tenant.id, membership_id)
        before = row.positions_list()
        after = sorted(set(before) | {position}) if add else [p for p in before if p != position]
        if not after:
            raise FieldError("position", "A member keeps at least one position; deactivate the member instead.")
        if ADMIN_POSITION in before and ADMIN_POSITION not in after and not await _other_admins(tenant.id, row.id):
            raise LastAdmin("position", "The tenant needs at least one administrator.")
        await Membership.update({Membership.positions: after}).where(
            Membership.tenant == tenant.id, Membership.id == row.id)
        await audit.record(
            tenant_id=tenant.id, actor_id=actor_id, action="member.positions", object_type="membership",
            object_id=row.id, before={"positions": before}, after={"positions": after},
        )
    return row


async def deactivate_member(*, tenant: TenantRow, membership_id: int, actor_id: int) -> None:
    """The member loses the tenant at once: the membership ends (every session's next request
    is refused) and their API tokens for the tenant are revoked."""
    async with transaction(tenant.id):
        row = await _active_membership(tenant.id, membership_id)
        if ADMIN_POSITION in row.positions_list() and not await _other_admins(tenant.id, row.id):
            raise LastAdmin("member", "The tenant needs at least one administrator.")
        await Membership.update({Membership.is_active: False}).where(
            Membership.tenant == tenant.id, Membership.id == row.id)
        await ApiToken.update({ApiToken.revoked_at: clock.now()}).where(
            ApiToken.tenant == tenant.id, ApiToken.user == row.user, ApiToken.revoked_at.is_null())
        await audit.record(
            tenant_id=tenant.id, actor_id=actor_id, action="member.deactivate", object_type="membership",
            object_id=row.id, before={"positions": row.positions_list()},
        )


async def revoke_api_token(*, tenant_id: int, token_id: int, actor_id: int) -> None:
    """The token stops authenticating at once (404 for another tenant's or a revoked token)."""
    async with transaction(tenant_id):
        row = await ApiToken.select(ApiToken.id, ApiToken.label).where(
            ApiToken.tenant == tenant_id, ApiToken.id == token_id, ApiToken.revoked_at.is_null()).first()
        if row is None:
            raise NotFoundException()
        await ApiToken.update({ApiToken.revoked_at: clock.now()}).where(
            ApiToken.tenant == tenant_id, ApiToken.id == token_id)
        await audit.record(tenant_id=tenant_id, actor_id=actor_id, action="api_token.revoke",
                           object_type="api_token", object_id=token_id, before={"label": row["label"]})
