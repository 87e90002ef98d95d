"""The Content-Security-Policy holds in a real browser: on the site's pages (with
their JavaScript running), the API docs and the admin, Chromium reports no CSP
violation, and the policy has no 'unsafe-inline' outside ReDoc's page, which
marmot.site.csp relaxes on purpose."""

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from indicators.models import Indicator
from workstreams.demo import demo_accounts_create
from workstreams.models import Action, Workstream

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def open_watched(browser, live_server):
    """``open_watched(path, user=None)``: the page, with ``page.console`` the
    console messages from before the first byte arrived (CSP violations are
    reported there), and ``page.csp`` the response's policy header."""
    contexts = []

    def open_(path: str, *, user=None):
        context = browser.new_context(base_url=live_server.url)
        contexts.append(context)
        if user is not None:
            client = Client()
            client.force_login(user)
            cookie = client.cookies[settings.SESSION_COOKIE_NAME]
            context.add_cookies(
                [
                    {
                        "name": settings.SESSION_COOKIE_NAME,
                        "value": cookie.value,
                        "url": live_server.url,
                    }
                ]
            )
        page = context.new_page()
        page.console = []
        page.on("console", lambda message: page.console.append(message.text))
        page.on("pageerror", lambda exc: page.console.append(str(exc)))
        response = page.goto(path)
        page.wait_for_load_state("networkidle")
        page.status = response.status
        page.csp = response.headers.get("content-security-policy", "")
        return page

    yield open_
    for context in contexts:
        context.close()


def csp_messages(page) -> list[str]:
    return [text for text in page.console if "Content Security Policy" in text]


def test_site_pages_have_a_strict_policy_and_no_violations(open_watched, luton):
    demo_accounts_create()
    users = get_user_model().objects
    first = Workstream.objects.order_by("display_order", "name").first()
    chair = users.get(username=f"chair-{first.slug}")
    action = Action.objects.filter(workplan__workstream=first).order_by("pk").first()
    code = Indicator.objects.order_by("code").values_list("code", flat=True).first()
    pages = [
        (reverse("home"), None),
        (reverse("dashboard"), None),
        (reverse("indicator-detail", args=[code]), None),
        (reverse("workstream-logic-model", args=[first.slug]), None),
        (reverse("action-detail", args=[action.pk]), chair),
        (reverse("workplan-manage", args=[first.slug]), chair),
        (reverse("submission-create"), users.get(username="partner")),
    ]
    problems = []
    for path, user in pages:
        page = open_watched(path, user=user)
        assert page.status == 200, path
        assert "default-src 'self'" in page.csp, path
        assert "unsafe-inline" not in page.csp, path
        assert "object-src 'none'" in page.csp and "frame-ancestors 'none'" in page.csp
        problems += [f"{path}: {text}" for text in csp_messages(page)]
    # The dashboard's filters still run (its script is allowed by the policy).
    page = open_watched(reverse("dashboard"))
    assert page.locator("body.js-enabled").count() == 1
    assert problems == []


def test_api_docs_and_admin_work_under_their_policies(open_watched, luton):
    demo_accounts_create()
    officer = get_user_model().objects.get(username="officer")
    problems = []
    docs = open_watched("/api/docs/")
    assert docs.status == 200
    assert "unsafe-inline" not in docs.csp
    docs.wait_for_selector(".swagger-ui .info", timeout=15000)
    problems += [f"/api/docs/: {text}" for text in csp_messages(docs)]
    redoc = open_watched("/api/redoc/")
    assert redoc.status == 200
    redoc.wait_for_selector(".api-content", timeout=15000)
    # ReDoc's "API docs by Redocly" logo comes from its CDN; the policy blocks
    # it on purpose (no third-party requests), and nothing else is affected.
    problems += [
        f"/api/redoc/: {text}"
        for text in csp_messages(redoc)
        if "https://cdn.redoc.ly/" not in text
    ]
    action = Action.objects.order_by("pk").first()
    admin_pages = ["/admin/", "/admin/workstreams/action/"]
    admin_pages.append(f"/admin/workstreams/action/{action.pk}/change/")
    # A form with autocomplete (select2) widgets.
    workstream = Workstream.objects.order_by("pk").first()
    admin_pages.append(f"/admin/workstreams/workstream/{workstream.pk}/change/")
    for path in admin_pages:
        admin = open_watched(path, user=officer)
        assert admin.status == 200, path
        assert "script-src 'self'" in admin.csp
        assert "unsafe-inline" not in admin.csp
        problems += [f"{path}: {text}" for text in csp_messages(admin)]
    assert problems == []
