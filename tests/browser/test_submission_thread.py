"""Issue 17's partner journey in Chromium: the partner proposes an action
through the accessible autocomplete (the activity list narrowed to the chosen
workstream) and "Check your answers"; the chair asks for more information;
the partner replies in the thread and resubmits with a change; the chair
reads the conversation and what changed, and accepts, confirming dates
outside the workplan. axe finds nothing on each page."""

import pytest
from django.urls import reverse

from tests.browser.conftest import autocomplete_choose, axe_violations
from tests.workstreams.fixtures import build_world
from workstreams.models import Submission, SubmissionMessage, Workplan

pytestmark = pytest.mark.django_db(transaction=True)
TITLE = "Winter warmth home visits"


def click(page, name):
    with page.expect_navigation():
        page.get_by_role("button", name=name).click()


def test_partner_and_chair_talk_in_a_thread_then_the_chair_accepts(
    role_users, open_page
):
    world = build_world(role_users, own_status=Workplan.Status.SIGNED_OFF)
    chair_user, partner_user = world.users["chair"], world.users["partner"]
    chair_user.first_name, chair_user.last_name = "Chris", "Chair"
    chair_user.save()
    partner_user.first_name, partner_user.last_name = "Nadia", "Rahman"
    partner_user.save()

    # 1. The partner fills in the form; the activities narrow to the workstream.
    partner = open_page(reverse("submission-create"), user=partner_user)
    partner.wait_for_selector("html[data-marmot-autocomplete=ready]", state="attached")
    assert axe_violations(partner) == []
    described = partner.get_attribute("#id_supports_activity", "aria-describedby")
    assert "id_supports_activity-hint" in described  # the GOV.UK hint is kept
    partner.select_option("#id_workstream", str(world.own.pk))
    partner.fill("#id_supports_activity", "Apprenticeships")  # another workstream's
    partner.wait_for_selector("#id_supports_activity__listbox li")
    options = partner.locator("#id_supports_activity__listbox li").all_inner_texts()
    assert not any("Apprenticeships" in option for option in options)
    autocomplete_choose(partner, "id_supports_activity", world.activities[1].text)
    partner.check("#id_principles_0")
    partner.fill("#id_title", TITLE)
    partner.fill("#id_description", "Visits to check heating before winter.")
    partner.fill("#id_lead_contact", "Nadia Rahman")
    click(partner, "Continue")

    # 2. Check your answers; change one; send.
    assert partner.locator("h1").inner_text().startswith("Check your answers")
    assert axe_violations(partner) == []
    assert not Submission.objects.filter(title=TITLE).exists()
    with partner.expect_navigation():
        partner.get_by_role("link", name="Change lead contact").click()
    assert partner.input_value("#id_title") == TITLE
    partner.wait_for_selector("html[data-marmot-autocomplete=ready]", state="attached")
    assert partner.input_value("#id_supports_activity") == world.activities[1].text
    partner.fill("#id_lead_contact", "Nadia Rahman, Housing Trust")
    click(partner, "Continue")
    assert "Nadia Rahman, Housing Trust" in partner.inner_text("main")
    click(partner, "Send submission")
    assert partner.locator("h1").inner_text() == "Submission sent"
    submission = Submission.objects.get(title=TITLE)
    assert submission.supports_activity == world.activities[1]
    detail = reverse("submission-detail", args=[submission.pk])

    # 3. The chair asks for more information.
    chair = open_page(detail, user=chair_user)
    chair.get_by_label("Ask for more information").check()
    chair.fill("#id_reason", "When would the visits start and end?")
    click(chair, "Save decision")
    assert "More information requested" in chair.inner_text("main")

    # 4. The partner reads it in the thread, replies, then edits and resubmits.
    partner.goto(detail)
    thread = partner.locator("#conversation ~ ol").inner_text()
    assert "Request for information from Chris Chair" in thread
    assert "When would the visits start and end?" in thread
    assert axe_violations(partner) == []
    partner.fill("#id_body", "From November to March; dates follow.")
    click(partner, "Add message")
    assert "Message added to the conversation" in partner.inner_text("main")
    with partner.expect_navigation():
        partner.get_by_role("link", name="Edit and resubmit").click()
    partner.fill("#id_reply", "Dates added.")
    partner.fill("#id_start_date_day", "1")
    partner.fill("#id_start_date_month", "11")
    partner.fill("#id_start_date_year", "2024")
    partner.fill("#id_end_date_day", "30")
    partner.fill("#id_end_date_month", "4")
    partner.fill("#id_end_date_year", "2025")
    assert axe_violations(partner) == []
    click(partner, "Save and resubmit")
    submission.refresh_from_db()
    assert submission.status == Submission.Status.SUBMITTED
    assert submission.description == "Visits to check heating before winter."

    # 5. The chair sees the thread and what changed, and accepts with confirmation.
    chair.goto(detail)
    thread = chair.locator("#conversation ~ ol").inner_text()
    assert thread.index("Request for information") < thread.index("Dates added.")
    assert "Reply from Nadia Rahman" in thread
    changes = chair.locator("#changes ~ dl").first.inner_text()
    assert "Start date" in changes and "1 November 2024" in changes
    assert "30 April 2025" in changes
    assert axe_violations(chair) == []
    chair.get_by_label("Accept", exact=True).check()
    click(chair, "Save decision")
    assert chair.title().startswith("Error: ")  # outside 2024/25: confirm first
    assert "fall outside the 2024/25 workplan" in chair.inner_text(
        ".govuk-error-summary"
    )
    assert axe_violations(chair) == []
    chair.get_by_label("Accept", exact=True).check()
    chair.get_by_label("Yes, accept it into this workplan", exact=False).check()
    click(chair, "Save decision")
    submission.refresh_from_db()
    assert submission.status == Submission.Status.ACCEPTED
    assert SubmissionMessage.objects.filter(submission=submission).count() == 3
    for page in (partner, chair):
        assert page.js_errors == []
