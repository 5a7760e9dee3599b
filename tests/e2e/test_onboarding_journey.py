"""Onboarding in a real headless Chromium against `kefu serve`: the platform administrator creates
a tenant and invites its first administrator, who accepts, sets a password and invites an agent;
the agent accepts and later signs in. And a sign-in through the tenant's own OpenID provider (the
real `oidc-provider` fixture): the tenant's sign-in page, the provider's login form, back in kefu."""

from __future__ import annotations

import os
import re
import uuid

import httpx
import pytest
import pytest_asyncio

from tests import factories
from tests.e2e.conftest import BROWSER_TIMEOUT_MS, LiveServer, browser_missing_reason

_missing = browser_missing_reason()
if _missing and os.environ.get("KEFU_CI") != "1":
    pytest.skip(f"browser tests need Debian's chromium and Playwright: {_missing}", allow_module_level=True)

from playwright.async_api import expect  # noqa: E402

pytestmark = pytest.mark.asyncio(loop_scope="session")
expect.set_options(timeout=BROWSER_TIMEOUT_MS)


async def new_tab(browser, base_url: str):
    context = await browser.new_context(base_url=base_url, locale="zh-CN")
    context.set_default_timeout(BROWSER_TIMEOUT_MS)
    return context, await context.new_page()


async def accept_invitation(tab, link: str, name: str, password: str) -> None:
    await tab.goto(httpx.URL(link).path)
    await tab.locator("main input[name=name]").fill(name)
    await tab.locator("main input[name=password]").fill(password)
    await tab.locator("main input[name=password2]").fill(password)
    await tab.locator("main form button[type=submit]").click()


async def test_platform_admin_onboards_a_tenant_whose_admin_invites_an_agent(live_server, browser):
    root = await factories.user(name="Root 平台", superuser=True, locale="zh_CN")
    base_url = await live_server.ready()
    slug = f"onb-{uuid.uuid4().hex[:8]}"
    name = f"丙保险 Onboarding {slug}"
    first_email, agent_email = f"first-{slug}@example.test", f"agent-{slug}@example.test"
    contexts = []
    try:
        # The platform administrator: sign in, Platform, create the tenant naming its first admin.
        context, tab = await new_tab(browser, base_url)
        contexts.append(context)
        await tab.goto("/signin")
        await tab.locator("main input[name=email]").fill(root.email)
        await tab.locator("main input[name=password]").fill(factories.PASSWORD)
        await tab.locator("main form button[type=submit]").click()
        await tab.locator('header a[href="/admin/tenants"]').click()
        await expect(tab).to_have_url(re.compile(r"/admin/tenants$"))
        # The form posts through htmx (which shows the link in place); sent before htmx bound it
        # at DOMContentLoaded, it would post plainly and come back without #invite-link.
        await tab.wait_for_load_state()
        form = tab.locator("#tenants form").last
        await form.locator("input[name=slug]").fill(slug)
        await form.locator("input[name=name]").fill(name)
        await form.locator("select[name=kind]").select_option("insurance")
        await form.locator("input[name=timezone]").fill("Asia/Shanghai")
        await form.locator("input[name=admin_email]").fill(first_email)
        await form.locator("button[type=submit]").click()
        await expect(tab.locator("#invite-link")).to_have_value(re.compile(r"/invite/"))
        first_link = await tab.locator("#invite-link").input_value()
        await tab.locator("#enter-tenant").click()  # the creator enters the new tenant at once
        await expect(tab).to_have_url(re.compile(rf"/t/{slug}/?$"))
        await expect(tab.locator(".kefu-tenant-name")).to_have_text(name)

        # The first administrator accepts with a password, then invites an agent from Members.
        context, first = await new_tab(browser, base_url)
        contexts.append(context)
        await accept_invitation(first, first_link, "First 管理员", "first-admin-passphrase")
        await expect(first).to_have_url(re.compile(rf"/t/{slug}/?$"))
        await first.locator(f'nav.kefu-tabs a[href="/t/{slug}/members"]').click()
        await expect(first).to_have_url(re.compile(rf"/t/{slug}/members$"))
        await first.wait_for_load_state()  # htmx sends the invitation (as on the platform page)
        invite = first.locator("#members form").last
        await invite.locator("input[name=email]").fill(agent_email)
        await invite.locator("input[name=positions][value=agent]").check()
        await invite.locator("button[type=submit]").click()
        await expect(first.locator("#invite-link")).to_have_value(re.compile(r"/invite/"))
        agent_link = await first.locator("#invite-link").input_value()
        await expect(first.locator("#members")).to_contain_text(agent_email)

        # The agent accepts, signs out, and signs in again with the password they set.
        context, agent = await new_tab(browser, base_url)
        contexts.append(context)
        await accept_invitation(agent, agent_link, "Agent 客服", "agent-passphrase-1")
        await expect(agent).to_have_url(re.compile(rf"/t/{slug}/?$"))
        await expect(agent.locator("main mark").filter(has_text="客服岗")).to_have_count(1)
        await agent.locator("header form[action='/signout'] button").click()
        await expect(agent).to_have_url(re.compile(r"/signin"))
        await agent.locator("main input[name=email]").fill(agent_email)
        await agent.locator("main input[name=password]").fill("agent-passphrase-1")
        await agent.locator("main form button[type=submit]").click()
        await expect(agent).to_have_url(re.compile(rf"/t/{slug}/?$"))  # one tenant: straight there
        await expect(agent.locator(".kefu-tenant-name")).to_have_text(name)
    finally:
        for context in contexts:
            await context.close()


# --- sign-in through the tenant's own OpenID provider ------------------------------------------


@pytest.fixture(scope="module")
def oidc_server(tmp_path_factory):
    """A `kefu serve` whose public URL is its own address (the provider sends the browser back
    to it), and a real provider whose static client knows that server's callbacks."""
    import tests.identity.provider as provider_module
    from tests.identity.provider import ProviderUnavailable, RunningProvider, StaticClient

    server = LiveServer(tmp_path_factory.mktemp("kefu-serve-oidc"), own_public_url=True)
    slugs = [f"e2e-idp-{uuid.uuid4().hex[:8]}"]
    saved = provider_module.PUBLIC_URL
    provider_module.PUBLIC_URL = server.url  # the redirect URIs registered with the provider
    provider = RunningProvider(slugs, {"a": StaticClient("kefu-e2e")})
    try:
        provider.start()
    except ProviderUnavailable as exc:
        server.stop()
        if os.environ.get("KEFU_CI") == "1":
            pytest.fail(f"the test OpenID provider cannot run: {exc}")
        pytest.skip(f"the test OpenID provider cannot run: {exc}")
    finally:
        provider_module.PUBLIC_URL = saved
    yield server, provider
    provider.stop()
    server.stop()


@pytest_asyncio.fixture(loop_scope="session")
async def idp(oidc_server):
    from tests.identity.support import idp_tenant

    server, provider = oidc_server
    made = await idp_tenant(provider, domains=("corp.test",))
    member = await factories.member(made.tenant, ["agent"], name="Dana 单点登录", locale="zh_CN")
    return server, made.tenant, member


async def test_a_member_signs_in_through_the_tenants_provider(browser, idp):
    server, tenant, member = idp
    from kefu.accounts.tables import User

    email = f"dana-{uuid.uuid4().hex[:6]}@corp.test"  # the provider's login is the email
    await User.update({User.email: email}).where(User.id == member.id)
    base_url = await server.ready()
    context, tab = await new_tab(browser, base_url)
    try:
        await tab.goto(f"/t/{tenant.slug}/signin")
        await tab.locator("#oidc-signin").click()
        # The provider's own development login form, then its consent form.
        await tab.locator("input[name=login]").fill(email)
        await tab.locator("input[name=password]").fill("any-password")
        await tab.locator("button[type=submit]").click()
        await tab.locator("button[type=submit]").click()
        await expect(tab).to_have_url(re.compile(rf"^{re.escape(base_url)}/t/{tenant.slug}/?$"))
        await expect(tab.locator(".kefu-tenant-name")).to_have_text(tenant.name)
        await expect(tab.locator("main mark").filter(has_text="客服岗")).to_have_count(1)
        # Sign-out ends the provider's session too (RP-initiated logout): the page's form may
        # lead there, the provider asks, and sends the browser back to the tenant's sign-in page.
        await tab.locator("header form[action='/signout'] button").click()
        await expect(tab).to_have_url(re.compile(r"/session/end"))
        await tab.locator("button[type=submit]").first.click()
        await expect(tab).to_have_url(re.compile(rf"^{re.escape(base_url)}/t/{tenant.slug}/signin"))
        assert (await tab.request.get(f"{base_url}/t/{tenant.slug}/", max_redirects=0)).status in (302, 303, 401)
    finally:
        await context.close()
