"""The request id an audit event carries. The events themselves are written by
`kefu.audit.services.record`; core only holds the context variable the request sets."""

from __future__ import annotations

from contextvars import ContextVar

# Set by the request middleware so services need not thread it through.
request_id_var: ContextVar[str] = ContextVar("kefu_request_id", default="")
