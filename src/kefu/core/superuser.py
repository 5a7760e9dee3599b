"""The platform administrator's check, shared by the platform pages of several modules."""

from __future__ import annotations

from typing import Any

from litestar import Request
from litestar.exceptions import NotAuthorizedException, PermissionDeniedException

from kefu.core.requests import scope_extras


def require_superuser(request: Request[Any, Any, Any]) -> None:
    """401 when nobody is signed in, 403 for a user who is not a platform administrator."""
    user = scope_extras(request.scope).get("kefu_user")
    if user is None:
        raise NotAuthorizedException()
    if not user.is_superuser:
        raise PermissionDeniedException(detail="superuser")
