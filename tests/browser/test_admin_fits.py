"""Every admin list page an officer may open fits a 1280-pixel-wide window in
Chromium, on Luton's data with long text in the rows that Luton leaves empty:
neither the page nor the list scrolls sideways (headings and long text wrap
in their columns; what an officer does not scan is on the row's own page)."""

import pytest
from django.conf import settings
from django.contrib import admin
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from marmot import roles
from tests.conftest import user_with_role
from tests.workstreams.factories import (
    InvitationFactory,
    ProgressUpdateFactory,
    ReminderSentFactory,
    SubmissionFactory,
    WorkplanCommentFactory,
)
from workstreams.models import Action

pytestmark = pytest.mark.django_db(transaction=True)

LONG = "A long sentence that an officer typed without a pause " * 6


# The page, and the list's own scrolling box (Django's admin scrolls a wide
# table inside ".results" rather than the page: a sideways scroll all the same).
OVERFLOWS = """() => [
    document.documentElement, document.querySelector('#changelist .results')
  ]
  .filter((box) => box && box.scrollWidth > box.clientWidth)
  .map((box) => `${box.className || 'page'}: ${box.scrollWidth}px wide`
    + ` in ${box.clientWidth}px`)"""


def changelist_urls(user) -> list[str]:
    """The list page of every model registered in the admin that ``user``
    may view."""
    urls = []
    for model in admin.site._registry:
        opts = model._meta
        if user.has_perm(f"{opts.app_label}.view_{opts.model_name}") or user.has_perm(
            f"{opts.app_label}.change_{opts.model_name}"
        ):
            urls.append(reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"))
    return sorted(urls)


def long_rows(officer) -> None:
    action = Action.objects.order_by("pk").first()
    ProgressUpdateFactory(action=action, author=officer, text=LONG)
    SubmissionFactory(title=LONG[:200], description=LONG)
    InvitationFactory(email="a.very.long.address.for.a.partner@example.org")
    WorkplanCommentFactory(workplan=action.workplan, body=LONG)
    ReminderSentFactory(recipient=officer)


def test_every_admin_list_fits_1280_pixels(browser, live_server):
    call_command("load_luton", verbosity=0)
    officer = user_with_role(roles.OFFICER, username="officer", is_staff=True)
    long_rows(officer)
    urls = changelist_urls(officer)
    assert len(urls) > 20  # every list an officer works with

    client = Client()
    client.force_login(officer)
    context = browser.new_context(
        viewport={"width": 1280, "height": 900}, base_url=live_server.url
    )
    context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    page = context.new_page()
    too_wide = []
    try:
        for url in urls:
            response = page.goto(url)
            assert response.status == 200, url
            page.wait_for_selector("#changelist", state="attached")
            too_wide += [f"{url}: {line}" for line in page.evaluate(OVERFLOWS)]
    finally:
        context.close()
    assert too_wide == []
