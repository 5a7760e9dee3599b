"""A property-management centre never reads insurance wording: every page a member of the demo
property tenant can reach from its home is read in Chinese and in English, and its visible text
must hold no word of insurance or of the insurance regulator. What differs by kind comes from
the pack (tenants/property/), so a page that names the regulator or the policyholder there
is a label that is not the pack's."""

from __future__ import annotations

import re

import pytest
import pytest_asyncio

from kefu.demo import DEMO_PASSWORD, TENANTS, load_demo

from .crawl import crawl, visible_text

INSURANCE = re.compile(
    r"保险|监管|银保监|金融监管|投保|保单|理赔|承保|保费|退保|保全"
    r"|(?i:\b(?:insurance|insurer|insured|regulator|regulatory|policyholder|underwriting|premiums?"
    r"|policy (?:number|no\.)|NFRA|CBIRC)\b)"
)
PROPERTY = next(slug for slug, _name, kind in TENANTS if kind == "property")
# Other tenants' names may show in the platform administrator's tenant switcher: a name, not wording.
OTHER_NAMES = [name for slug, name, _kind in TENANTS if slug != PROPERTY]


def insurance_words(text: str) -> list[str]:
    for name in OTHER_NAMES:
        text = text.replace(name, " ")
    return [f"{m.group(0)!r} in …{text[max(0, m.start() - 40):m.end() + 40].strip()!r}…"
            for m in INSURANCE.finditer(text)]


def test_the_pattern_finds_insurance_words_and_spares_property_ones():
    assert insurance_words("报监管机构") and insurance_words("Report to the regulator")
    assert insurance_words("The policyholder") and insurance_words("保单号")
    assert not insurance_words("12345 政务服务便民热线转办 Passed on by the 12345 hotline; 保修; 物业服务合同")


@pytest_asyncio.fixture(loop_scope="session")
async def demo():
    await load_demo(lambda _line: None)


@pytest.mark.parametrize("locale", ["zh_CN", "en"])
async def test_no_page_of_the_property_demo_shows_insurance_wording(demo, make_client, locale):
    client = make_client()
    await client.signin("admin@kefu.test", DEMO_PASSWORD)
    await client.post("/account/locale", {"locale": locale})
    found, public = {}, []
    async for url, page in crawl(client, PROPERTY):
        public += [url] if url.startswith(f"/p/{PROPERTY}/") else []
        problems = insurance_words(visible_text(page))
        if problems:
            found[url] = problems[:5]
    assert len(public) >= 2, public  # the public complaint form and contact page at least
    assert not found, "\n".join(f"{url}:\n  " + "\n  ".join(p) for url, p in found.items())
