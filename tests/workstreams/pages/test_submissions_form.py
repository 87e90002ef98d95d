"""Making a submission at /submit/ as a partner (and an officer, who chooses
the organisation): what is saved, the confirmation, field errors with nothing
saved (forged activities and links included), and the rate limit."""

import pytest
from django.core import mail
from django.test import override_settings
from django.urls import reverse

from tests.workstreams.fixtures import (
    build_submission_world,
    date,
    submission_form_data,
    submission_send,
    summary_links,
)
from workstreams.models import Submission

pytestmark = pytest.mark.django_db

URL = "/submit/"


@pytest.fixture
def world(role_users):
    return build_submission_world(role_users)


def count():
    return Submission.objects.count()


def test_the_form_groups_current_activities_by_workstream(world, client_as):
    html = client_as(world.users["partner"]).get(URL).content.decode()
    assert '<optgroup label="Housing and communities">' in html
    assert '<optgroup label="Work and skills">' in html
    assert "Retrofit council homes" in html and "Apprenticeships for young" in html
    assert "Old activity no longer in the model" not in html  # superseded model
    assert "Homes retrofitted" not in html  # an output, not an activity
    assert 'name="organisation"' not in html  # a partner submits for their own
    assert 'id="id_start_date_day"' in html and 'id="id_end_date_year"' in html
    assert reverse("submission-create") == URL


def test_a_partner_submits_for_their_organisation(
    world, client_as, django_capture_on_commit_callbacks
):
    client = client_as(world.users["partner"])
    with django_capture_on_commit_callbacks(execute=True):
        response = submission_send(client, submission_form_data(world))
    made = Submission.objects.get(title="Winter warmth checks")
    assert response["Location"] == reverse("submission-sent", args=[made.pk])
    assert made.organisation == world.org
    assert made.submitted_by == world.users["partner"]
    assert (made.workstream, made.status, made.row_version) == (
        world.own,
        "submitted",
        1,
    )
    assert str(made.start_date) == "2024-10-01" and str(made.end_date) == "2025-03-31"
    assert made.supports_activity == world.activities[1]
    assert made.supports_recommendation == world.recommendation
    assert made.evidence_url == "https://example.org/evidence"
    assert set(made.principles.all()) == set(world.principles)
    [message] = mail.outbox
    assert sorted(message.to) == ["chair@example.org", "deputy@example.org"]
    sent = client.get(response["Location"]).content.decode()
    assert "Submission sent" in sent and "govuk-panel--confirmation" in sent
    assert f'href="{reverse("submission-detail", args=[made.pk])}"' in sent


def test_an_officer_chooses_the_organisation(world, client_as):
    client = client_as(world.users["officer"])
    assert 'name="organisation"' in client.get(URL).content.decode()
    missing = client.post(URL, submission_form_data(world))
    assert summary_links(missing) == [("id_organisation", "Choose the organisation")]
    submission_send(
        client, submission_form_data(world, organisation=world.other_org.pk)
    )
    made = Submission.objects.get(title="Winter warmth checks")
    assert made.organisation == world.other_org
    assert made.submitted_by == world.users["officer"]


def test_optional_fields_may_be_left_out(world, client_as):
    data = submission_form_data(
        world,
        principles=None,
        evidence_url="",
        supports_activity="",
        supports_recommendation="",
        **date("start_date", "", "", ""),
        **date("end_date", "", "", ""),
    )
    response = submission_send(client_as(world.users["partner"]), data)
    assert response.status_code == 302
    made = Submission.objects.get(title="Winter warmth checks")
    assert (made.start_date, made.supports_activity, made.evidence_url) == (
        None,
        None,
        "",
    )


@pytest.mark.parametrize(
    "overrides, anchor, message",
    [
        ({"title": ""}, "id_title", "Enter a title"),
        ({"description": "  "}, "id_description", "Enter a description"),
        ({"lead_contact": ""}, "id_lead_contact", "Enter the lead contact"),
        ({"workstream": ""}, "id_workstream", "Choose a workstream"),
        ({"workstream": "99999"}, "id_workstream", "Choose a workstream from the list"),
        (
            date("end_date", "1", "1", "2024"),
            "id_end_date_day",
            "The end date must be the same as or after the start date.",
        ),
        (
            date("start_date", "31", "2", "2025"),
            "id_start_date_day",
            "Enter a real date, for example 27 3 2026",
        ),
        (
            {"evidence_url": "javascript:alert(document.cookie)"},
            "id_evidence_url",
            "Enter a link that starts with http:// or https://, or leave it blank",
        ),
        (
            {"evidence_url": "ftp://example.org/report.pdf"},
            "id_evidence_url",
            "Enter a link that starts with http:// or https://, or leave it blank.",
        ),
        (
            {"supports_activity": "OTHER"},
            "id_supports_activity",
            "Choose an activity of the Housing and communities workstream, or none.",
        ),
        (
            {"supports_activity": "OLD"},
            "id_supports_activity",
            "Choose an activity from the list",
        ),
        (
            {"principles": ["999"]},
            "id_principles_0",
            "Select principles from the list",
        ),
    ],
)
def test_bad_or_forged_input_is_a_field_error_and_saves_nothing(
    world, client_as, overrides, anchor, message
):
    forged = {"OTHER": world.other_activity.pk, "OLD": world.old_activity.pk}
    if overrides.get("supports_activity") in forged:
        overrides = {"supports_activity": forged[overrides["supports_activity"]]}
    before = count()
    response = client_as(world.users["partner"]).post(
        URL, submission_form_data(world, **overrides)
    )
    assert response.status_code == 200
    assert summary_links(response) == [(anchor, message)]
    html = response.content.decode()
    assert "<title>Error: Propose an action" in html
    assert count() == before
    assert mail.outbox == []


def test_a_mismatched_activity_keeps_what_was_typed(world, client_as):
    response = client_as(world.users["partner"]).post(
        URL, submission_form_data(world, supports_activity=world.other_activity.pk)
    )
    html = response.content.decode()
    assert 'value="Winter warmth checks"' in html
    assert f'<option value="{world.other_activity.pk}" selected>' in html


@override_settings(RATE_LIMITS={"submission": "2/hour"})
def test_posts_beyond_the_rate_limit_get_429_and_save_nothing(world, client_as):
    client = client_as(world.users["partner"])
    for n in range(2):
        submission_send(client, submission_form_data(world, title=f"Attempt {n}"))
    assert count() == 4
    refused = submission_send(client, submission_form_data(world, title="One too many"))
    assert refused.status_code == 429
    assert b"Too many attempts" in refused.content
    assert count() == 4
    assert client.get(URL).status_code == 200  # reading the form is not limited
