"""A local stand-in for Aliyun's SMS API (dysmsapi SendSms, RPC style), on http.server in a
thread: it checks the signature v1 of each request as Aliyun does and answers as Aliyun's
documentation shows — `Code` "OK" with a BizId, or an error code with its HTTP status."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, quote, urlsplit

KEYS = {"LTAI5tTestKeyId": "test-secret-0123456789"}
STATUS = {"OK": 200, "InvalidAccessKeyId.NotFound": 404, "SignatureDoesNotMatch": 400,
          "isv.BUSINESS_LIMIT_CONTROL": 200, "isv.MOBILE_NUMBER_ILLEGAL": 200}
MESSAGES = {
    "InvalidAccessKeyId.NotFound": "Specified access key is not found.",
    "SignatureDoesNotMatch": "Specified signature is not matched with our calculation.",
    "isv.BUSINESS_LIMIT_CONTROL": "触发分钟级流控Permits:1",
    "isv.MOBILE_NUMBER_ILLEGAL": "invalid mobile number",
}


def expected_signature(params: dict[str, str], secret: str) -> str:
    """Computed independently of kefu's own signing, from Aliyun's published steps."""
    def enc(s: str) -> str:
        return quote(s, safe="").replace("+", "%20").replace("*", "%2A").replace("%7E", "~")
    canonical = "&".join(f"{enc(k)}={enc(params[k])}" for k in sorted(params))
    string_to_sign = "GET&%2F&" + enc(canonical)
    return base64.b64encode(hmac.new((secret + "&").encode(), string_to_sign.encode(), hashlib.sha1).digest()).decode()


class FakeAliyun:
    def __init__(self) -> None:
        self.requests: list[dict[str, str]] = []
        self.answer_code = "OK"  # what the next SendSms answers (after the signature check)
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 — http.server's hook name
                params = dict(parse_qsl(urlsplit(self.path).query, keep_blank_values=True))
                fake.requests.append(params)
                code = fake.check(params)
                body = {"RequestId": "F655A8D5-B967-440B-8683-DAD6FF8DE990", "Code": code,
                        "Message": MESSAGES.get(code, "OK")}
                if code == "OK":
                    body["BizId"] = f"900619746936498440^{len(fake.requests)}"
                data = json.dumps(body, ensure_ascii=False).encode()
                self.send_response(STATUS.get(code, 400))
                self.send_header("Content-Type", "application/json;charset=utf-8")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def check(self, params: dict[str, str]) -> str:
        signature = params.pop("Signature", "")
        secret = KEYS.get(params.get("AccessKeyId", ""))
        if secret is None:
            return "InvalidAccessKeyId.NotFound"
        if signature != expected_signature(params, secret):
            return "SignatureDoesNotMatch"
        required = ("Action", "PhoneNumbers", "SignName", "TemplateCode", "TemplateParam", "SignatureNonce", "Timestamp")
        if params.get("Action") != "SendSms" or any(not params.get(k) for k in required):
            return "MissingParameter"
        return self.answer_code

    def __enter__(self) -> FakeAliyun:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()
