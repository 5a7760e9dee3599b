"""Aliyun SMS (dysmsapi 2017-05-25) `SendSms` through its HTTP RPC API, signed with
signature v1 (HMAC-SHA1 over the sorted, percent-encoded query), with httpx.

The provider's answer decides the notice's fate: `OK` is a Receipt with its BizId; flow
control and system errors are retried; a bad number or text is failed for good; a key,
signature name or template the account does not have leaves the notice waiting as not
configured until the settings are corrected.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import uuid
from collections.abc import Mapping
from datetime import datetime
from urllib.parse import quote

import httpx

from kefu.core import clock
from kefu.notifications.channels import DeliveryFailed, NotConfigured, Outgoing, Receipt
from kefu.notifications.policy import SmsConfig

TIMEOUT = 10.0
VERSION = "2017-05-25"

RETRY_CODES = frozenset({
    "isv.BUSINESS_LIMIT_CONTROL", "isv.DAY_LIMIT_CONTROL", "isp.SYSTEM_ERROR", "isp.RAM_PERMISSION_DENY",
    "Throttling", "Throttling.User", "ServiceUnavailable", "InternalError",
})
PERMANENT_CODES = frozenset({
    "isv.MOBILE_NUMBER_ILLEGAL", "isv.MOBILE_COUNT_OVER_LIMIT", "isv.BLACK_KEY_CONTROL_LIMIT",
    "isv.PARAM_LENGTH_LIMIT", "isv.PARAM_NOT_SUPPORT_URL", "isv.INVALID_PARAMETERS", "isv.INVALID_JSON_PARAM",
    "isv.TEMPLATE_MISSING_PARAMETERS", "isv.DENY_IP_RANGE",
})
CONFIG_PREFIXES = (
    "InvalidAccessKeyId", "SignatureDoesNotMatch", "Forbidden", "isv.SMS_SIGNATURE_ILLEGAL",
    "isv.SMS_TEMPLATE_ILLEGAL", "isv.ACCOUNT_NOT_EXISTS", "isv.ACCOUNT_ABNORMAL", "isv.AMOUNT_NOT_ENOUGH",
    "isv.OUT_OF_SERVICE", "isv.PRODUCT_UN_SUBSCRIPT", "isv.PRODUCT_UNSUBSCRIBE", "isv.SMS_SIGN_ILLEGAL",
)


def percent_encode(value: str) -> str:
    """RFC 3986 as Aliyun's signature v1 wants it: space %20, * %2A, ~ kept."""
    return quote(value, safe="~")


def sign(params: Mapping[str, str], secret: str, method: str = "GET") -> str:
    canonical = "&".join(f"{percent_encode(k)}={percent_encode(v)}" for k, v in sorted(params.items()))
    to_sign = f"{method}&{percent_encode('/')}&{percent_encode(canonical)}"
    digest = hmac.new(f"{secret}&".encode(), to_sign.encode(), hashlib.sha1).digest()
    return base64.b64encode(digest).decode("ascii")


def timestamp(at: datetime) -> str:
    return at.strftime("%Y-%m-%dT%H:%M:%SZ")


def request_params(config: SmsConfig, out: Outgoing, template_code: str, *, nonce: str = "") -> dict[str, str]:
    """The signed query of one SendSms call."""
    params = {
        "AccessKeyId": config.access_key_id, "Action": "SendSms", "Format": "JSON", "RegionId": "cn-hangzhou",
        "SignatureMethod": "HMAC-SHA1", "SignatureNonce": nonce or uuid.uuid4().hex,
        "SignatureVersion": "1.0", "Timestamp": timestamp(clock.now()), "Version": VERSION,
        "PhoneNumbers": out.recipient_phone, "SignName": config.sign_name, "TemplateCode": template_code,
        "TemplateParam": json.dumps(out.params, ensure_ascii=False, separators=(",", ":")),
        "OutId": out.reference,
    }
    return params | {"Signature": sign(params, config.secret)}


def outcome(status: int, answer: Mapping[str, object]) -> Receipt:
    """What Aliyun's answer means for the notice; raises DeliveryFailed or NotConfigured."""
    code = str(answer.get("Code") or f"HTTP {status}")
    if status == 200 and code == "OK":
        return Receipt("aliyun", str(answer.get("BizId") or "")[:100])
    reason = f"Aliyun SMS {code}: {str(answer.get('Message') or '')[:300]}"
    if code.startswith(CONFIG_PREFIXES):
        raise NotConfigured(reason)
    if code in PERMANENT_CODES:
        raise DeliveryFailed(reason, permanent=True)
    raise DeliveryFailed(reason)  # flow control, system errors, anything unknown: retried


async def send(config: SmsConfig, out: Outgoing, template_code: str, endpoint: str) -> Receipt:
    params = request_params(config, out, template_code)
    try:
        async with httpx.AsyncClient(timeout=TIMEOUT) as client:
            response = await client.get(endpoint, params=params)
    except httpx.HTTPError as exc:
        raise DeliveryFailed(f"Aliyun SMS: {type(exc).__name__}: {exc}") from None
    try:
        answer = response.json()
    except ValueError:
        answer = {}
    return outcome(response.status_code, answer if isinstance(answer, dict) else {})
