"""The submissions pages in Chromium: axe finds no WCAG 2.2 A/AA violation on
the form (blank and with errors), its confirmation, the list, a submission's
page and the moderation queue, each as the partner and the chair who use it;
the error summary of a bad form takes focus and links to the fields; the
pages reflow at 320px."""

import pytest
from django.urls import reverse

from tests.browser.conftest import (
    autocomplete_choose,
    axe_violations,
    has_horizontal_scroll,
)
from tests.workstreams.fixtures import build_submission_world
from workstreams import services
from workstreams.models import Submission

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def world(role_users):
    world = build_submission_world(role_users)
    services.submission_request_info(
        submission=world.other_submission,
        user=world.users["chair"],
        reason="Which homes, and when?",
    )
    return world


def check(page):
    assert page.status == 200
    assert axe_violations(page) == []
    assert not page.js_errors


@pytest.mark.parametrize("role", ["partner", "chair"])
def test_every_submissions_page_is_accessible(world, open_page, role):
    user = world.users[role]
    urls = [
        reverse("submission-list"),
        reverse("submission-detail", args=[world.submission.pk]),
    ]
    if role == "partner":
        urls += [
            reverse("submission-create"),
            reverse("submission-edit", args=[world.submission.pk]),
            reverse("submission-sent", args=[world.submission.pk]),
        ]
    else:
        urls += [reverse("submission-queue", args=[world.own.slug])]
    for url in urls:
        page = open_page(url, user=user)
        check(page)
        narrow = open_page(url, user=user, width=320)
        assert not has_horizontal_scroll(narrow), url


def test_a_bad_form_leads_to_each_field_through_the_error_summary(world, open_page):
    page = open_page(reverse("submission-create"), user=world.users["partner"])
    page.fill("#id_title", "Winter warmth checks")
    page.fill("#id_evidence_url", "javascript:alert(1)")
    autocomplete_choose(page, "id_supports_activity", world.other_activity.text)
    page.fill("#id_end_date_day", "31")
    page.fill("#id_end_date_month", "2")
    page.fill("#id_end_date_year", "2025")
    with page.expect_navigation():
        page.get_by_role("button", name="Continue").click()
    assert page.title().startswith("Error: Propose an action")
    summary = page.locator(".govuk-error-summary")
    links = summary.locator("a").all_inner_texts()
    assert links == [
        "Choose a workstream",
        "Enter a description",
        "Enter a real date, for example 27 3 2026",
        "Enter the lead contact",
        "Enter a link that starts with http:// or https://, or leave it blank",
    ]
    # GOV.UK's error summary takes focus; a link moves focus to its field.
    focused = page.evaluate("() => document.activeElement.className")
    assert "govuk-error-summary" in focused
    summary.get_by_role("link", name="Enter the lead contact").click()
    assert page.evaluate("() => document.activeElement.id") == "id_lead_contact"
    assert axe_violations(page) == []
    assert Submission.objects.count() == 2


def test_a_partner_submits_without_javascript(world, open_page):
    page = open_page(
        reverse("submission-create"), user=world.users["partner"], javascript=False
    )
    page.select_option("#id_workstream", str(world.own.pk))
    page.check("#id_principles_0")
    page.fill("#id_title", "Winter warmth checks")
    page.fill("#id_description", "Home visits to check heating.")
    page.fill("#id_lead_contact", "Jo Bloggs")
    page.select_option("#id_supports_activity", str(world.activities[0].pk))
    with page.expect_navigation():
        page.get_by_role("button", name="Continue").click()
    assert page.locator("h1").inner_text().startswith("Check your answers")
    with page.expect_navigation():
        page.get_by_role("button", name="Send submission").click()
    assert page.locator("h1").inner_text() == "Submission sent"
    made = Submission.objects.get(title="Winter warmth checks")
    assert made.supports_activity == world.activities[0]


def test_the_chair_decides_with_a_reason_error_first(world, open_page):
    page = open_page(
        reverse("submission-detail", args=[world.submission.pk]),
        user=world.users["chair"],
    )
    page.get_by_label("Reject", exact=True).check()
    with page.expect_navigation():
        page.get_by_role("button", name="Save decision").click()
    assert page.title().startswith("Error: Warm spaces in libraries")
    check(page)
    page.get_by_label("Reject", exact=True).check()
    page.fill("#id_reason", "Already funded by the council.")
    with page.expect_navigation():
        page.get_by_role("button", name="Save decision").click()
    assert (
        "Submission rejected" in page.locator(".govuk-notification-banner").inner_text()
    )
    check(page)
    assert Submission.objects.get(pk=world.submission.pk).status == "rejected"
