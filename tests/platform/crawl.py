"""Follow every link of a demo tenant from its home, as one signed-in member in one language."""

from __future__ import annotations

import html
import re
from collections import deque
from collections.abc import AsyncIterator

MAX_PAGES = 400
SKIP = re.compile(r"/(export|download|pdf|attachments/\d+|signout|switch|locale)(\b|/|\?|$)|\.xlsx|\.pdf")


def visible_text(page: str) -> str:
    page = re.sub(r"<(script|style|template)\b.*?</\1>", " ", page, flags=re.S | re.I)
    page = re.sub(r"<[^>]+>", " ", page)
    text = html.unescape(page)
    text = re.sub(r"\S+@\S+", " ", text)  # email addresses
    return re.sub(r"https?://\S+|/[\w/{}.:?=&%-]+", " ", text)  # addresses and paths


async def crawl(client, slug: str) -> AsyncIterator[tuple[str, str]]:
    """(url, page html) of every HTML page reachable from the tenant's home: its staff pages
    (/t/<slug>/) and the public pages they link to (/p/<slug>/: the complaint form, notices,
    survey links), with the tenant's public complaint form and contact page to start from."""
    start = f"/t/{slug}/"
    prefixes = (start, f"/p/{slug}/")
    extra = (f"/p/{slug}/complain", f"/p/{slug}/contact")
    seen, queue = {start, *extra}, deque([start, *extra])
    while queue and len(seen) < MAX_PAGES:
        url = queue.popleft()
        response = await client.get(url)
        if response.status_code != 200 or "text/html" not in response.headers.get("content-type", ""):
            continue
        yield url, response.text
        for link in re.findall(r'href="([^"#]+)', response.text):
            link = html.unescape(link)
            if link.startswith(prefixes) and not SKIP.search(link) and link not in seen:
                seen.add(link)
                queue.append(link)
    assert len(seen) > 20, seen
