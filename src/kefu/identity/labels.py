"""Words for sign-in failures and admission modes."""

from __future__ import annotations

from kefu import i18n
from kefu.core.labels import Labels, declare_audit

FAILURES = Labels({
    "provider_down": i18n.lazy("The identity provider could not be reached or answered wrongly. Try again later or ask your administrator."),
    "token_refused": i18n.lazy("The identity provider refused to complete the sign-in."),
    "provider_error": i18n.lazy("The identity provider reported an error and did not sign you in."),
    "bad_signature": i18n.lazy("The identity provider's answer failed its signature check."),
    "bad_token": i18n.lazy("The identity provider's answer could not be verified."),
    "audience": i18n.lazy("The identity provider's answer was meant for another application."),
    "issuer": i18n.lazy("The identity provider's answer came from another issuer."),
    "expired": i18n.lazy("The identity provider's answer has expired. Sign in again."),
    "nonce": i18n.lazy("The identity provider's answer does not belong to this sign-in."),
    "state": i18n.lazy("This sign-in link is invalid or was already used. Start the sign-in again."),
    "email_unverified": i18n.lazy("Your identity provider has not verified your email address."),
    "domain": i18n.lazy("Your email address is not in a domain this organisation allows."),
    "not_member": i18n.lazy("You are not a member of this organisation. Ask its administrator for an invitation."),
    "unavailable": i18n.lazy("Sign-in through an identity provider is not set up for this organisation."),
})

ADMISSIONS = Labels({
    "invited": i18n.lazy("Only members already invited"),
    "automatic": i18n.lazy("Anyone from an allowed domain, with the default position"),
})


# The audit trail's words for this module's codes (kefu.core.labels.declare_audit).
declare_audit(None, {"identity_provider": i18n.lazy("Sign-in provider"), "identity": i18n.lazy("Sign-in"),
    "invitation": i18n.lazy("Staff invitation"), "membership": i18n.lazy("Member"), "member": i18n.lazy("Member"),
    "position_assignment": i18n.lazy("Position"), "position": i18n.lazy("Position"), "tenant": i18n.lazy("Tenant"),
    "api_token": i18n.lazy("API token"), "user": i18n.lazy("User")})
