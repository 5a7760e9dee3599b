"""No page of the demo tenants shows an internal code: every page a member can reach from the
tenant's home (following its links) is read as the Chinese reader sees it, and its visible text
must hold no snake_case code (under_review, materials_notice), no dotted code
(complaint.accept), no "complaint #4", and no code of a status, channel or tenant kind as a bare
English word."""

from __future__ import annotations

import re

import pytest
import pytest_asyncio

from kefu.complaints.policy import CHANNELS, STATUSES
from kefu.demo import DEMO_PASSWORD, TENANTS, load_demo

from .crawl import crawl, visible_text

# Codes that are also ordinary English words are matched only as whole words in Chinese pages.
WORDS = sorted({*STATUSES, *CHANNELS, "insurance", "property"} - {"email", "fax", "letter", "online"})
RAW = [
    ("snake_case code", re.compile(r"(?<![\w./@-])[a-z]+(?:_[a-z0-9]+)+(?![\w/@-])")),
    ("dotted code", re.compile(r"(?<![\w./@-])[a-z]+\.[a-z]+(?:_[a-z]+)*(?![\w./@-])")),
    ("object id", re.compile(r"\b[a-z_]+ #\d+")),
    ("bare code", re.compile(r"(?<![\w-])(" + "|".join(WORDS) + r")(?![\w-])")),
]


# (page, code) shown on purpose, each with its reason.
ALLOWED = {
    # The import page lists the column headers a file may use; `external_ref` is one of them.
    ("/customers/import", "external_ref"),
    # The departments-and-positions editor shows the codes the administrator gives them (and
    # each duty's English label beside the Chinese, where a channel's name may appear): every code.
    ("/duties/config", None),
}


def raw_codes(text: str) -> list[str]:
    return [f"{what}: {m.group(0)!r} in …{text[max(0, m.start() - 40):m.end() + 40].strip()!r}…"
            for what, pattern in RAW for m in pattern.finditer(text)]


@pytest_asyncio.fixture(loop_scope="session")
async def demo():
    await load_demo(lambda _line: None)


@pytest.mark.parametrize(("slug", "kind"), [(slug, kind) for slug, _name, kind in TENANTS])
async def test_no_page_of_a_demo_tenant_shows_an_internal_code(demo, make_client, slug, kind):
    client = make_client()
    await client.signin("admin@kefu.test", DEMO_PASSWORD)
    await client.post("/account/locale", {"locale": "zh_CN"})
    found = {}
    async for url, page in crawl(client, slug):
        problems = [p for p in raw_codes(visible_text(page))
                    if not any(url.endswith(path) and (code is None or f"{code!r}" in p) for path, code in ALLOWED)]
        if problems:
            found[url] = problems[:5]
    assert not found, "\n".join(f"{url}:\n  " + "\n  ".join(p) for url, p in found.items())
