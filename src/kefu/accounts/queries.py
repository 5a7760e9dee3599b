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


async def user_by_email(email: str) -> User | None:
    """The account of an email (stored lower-case)."""
    return await User.objects().where(User.email == email.lower()).first()
