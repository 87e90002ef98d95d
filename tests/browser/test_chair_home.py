"""The chair's landing page in Chromium: a chair signs in through the form and
lands on it; with things needing attention it has no WCAG 2.2 A/AA violation
and nothing scrolls sideways at 1280 and 375 px; each count links on."""

import datetime as dt

import pytest
from django.urls import reverse

from tests.browser.conftest import axe_violations, has_horizontal_scroll
from tests.workstreams.factories import ActionFactory, SubmissionFactory
from tests.workstreams.fixtures import build_world
from workstreams.models import Workplan

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def world(role_users):
    world = build_world(role_users, own_status=Workplan.Status.SIGNED_OFF)
    for n in range(7):
        ActionFactory(
            workplan=world.workplan,
            title=f"Overdue action {n} " + "withaverylongunbrokenword" * 3,
            due_date=dt.date(2025, 1, n + 1),
            rag="" if n % 2 else "red",
            lead_organisation=None if n == 3 else world.org,
        )
    SubmissionFactory(workstream=world.own, organisation=world.org)
    return world


def test_a_chair_signs_in_and_lands_on_an_accessible_page(world, open_page):
    page = open_page(reverse("login"))
    page.get_by_label("Username").fill(world.users["chair"].username)
    page.get_by_label("Password").fill("correct-horse-battery-staple")
    with page.expect_navigation():
        page.get_by_role("button", name="Sign in").click()
    assert page.url.endswith(reverse("chair-home"))
    assert page.get_by_role("heading", level=1).text_content() == "Your workstreams"
    housing = page.locator("section", has=page.locator("#workstream-housing"))
    waiting = housing.get_by_role("link", name="1 partner submission is waiting")
    assert waiting.get_attribute("href") == reverse(
        "submission-queue", args=[world.own.slug]
    )
    assert housing.get_by_role("link", name="8 actions are overdue").count() == 1

    for width in (1280, 375):
        page = open_page(reverse("chair-home"), user=world.users["chair"], width=width)
        page.wait_for_load_state("load")
        assert page.status == 200
        assert axe_violations(page) == [], width
        assert not has_horizontal_scroll(page), width
        assert page.js_errors == []
