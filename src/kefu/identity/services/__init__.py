"""Writes of the identity module: a tenant's provider settings, sign-in through it, and the
tenant's members and invitations."""

from kefu.identity.services.invitations import (
    AcceptRefused,
    Issued,
    accept,
    invite,
    invite_first_admin,
    open_invitation,
    resend,
    revoke,
)
from kefu.identity.services.members import change_position, deactivate
from kefu.identity.services.provider import save_provider
from kefu.identity.services.resets import ResetThrottled, complete_reset, open_reset, request_reset
from kefu.identity.services.signin import SignedIn, begin_signin, finish_signin, record_failure
from kefu.identity.services.tokens import create_token, revoke_token

__all__ = [
    "AcceptRefused", "Issued", "ResetThrottled", "complete_reset", "open_reset", "request_reset", "SignedIn", "accept", "begin_signin", "change_position", "create_token", "deactivate",
    "finish_signin", "invite", "invite_first_admin",
    "open_invitation", "record_failure", "resend", "revoke", "revoke_token", "save_provider",
]
