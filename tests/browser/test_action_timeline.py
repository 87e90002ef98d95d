"""The action page's History timeline in Chromium: no WCAG 2.2 A/AA violations
for the chair, a partner and an anonymous visitor; reflow at 320px with long
values in the changes."""

import datetime as dt

import pytest
from django.urls import reverse

from tests.browser.conftest import axe_violations, has_horizontal_scroll
from tests.workstreams.fixtures import build_world
from workstreams import services
from workstreams.models import Workplan

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def world(role_users):
    world = build_world(role_users, own_status=Workplan.Status.SIGNED_OFF)
    chair = world.users["chair"]
    chair.first_name, chair.last_name = "Alex", "Chair"
    chair.save()
    services.action_update(
        action=world.action,
        title="Damp and mould taskforce, " + "withaverylongunbrokenword" * 4,
        status="in_progress",
        rag="amber",
        due_date=dt.date(2025, 6, 30),
        principles=world.principles,
        recommendations=[world.recommendation],
    )
    services.progress_update_create(
        action=world.action,
        reported_on=dt.date(2025, 1, 15),
        text="Forty homes inspected.",
        status="on_hold",
        rag="red",
        author=chair,
    )
    return world


def test_the_timeline_has_no_wcag_violations(world, open_page):
    path = reverse("action-detail", args=[world.action.pk])
    for user in (world.users["chair"], world.users["partner"], None):
        page = open_page(path, user=user)
        assert page.status == 200
        history = page.locator("ol[aria-labelledby=history] > li")
        assert history.count() == 3  # the update, the change, created
        newest = " ".join(history.first.text_content().split())
        assert "Status: changed from In progress → to On hold" in newest
        assert axe_violations(page) == [], user
        assert page.js_errors == []


def test_the_timeline_reflows_at_320_pixels(world, open_page):
    page = open_page(
        reverse("action-detail", args=[world.action.pk]),
        user=world.users["chair"],
        width=320,
    )
    assert page.status == 200
    assert not has_horizontal_scroll(page)
