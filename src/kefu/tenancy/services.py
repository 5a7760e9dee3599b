"""Tenants, memberships and API tokens: the platform's write functions."""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass

from kefu.audit import services as audit
from kefu.core.errors import FieldError
from kefu.core.packs import ADMIN_POSITION, all_packs, get_pack
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


async def create_tenant(*, slug: str, name: str, kind: str, actor_id: int | None = None) -> Tenant:
    slug = validate_slug(slug)
    name = name.strip()
    if not name:
        raise FieldError("name", "Enter a name.")
    if len(name) > MAX_TENANT_NAME:
        raise FieldError("name", "At most %(max)s characters.", max=MAX_TENANT_NAME)
    if kind not in all_packs():
        raise FieldError("kind", "Choose a tenant kind from the list.")
    pack = get_pack(kind)
    async with transaction():
        if await Tenant.exists().where(Tenant.slug == slug):
            raise FieldError("slug", "This slug is already taken.")
        tenant = Tenant(
            slug=slug, name=name, kind=kind,
            timezone=pack.settings.timezone, locale=pack.settings.locale,
        )
        await tenant.save()
    async with transaction(tenant.id):
        await audit.record(
            tenant_id=tenant.id, actor_id=actor_id, action="tenant.create",
            object_type="tenant", object_id=tenant.id,
            after={"slug": slug, "name": name, "kind": kind},
        )
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


@dataclass(frozen=True)
class MembershipView:
    slug: str
    name: str
    kind: str
    positions: list[str]


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def token_tenant_id(token: str) -> int | None:
    """Tokens read `kf_<tenant id>_<secret>`, so the tenant is known before the lookup (RLS)."""
    parts = token.split("_", 2)
    if len(parts) != 3 or parts[0] != "kf" or not parts[1].isdigit() or len(parts[2]) < 20:
        return None
    return int(parts[1])


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

