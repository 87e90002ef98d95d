"""Consultation comments: the service (who may comment, when, what is recorded
and who is emailed) and the rules of who reads which comments."""

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from tests.workstreams.factories import (
    UserFactory,
)
from tests.workstreams.fixtures import build_world, partner_of
from workstreams import rules, services
from workstreams.models import Workplan, WorkplanComment

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(role_users):
    world = build_world(role_users, own_status=Workplan.Status.CONSULTATION)
    world.deputy = UserFactory(username="deputy", email="deputy@example.org")
    world.own.deputies.add(world.deputy)
    world.own.chair.email = "chair@example.org"
    world.own.chair.save()
    return world


def comment(world, role_or_user, body="Please add a priority on damp.", **kw):
    author = role_or_user
    if isinstance(role_or_user, str):
        author = world.users[role_or_user]
    return services.workplan_comment_create(
        workplan=kw.get("workplan", world.workplan), author=author, body=body
    )


def test_a_partners_comment_records_their_organisation_and_emails_the_chairs(
    world, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        saved = comment(world, "partner", body="  Add <b>damp</b> checks & more.  ")
    assert saved.organisation == world.org
    assert saved.author == world.users["partner"]
    assert saved.body == "Add <b>damp</b> checks & more."
    [message] = mail.outbox
    assert sorted(message.to) == ["chair@example.org", "deputy@example.org"]
    assert "Housing and communities" in message.subject and "2024/25" in message.subject
    assert "Testshire Housing Trust" in message.body
    assert "Add <b>damp</b> checks & more." in message.body  # plain text, as typed
    assert f"/workplans/{world.workplan.pk}/comments/" in message.body


def test_chairs_and_officers_comment_without_an_organisation_and_never_email_themselves(
    world, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        by_chair = comment(world, "chair")
        by_officer = comment(world, "officer")
    assert by_chair.organisation is None and by_officer.organisation is None
    assert [sorted(m.to) for m in mail.outbox] == [
        ["deputy@example.org"],
        ["chair@example.org", "deputy@example.org"],
    ]


@pytest.mark.parametrize("role", ["oversight", "other_chair"])
def test_oversight_and_other_chairs_may_not_comment(world, role):
    assert not rules.can_comment_on_workplan(world.users[role], world.workplan)
    with pytest.raises(PermissionDenied):
        comment(world, role)
    assert not WorkplanComment.objects.exists()


@pytest.mark.parametrize("status", [Workplan.Status.DRAFT, Workplan.Status.SIGNED_OFF])
def test_only_while_in_consultation(world, status):
    Workplan.objects.filter(pk=world.workplan.pk).update(
        status=status, signed_off_on="2024-05-01"
    )
    for role in ("partner", "chair", "officer"):
        with pytest.raises(ValidationError, match="no longer in consultation"):
            comment(world, role)  # the service re-reads the status
    assert not WorkplanComment.objects.exists()
    assert mail.outbox == []


@pytest.mark.parametrize(
    ("body", "message"),
    [("   ", "Enter your comment"), ("x" * 5001, "5,000 characters or fewer")],
)
def test_empty_or_overlong_comments_are_refused(world, body, message):
    with pytest.raises(ValidationError) as caught:
        comment(world, "partner", body=body)
    assert message in caught.value.message_dict["body"][0]
    assert not WorkplanComment.objects.exists()


def test_partners_read_their_own_organisations_comments_others_read_all(world):
    colleague = partner_of(world.org, "colleague")
    stranger = partner_of(world.other_org, "stranger")
    mine = comment(world, "partner")
    ours = comment(world, colleague)
    theirs = comment(world, stranger)
    chairs = comment(world, "chair")
    everything = WorkplanComment.objects.all()

    def readable(user):
        return set(rules.visible_workplan_comments(user, everything, world.own.pk))

    assert readable(world.users["partner"]) == {mine, ours}
    assert readable(stranger) == {theirs}
    for role in ("chair", "oversight", "officer"):
        assert readable(world.users[role]) == {mine, ours, theirs, chairs}
    assert readable(world.users["other_chair"]) == set()
    assert readable(None) == set()
