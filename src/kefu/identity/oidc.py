"""The OpenID Connect protocol, with Authlib's framework-neutral async client and joserfc.

Authorization Code with PKCE (S256): `authorization_url` makes the provider URL with a fresh
state, nonce and code verifier; `complete` exchanges the code, validates the ID token (the
provider's JWKS signature, issuer, audience, expiry, nonce) and reads userinfo. Every failure
is an `OidcFailure` with a stable reason code; nothing here touches the database or a session.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import httpx
from authlib.common.security import generate_token
from authlib.integrations.base_client.errors import OAuthError
from authlib.integrations.httpx_client import AsyncOAuth2Client
from joserfc import jwt
from joserfc.errors import (
    BadSignatureError,
    ExpiredTokenError,
    InvalidClaimError,
    JoseError,
    MissingClaimError,
)
from joserfc.jwk import KeySet

from kefu.core import clock

DISCOVERY_SUFFIX = "/.well-known/openid-configuration"
TIMEOUT = httpx.Timeout(10.0)
ALGORITHMS = ["RS256", "RS384", "RS512", "PS256", "ES256", "ES384", "EdDSA"]
LEEWAY_SECONDS = 60


class OidcFailure(Exception):
    """A sign-in that cannot go on; `reason` is a stable code (identity.labels has its words)."""

    def __init__(self, reason: str, detail: str = "") -> None:
        super().__init__(reason)
        self.reason = reason
        self.detail = detail[:200]


@dataclass(frozen=True)
class Client:
    issuer: str
    client_id: str
    client_secret: str
    scopes: str
    redirect_uri: str


@dataclass(frozen=True)
class Pending:
    """What the session keeps between the redirect to the provider and the callback."""

    url: str
    state: str
    nonce: str
    code_verifier: str


@dataclass(frozen=True)
class Identity:
    subject: str
    email: str
    email_verified: bool
    name: str
    id_token: str  # kept only as the logout hint
    end_session_endpoint: str | None = None


def discovery_url(issuer: str) -> str:
    return issuer.rstrip("/") + DISCOVERY_SUFFIX


async def _get_json(url: str) -> dict[str, Any]:
    try:
        async with httpx.AsyncClient(timeout=TIMEOUT) as http:
            response = await http.get(url)
        response.raise_for_status()
        data = response.json()
    except (httpx.HTTPError, ValueError) as exc:
        raise OidcFailure("provider_down", type(exc).__name__) from exc
    if not isinstance(data, dict):
        raise OidcFailure("provider_down", "not a JSON object")
    return data


async def metadata(issuer: str) -> dict[str, Any]:
    """The provider's discovery document, whose issuer must be the one configured."""
    data = await _get_json(discovery_url(issuer))
    if data.get("issuer", "").rstrip("/") != issuer.rstrip("/"):
        raise OidcFailure("provider_down", "issuer mismatch")
    for key in ("authorization_endpoint", "token_endpoint", "jwks_uri"):
        if not isinstance(data.get(key), str):
            raise OidcFailure("provider_down", f"no {key}")
    return data


def _oauth(client: Client, **kwargs: Any) -> AsyncOAuth2Client:
    return AsyncOAuth2Client(
        client_id=client.client_id, client_secret=client.client_secret, scope=client.scopes,
        redirect_uri=client.redirect_uri, code_challenge_method="S256", timeout=TIMEOUT, **kwargs,
    )


async def authorization_url(client: Client) -> Pending:
    meta = await metadata(client.issuer)
    state, nonce, verifier = generate_token(32), generate_token(32), generate_token(64)
    async with _oauth(client) as oauth:
        url, _ = oauth.create_authorization_url(
            meta["authorization_endpoint"], state=state, nonce=nonce, code_verifier=verifier
        )
    return Pending(url=url, state=state, nonce=nonce, code_verifier=verifier)


async def complete(client: Client, *, code: str, nonce: str, code_verifier: str) -> Identity:
    meta = await metadata(client.issuer)
    async with _oauth(client) as oauth:
        try:
            token = await oauth.fetch_token(
                meta["token_endpoint"], grant_type="authorization_code", code=code,
                code_verifier=code_verifier,
            )
        except OAuthError as exc:
            raise OidcFailure("token_refused", exc.error or "") from exc
        except httpx.HTTPError as exc:
            raise OidcFailure("provider_down", type(exc).__name__) from exc
        id_token = token.get("id_token")
        if not isinstance(id_token, str):
            raise OidcFailure("token_refused", "no id_token")
        claims = await validate_id_token(id_token, meta, client_id=client.client_id, nonce=nonce)
        info = await _userinfo(oauth, meta, claims["sub"])
    merged = {**info, **{k: v for k, v in claims.items() if v is not None}}
    return Identity(
        subject=str(claims["sub"]),
        email=str(merged.get("email") or "").strip().lower(),
        email_verified=merged.get("email_verified") is True,
        name=str(merged.get("name") or "")[:100],
        id_token=id_token,
        end_session_endpoint=meta.get("end_session_endpoint") if isinstance(meta.get("end_session_endpoint"), str) else None,
    )


async def validate_id_token(id_token: str, meta: dict[str, Any], *, client_id: str, nonce: str) -> dict[str, Any]:
    keys = KeySet.import_key_set(await _get_json(meta["jwks_uri"]))  # type: ignore[arg-type]
    try:
        token = jwt.decode(id_token, keys, algorithms=ALGORITHMS)
    except BadSignatureError as exc:
        raise OidcFailure("bad_signature") from exc
    except (JoseError, ValueError) as exc:
        raise OidcFailure("bad_token", type(exc).__name__) from exc
    registry = jwt.JWTClaimsRegistry(
        now=int(clock.now().timestamp()), leeway=LEEWAY_SECONDS,
        iss={"essential": True, "value": meta["issuer"]},
        aud={"essential": True, "value": client_id},
        sub={"essential": True},
        exp={"essential": True},
        iat={"essential": True},
        nonce={"essential": True, "value": nonce},
    )
    try:
        registry.validate(token.claims)
    except ExpiredTokenError as exc:
        raise OidcFailure("expired") from exc
    except (MissingClaimError, InvalidClaimError) as exc:
        raise OidcFailure(_claim_reason(str(exc))) from exc
    except JoseError as exc:
        raise OidcFailure("bad_token", type(exc).__name__) from exc
    return dict(token.claims)


def _claim_reason(message: str) -> str:
    for claim, reason in (("nonce", "nonce"), ("aud", "audience"), ("iss", "issuer"), ("exp", "expired")):
        if f"'{claim}'" in message or message.endswith(claim) or f" {claim}" in message:
            return reason
    return "bad_token"


async def _userinfo(oauth: AsyncOAuth2Client, meta: dict[str, Any], subject: Any) -> dict[str, Any]:
    endpoint = meta.get("userinfo_endpoint")
    if not isinstance(endpoint, str):
        return {}
    try:
        response = await oauth.get(endpoint)
        response.raise_for_status()
        info = response.json()
    except (httpx.HTTPError, ValueError) as exc:
        raise OidcFailure("provider_down", "userinfo") from exc
    if not isinstance(info, dict) or info.get("sub") != subject:
        raise OidcFailure("bad_token", "userinfo subject")
    return info


def logout_url(identity: Identity, *, client_id: str, after: str) -> str | None:
    """The provider's RP-initiated logout URL, when it offers one."""
    endpoint = identity.end_session_endpoint
    if not endpoint:
        return None
    id_token = identity.id_token
    query = httpx.QueryParams(id_token_hint=id_token, client_id=client_id, post_logout_redirect_uri=after)
    return str(httpx.URL(endpoint).copy_merge_params(query))
