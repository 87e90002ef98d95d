"""Browser tests: Playwright driving Debian's Chromium against the live server.

Chromium comes from Debian (``apt-get install chromium``), never from a
Playwright download. Without it these tests skip, unless ``REQUIRE_BROWSER=1``
(set by ``.ci/run``) makes that a failure.
"""

import os
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

# Playwright's sync API keeps an event loop in this thread; the ORM calls the
# tests make between page actions are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = Path(os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]


def pytest_collection_modifyitems(items):
    here = Path(__file__).parent
    for item in items:
        if Path(str(item.fspath)).is_relative_to(here):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        message = f"Chromium not found at {CHROMIUM} (apt-get install chromium)"
        if os.environ.get("REQUIRE_BROWSER"):
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
        )
        yield chromium
        chromium.close()


@pytest.fixture
def open_page(browser, live_server):
    """``open_page(path, user=None, width=1280, javascript=True)``: a new browser
    context signed in as ``user`` (via a session cookie), at ``path``."""
    contexts = []

    def open_(path: str, *, user=None, width: int = 1280, javascript: bool = True):
        context = browser.new_context(
            viewport={"width": width, "height": 900},
            java_script_enabled=javascript,
            base_url=live_server.url,
        )
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
        errors = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.js_errors = errors
        response = page.goto(path)
        page.status = response.status if response else None
        return page

    yield open_
    for context in contexts:
        context.close()


def axe_violations(page) -> list[str]:
    """WCAG 2.0/2.1/2.2 A and AA violations on the page, one line each."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
    lines = []
    for violation in results.response["violations"]:
        targets = [", ".join(node["target"]) for node in violation["nodes"][:5]]
        lines.append(f"{violation['id']} ({violation['impact']}): {targets}")
    return lines


def has_horizontal_scroll(page) -> bool:
    """True when the page is wider than the viewport (fails WCAG 1.4.10 reflow)."""
    return page.evaluate(
        "() => document.documentElement.scrollWidth > window.innerWidth + 1"
    )


def first_tab_stop(page) -> str:
    """The text of the element the first Tab press focuses."""
    page.keyboard.press("Tab")
    return page.evaluate("() => document.activeElement.textContent.trim()")


def autocomplete_choose(page, field_id: str, text: str) -> None:
    """Choose ``text`` in a GOV.UK accessible autocomplete (a long select
    enhanced by static/js/autocomplete.js): type it, then pick the option."""
    page.wait_for_selector("html[data-marmot-autocomplete=ready]", state="attached")
    page.fill(f"#{field_id}", text)
    page.locator(f"#{field_id}__listbox li", has_text=text).first.click()
