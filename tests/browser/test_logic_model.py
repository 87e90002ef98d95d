"""The logic model page in Chromium: accessible, reflows, prints the model."""

import pytest
from django.urls import reverse

from tests.browser.conftest import axe_violations, has_horizontal_scroll
from tests.workstreams.pages.fixtures import build_logic_model

pytestmark = pytest.mark.django_db(transaction=True)


def url(workstream, query=""):
    path = reverse("workstream-logic-model", args=[workstream.slug])
    return f"{path}?{query}" if query else path


@pytest.mark.parametrize(
    ("role", "query"), [("anonymous", ""), ("officer", "compare=1")]
)
def test_no_wcag_violations(open_page, role_users, role, query):
    workstream = build_logic_model(actions=3)
    users = role_users(chair_of=workstream)
    page = open_page(url(workstream, query), user=users[role])
    assert page.status == 200
    assert axe_violations(page) == []
    assert page.js_errors == []


@pytest.mark.parametrize("role", ["anonymous", "officer"])
def test_reflows_at_320_pixels(open_page, role_users, role):
    workstream = build_logic_model(actions=3)
    users = role_users(chair_of=workstream)
    query = "compare=1" if role == "officer" else ""
    page = open_page(url(workstream, query), user=users[role], width=320)
    assert not has_horizontal_scroll(page)


def test_columns_flow_left_to_right_on_a_wide_screen_and_stack_on_a_phone(
    open_page,
):
    workstream = build_logic_model()
    wide = open_page(url(workstream))
    boxes = [c.bounding_box() for c in wide.locator(".marmot-lm__column").all()]
    assert len(boxes) == 4
    assert [b["x"] for b in boxes] == sorted(b["x"] for b in boxes)
    assert len({round(b["y"]) for b in boxes}) == 1  # one row
    narrow = open_page(url(workstream), width=320)
    boxes = [c.bounding_box() for c in narrow.locator(".marmot-lm__column").all()]
    assert [b["y"] for b in boxes] == sorted(b["y"] for b in boxes)
    assert len({round(b["x"]) for b in boxes}) == 1  # one column
    # the arrows are decoration only: hidden from assistive technology
    assert narrow.locator(".marmot-lm__arrow[aria-hidden='true']").count() == 3


def test_the_version_form_compares_without_javascript(open_page, role_users):
    workstream = build_logic_model()
    users = role_users()
    page = open_page(url(workstream), user=users["oversight"], javascript=False)
    page.select_option("#id_compare", "1")
    page.click("button:has-text('Show')")
    assert "compare=1" in page.url
    heading = page.locator("#compare-heading").inner_text()
    assert heading == "What changed from version 1 to version 2"
    assert page.locator(".marmot-lm-changes .govuk-tag", has_text="Removed").count()


def test_printing_hides_navigation_and_forms(open_page, role_users):
    workstream = build_logic_model()
    users = role_users()
    page = open_page(url(workstream), user=users["oversight"])
    page.emulate_media(media="print")
    assert not page.locator(".govuk-service-navigation").is_visible()
    assert not page.locator(".govuk-breadcrumbs").is_visible()
    assert not page.locator("form[method='get']").is_visible()
    assert page.locator(".marmot-lm").is_visible()
