"""Reads of users for other modules: names for a page, the active users a notice goes to, the
account an email names. Users are platform-level (not tenant-owned), so nothing is scoped here;
the caller picks the ids from its own tenant's rows.
"""

from __future__ import annotations

from collections.abc import Iterable

from kefu.accounts.tables import User


async def user_names(ids: Iterable[int | None]) -> dict[int, str]:
    """id -> name of the users named (a missing or None id is skipped)."""
    wanted = [i for i in ids if i]
    if not wanted:
        return {}
    rows = await User.select(User.id, User.name).where(User.id.is_in(wanted))
    return {r["id"]: r["name"] for r in rows}


async def active_user(user_id: int) -> User | None:
    """The user if their account is active."""
    return await User.objects().where(User.id == user_id, User.is_active.eq(True)).first()


async def active_users(ids: list[int]) -> list[User]:
    """The active users among `ids`, by id."""
    if not ids:
        return []
    return await User.objects().where(User.id.is_in(ids), User.is_active.eq(True)).order_by(User.id)


async def session_generation(user_id: int) -> int:
    """What a new session of the user records (kefu.core.sessions.GENERATION_KEY)."""
    row = await User.select(User.session_generation).where(User.id == user_id).first()
    return int(row["session_generation"]) if row else 0


async def user_by_email(email: str) -> User | None:
    """The account of an email (stored lower-case)."""
    return await User.objects().where(User.email == email.lower()).first()


async def platform_admins() -> list[dict]:
    """The active platform administrators (name, email), by email."""
    return await User.select(User.id, User.name, User.email).where(
        User.is_superuser.eq(True), User.is_active.eq(True)).order_by(User.email)
