"""Which organisations a chair may invite partners for (issue 14, finding 3).

A chair invites only for the organisations in their workstreams (leading an
action in their workplans, or with a submission to them); for any other an
officer sends the invitation. The rule is `rules.invitable_organisations`; the
service enforces it, so the page, the admin and any API agree, and the form
offers only those organisations."""

import re

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse

from tests.workstreams.factories import (
    ActionFactory,
    OrganisationFactory,
    PlaceFactory,
    SubmissionFactory,
    WorkplanFactory,
    WorkstreamFactory,
)
from workstreams import rules, services
from workstreams.models import Action, Invitation, Organisation

pytestmark = pytest.mark.django_db
NEW = reverse("invitation-create")


@pytest.fixture
def scope(role_users):
    """The chair chairs ``own``: ``leader`` leads an action in its workplan,
    ``submitter`` has a submission to it; ``elsewhere`` works only with the
    other workstream; ``stranger`` with none."""
    PlaceFactory()
    own, other = WorkstreamFactory(), WorkstreamFactory()
    users = role_users(chair_of=own, other=other)
    leader = OrganisationFactory(name="Leader Trust")
    submitter = OrganisationFactory(name="Submitter Charity")
    elsewhere = OrganisationFactory(name="Elsewhere College")
    stranger = OrganisationFactory(name="Stranger Ltd")
    ActionFactory(workplan=WorkplanFactory(workstream=own), lead_organisation=leader)
    SubmissionFactory(workstream=own, organisation=submitter)
    ActionFactory(
        workplan=WorkplanFactory(workstream=other), lead_organisation=elsewhere
    )
    return users, leader, submitter, elsewhere, stranger


def test_a_chair_may_invite_for_organisations_in_their_workstreams_only(scope):
    users, leader, submitter, elsewhere, stranger = scope
    chair = users["chair"]
    allowed = rules.invitable_organisations(chair, Organisation.objects.all())
    assert set(allowed) == {leader, submitter}
    assert set(
        rules.invitable_organisations(users["other_chair"], Organisation.objects.all())
    ) == {elsewhere}
    officer_sees = rules.invitable_organisations(
        users["officer"], Organisation.objects.all()
    )
    assert set(officer_sees) >= {leader, submitter, elsewhere, stranger}
    for role in ("partner", "oversight", "anonymous"):
        assert not rules.invitable_organisations(users[role], Organisation.objects)


def test_a_chair_cannot_invite_themselves_for_another_organisation(scope):
    """The attack: a chair invites an address of their own for an organisation
    of another workstream, to read its submissions there. Refused on the
    organisation, nothing saved, nothing emailed."""
    users, leader, _submitter, elsewhere, stranger = scope
    for organisation in (elsewhere, stranger):
        with pytest.raises(ValidationError) as caught:
            services.invitation_create(
                email="my.other.address@example.org",
                organisation=organisation,
                invited_by=users["chair"],
            )
        assert "Ask an officer" in caught.value.message_dict["organisation"][0]
    assert not Invitation.objects.exists()
    assert mail.outbox == []
    assert services.invitation_create(
        email="guest@example.org", organisation=leader, invited_by=users["chair"]
    ).pk
    assert services.invitation_create(
        email="guest2@example.org", organisation=stranger, invited_by=users["officer"]
    ).pk


def test_the_form_offers_only_the_chairs_organisations_and_refuses_others(
    scope, client_as
):
    users, leader, submitter, elsewhere, stranger = scope
    client = client_as(users["chair"])
    page = client.get(NEW).content.decode()
    offered = set(re.findall(r'<option value="(\d+)"', page))
    assert offered == {str(leader.pk), str(submitter.pk)}
    response = client.post(
        NEW, {"email": "me@example.org", "organisation": elsewhere.pk}
    )
    assert response.status_code == 200
    assert "Select an organisation from the list" in response.content.decode()
    assert not Invitation.objects.exists()
    officer_page = client_as(users["officer"]).get(NEW).content.decode()
    for organisation in (leader, submitter, elsewhere, stranger):
        assert f'<option value="{organisation.pk}"' in officer_page


def test_a_chair_cannot_resend_an_invitation_for_an_organisation_now_outside(
    scope, django_capture_on_commit_callbacks
):
    """An invitation a chair may no longer send (the organisation left their
    workstreams) cannot be resent by them; an officer may."""
    users, leader, *_ = scope
    invitation = services.invitation_create(
        email="guest@example.org", organisation=leader, invited_by=users["chair"]
    )
    Action.objects.filter(lead_organisation=leader).delete()
    with pytest.raises(ValidationError):
        services.invitation_resend(invitation=invitation, user=users["chair"])
    with django_capture_on_commit_callbacks(execute=True):
        services.invitation_resend(invitation=invitation, user=users["officer"])
    assert mail.outbox[-1].to == ["guest@example.org"]


def test_the_admin_refuses_an_organisation_outside_a_chairs_workstreams(scope):
    """The admin's add form asks the same rule (for a staff chair)."""
    from workstreams.admin.invitations import InvitationAddForm

    users, leader, _submitter, elsewhere, _stranger = scope
    form_class = type("F", (InvitationAddForm,), {"user": users["chair"]})
    refused = form_class(data={"email": "a@example.org", "organisation": elsewhere.pk})
    assert not refused.is_valid()
    assert "Ask an officer" in refused.errors["organisation"][0]
    allowed = form_class(data={"email": "a@example.org", "organisation": leader.pk})
    assert allowed.is_valid(), allowed.errors
