"""Users: creation, authentication, preferences."""

from __future__ import annotations

import asyncio
from typing import Any

from piccolo.columns import Column

from kefu.accounts import throttle
from kefu.accounts.passwords import hash_password, needs_rehash, password_problem, verify_password
from kefu.accounts.tables import User
from kefu.core import clock
from kefu.core.errors import FieldError
from kefu.i18n import LOCALES

MAX_EMAIL = 254
MAX_NAME = 100


def normalise_email(email: str) -> str:
    return email.strip().lower()


def validate_email(email: str) -> str:
    email = normalise_email(email)
    if not email:
        raise FieldError("email", "Enter an email address.")
    if len(email) > MAX_EMAIL:
        raise FieldError("email", "At most %(max)s characters.", max=MAX_EMAIL)
    local, _, domain = email.partition("@")
    if not local or "." not in domain or " " in email:
        raise FieldError("email", "Enter a valid email address.")
    return email


async def create_user(
    *, email: str, name: str, password: str, is_superuser: bool = False, locale: str = "zh_CN"
) -> User:
    email = validate_email(email)
    name = name.strip()
    if not name:
        raise FieldError("name", "Enter a name.")
    if len(name) > MAX_NAME:
        raise FieldError("name", "At most %(max)s characters.", max=MAX_NAME)
    problem = password_problem(password)
    if problem:
        raise FieldError("password", problem, min=10, max=200)
    if await User.exists().where(User.email == email):
        raise FieldError("email", "A user with this email already exists.")
    user = User(
        email=email,
        name=name,
        password_hash=hash_password(password),
        is_superuser=is_superuser,
        locale=locale if locale in LOCALES else "zh_CN",
    )
    await user.save()
    return user


async def create_external_user(*, email: str, name: str, locale: str = "zh_CN") -> User:
    """An account that signs in only through an identity provider (no password: none verifies)."""
    email = validate_email(email)
    if await User.exists().where(User.email == email):
        raise FieldError("email", "A user with this email already exists.")
    user = User(email=email, name=name.strip()[:MAX_NAME] or email[:MAX_NAME], password_hash="",
                locale=locale if locale in LOCALES else "zh_CN")
    await user.save()
    return user


class SigninThrottled(Exception):
    pass


async def authenticate(email: str, password: str, client: str) -> User | None:
    """The user, or None with the same cost and answer whether the email exists or not."""
    email = normalise_email(email)[:MAX_EMAIL]
    # Counted before the check, atomically: parallel guesses cannot slip past the limit.
    if not await throttle.take_attempt(email, client):
        raise SigninThrottled()
    user = await User.objects().where(User.email == email).first()
    # argon2 costs tens of milliseconds of CPU: off the event loop, so sign-ins do not stall
    # every other request of the process.
    ok = await asyncio.to_thread(verify_password, user.password_hash if user else None, password[:500])
    if not ok or user is None or not user.is_active:
        return None
    await throttle.clear_failures(email, client)
    values: dict[Column | str, Any] = {User.last_signin_at: clock.now()}
    if needs_rehash(user.password_hash):
        values[User.password_hash] = await asyncio.to_thread(hash_password, password)
    await User.update(values).where(User.id == user.id)
    return user


async def set_locale(user_id: int, locale: str) -> None:
    if locale not in LOCALES:
        raise FieldError("locale", "Choose a language from the list.")
    await User.update({User.locale: locale}).where(User.id == user_id)


async def update_profile(user_id: int, *, name: str, locale: str) -> None:
    name = name.strip()
    if not name:
        raise FieldError("name", "Enter a name.")
    if len(name) > MAX_NAME:
        raise FieldError("name", "At most %(max)s characters.", max=MAX_NAME)
    if locale not in LOCALES:
        raise FieldError("locale", "Choose a language from the list.")
    await User.update({User.name: name, User.locale: locale}).where(User.id == user_id)


async def change_password(user_id: int, *, current: str, new: str) -> None:
    """The current password must be right (an account made by a provider has none: any new one
    is refused until a password is set by reset, which is not offered yet)."""
    user = await User.objects().where(User.id == user_id, User.is_active.eq(True)).first()
    ok = await asyncio.to_thread(verify_password, user.password_hash if user else None, current[:500])
    if user is None or not ok:
        raise FieldError("current", "Wrong password.")
    problem = password_problem(new)
    if problem:
        raise FieldError("password", problem, min=10, max=200)
    await User.update({User.password_hash: await asyncio.to_thread(hash_password, new)}).where(User.id == user_id)


def check_new_password(password: str) -> None:
    problem = password_problem(password)
    if problem:
        raise FieldError("password", problem, min=10, max=200)


async def reset_password(user_id: int, new: str) -> None:
    """Set a password without the current one (a reset link was used, in the caller's
    transaction). Every session the user had ends: their generation is now older."""
    check_new_password(new)
    digest = await asyncio.to_thread(hash_password, new)
    await User.update({
        User.password_hash: digest, User.session_generation: User.session_generation + 1,
    }).where(User.id == user_id)


async def set_platform_admin(*, email: str, grant: bool, actor_id: int) -> User:
    """Make an existing active account a platform administrator, or stop it being one. Nobody
    takes the role from themselves (the platform keeps at least the one acting)."""
    email = validate_email(email)
    user = await User.objects().where(User.email == email, User.is_active.eq(True)).first()
    if user is None:
        raise FieldError("email", "No active account uses this email.")
    if not grant and user.id == actor_id:
        raise FieldError("email", "You cannot take this role from yourself.")
    await User.update({User.is_superuser: grant}).where(User.id == user.id)
    user.is_superuser = grant
    return user
