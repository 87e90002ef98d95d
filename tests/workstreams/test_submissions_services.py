"""The submission services: emails on every submission, resubmission and
decision (whoever calls them), editing only while undecided, by the submitting
organisation, against the version read."""

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from marmot.site.mail import absolute_url
from tests.workstreams.factories import SubmissionFactory
from tests.workstreams.fixtures import build_submission_world
from workstreams import services
from workstreams.models import Action, Submission

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(role_users):
    return build_submission_world(role_users)


def fresh(submission):
    return Submission.objects.get(pk=submission.pk)


def test_a_new_submission_emails_the_chair_and_deputies(
    world, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        made = services.submission_create(
            organisation=world.org,
            submitted_by=world.users["partner"],
            workstream=world.own,
            title="Winter warmth checks",
            description="Home visits.",
            lead_contact="Jo",
        )
    [message] = mail.outbox
    assert sorted(message.to) == ["chair@example.org", "deputy@example.org"]
    assert message.subject == (
        "New submission for Housing and communities: Winter warmth checks"
    )
    assert "Testshire Housing Trust has proposed an action" in message.body
    assert absolute_url("/workstreams/housing/submissions/") in message.body
    assert absolute_url(f"/submissions/{made.pk}/") in message.body


def test_no_email_when_the_transaction_rolls_back(
    world, django_capture_on_commit_callbacks
):
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(ValidationError),
    ):
        services.submission_create(
            organisation=world.org,
            submitted_by=world.users["partner"],
            workstream=world.own,
            title="",
            description="x",
            lead_contact="Jo",
        )
    assert mail.outbox == []
    assert Submission.objects.count() == 2


@pytest.mark.parametrize(
    "decide, subject, words",
    [
        (
            lambda s, u: services.submission_accept(submission=s, user=u),
            "Accepted: Warm spaces in libraries",
            "It is now an action in the Housing and communities workplan 2024/25",
        ),
        (
            lambda s, u: services.submission_reject(
                submission=s, user=u, reason="Already funded elsewhere."
            ),
            "Not accepted: Warm spaces in libraries",
            "The reason: Already funded elsewhere.",
        ),
        (
            lambda s, u: services.submission_request_info(
                submission=s, user=u, reason="Which libraries & when?"
            ),
            "More information needed: Warm spaces in libraries",
            "The chair asks for more information. Their message, now in the "
            "submission's conversation:\nWhich libraries & when?",
        ),
    ],
)
def test_each_decision_emails_the_submitter(
    world, django_capture_on_commit_callbacks, decide, subject, words
):
    with django_capture_on_commit_callbacks(execute=True):
        decide(world.submission, world.users["chair"])
    [message] = mail.outbox
    assert message.to == ["partner@example.org"]
    assert message.subject == subject
    assert words in message.body  # plain text: "&" not escaped
    assert absolute_url(f"/submissions/{world.submission.pk}/") in message.body


def test_more_info_then_edit_is_a_resubmission(
    world, django_capture_on_commit_callbacks
):
    chair, partner = world.users["chair"], world.users["partner"]
    services.submission_request_info(
        submission=world.submission, user=chair, reason="Costs?"
    )
    asked = fresh(world.submission)
    assert (asked.status, asked.row_version) == ("more_info", 2)
    with django_capture_on_commit_callbacks(execute=True):
        saved = services.submission_update(
            submission=asked,
            user=partner,
            expected_row_version=2,
            description="Three libraries; £4,000 for heating and staff.",
            principles=[world.principles[0]],
        )
    saved = fresh(saved)
    assert saved.status == "submitted"
    assert saved.row_version == 3
    assert saved.description == "Three libraries; £4,000 for heating and staff."
    assert list(saved.principles.all()) == [world.principles[0]]
    assert saved.decision_reason == "Costs?"  # what was asked stays on record
    [message] = mail.outbox
    assert sorted(message.to) == ["chair@example.org", "deputy@example.org"]
    assert message.subject == (
        "Resubmitted for Housing and communities: Warm spaces in libraries"
    )
    assert "What was asked: Costs?" in message.body
    assert absolute_url("/workstreams/housing/submissions/") in message.body
    # and it can be decided again
    accepted = services.submission_accept(submission=saved, user=chair)
    assert accepted.action.description == saved.description


def test_an_edit_while_submitted_sends_no_email(
    world, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.submission_update(
            submission=world.submission, user=world.users["partner"], title="New"
        )
    assert mail.outbox == []
    assert (fresh(world.submission).title, fresh(world.submission).row_version) == (
        "New",
        2,
    )


def test_moving_to_another_workstream_tells_its_chairs(
    world, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.submission_update(
            submission=world.submission,
            user=world.users["partner"],
            workstream=world.other,
        )
    [message] = mail.outbox
    assert message.to == ["other_chair@example.org"]


def test_a_stale_version_is_refused_and_nothing_changes(world):
    services.submission_update(
        submission=world.submission, user=world.users["officer"], title="Officer's"
    )
    with pytest.raises(ValidationError) as error:
        services.submission_update(
            submission=world.submission,
            user=world.users["partner"],
            expected_row_version=1,
            title="Partner's",
        )
    assert error.value.code == "stale"
    assert "Someone else changed this submission" in error.value.messages[0]
    assert (fresh(world.submission).title, fresh(world.submission).row_version) == (
        "Officer's",
        2,
    )


@pytest.mark.parametrize("role", ["other_partner", "chair", "oversight"])
def test_only_the_submitting_organisation_or_an_officer_may_edit(world, role):
    with pytest.raises(PermissionDenied):
        services.submission_update(
            submission=world.submission, user=world.users[role], title="Hijacked"
        )
    assert fresh(world.submission).title == "Warm spaces in libraries"


@pytest.mark.parametrize("status", ["accepted", "rejected"])
def test_a_decided_submission_cannot_be_edited(world, status):
    if status == "accepted":
        services.submission_accept(
            submission=world.submission, user=world.users["officer"]
        )
    else:
        services.submission_reject(
            submission=world.submission, user=world.users["officer"], reason="No"
        )
    with pytest.raises(ValidationError, match="can no longer be changed"):
        services.submission_update(
            submission=world.submission, user=world.users["partner"], title="Later"
        )


def test_an_edit_checks_the_activity_and_link_like_a_new_one(world):
    with pytest.raises(ValidationError) as error:
        services.submission_update(
            submission=world.submission,
            user=world.users["partner"],
            supports_activity=world.other_activity,
            evidence_url="javascript:alert(1)",
        )
    assert set(error.value.message_dict) == {"supports_activity", "evidence_url"}
    assert fresh(world.submission).row_version == 1


def test_an_edit_refuses_fields_it_does_not_own(world):
    with pytest.raises(TypeError, match="organisation"):
        services.submission_update(
            submission=world.submission,
            user=world.users["partner"],
            organisation=world.other_org,
        )


def test_accepting_a_title_the_workplan_has_is_a_workplan_error(world):
    submission = SubmissionFactory(
        organisation=world.org, workstream=world.own, title=world.action.title
    )
    with pytest.raises(ValidationError) as error:
        services.submission_accept(submission=submission, user=world.users["officer"])
    assert list(error.value.message_dict) == ["workplan"]
    assert fresh(submission).status == "submitted"
    assert Action.objects.filter(title=world.action.title).count() == 1


def test_the_accepted_action_is_led_by_the_partner_who_submitted_it(world):
    """So the partner, not the chair, gets its reminders (send_reminders)."""
    accepted = services.submission_accept(
        submission=world.submission, user=world.users["chair"]
    )
    action = Action.objects.get(pk=accepted.action_id)
    assert action.lead_user == world.users["partner"]
    assert action.lead_organisation == world.org
    assert action.lead_person == world.submission.lead_contact
