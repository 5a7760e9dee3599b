"""The browser fixtures of tests/e2e (a live `kefu serve`, Debian's chromium, a journey user),
for the Content-Security-Policy check in a real browser."""

from tests.e2e.conftest import browser, journey, live_server, page  # noqa: F401
