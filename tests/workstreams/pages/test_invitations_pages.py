"""The invitations pages through the HTTP client: who may see and use them,
the list with each status, sending, withdrawing and resending, and accepting a
link (signed in afterwards; bad links answered with a page, not a crash)."""

import datetime as dt
import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import override_settings
from django.urls import Resolver404, reverse
from django.utils import timezone

from tests.workstreams.factories import (
    OrganisationFactory,
    PlaceFactory,
    UserFactory,
    WorkstreamFactory,
    organisation_in_every_workstream,
)
from workstreams import services
from workstreams.models import Invitation, OrganisationMembership
from workstreams.views import invitations

pytestmark = pytest.mark.django_db
User = get_user_model()
STRONG = "amber-kettle-orbit-97"
LIST, NEW = reverse("invitation-list"), reverse("invitation-create")


@pytest.fixture
def people(role_users):
    PlaceFactory()
    own, other = WorkstreamFactory(), WorkstreamFactory()
    return role_users(chair_of=own, other=other)


@pytest.fixture
def org(people):
    """An organisation in both chairs' workstreams."""
    return organisation_in_every_workstream("Testshire Food Bank")


@pytest.fixture
def invite(people, org, django_capture_on_commit_callbacks):
    def make(email="new.partner@example.org", by="officer"):
        with django_capture_on_commit_callbacks(execute=True):
            invitation = services.invitation_create(
                email=email, organisation=org, invited_by=people[by]
            )
        token = re.search(r"/accept/([\w-]+)/", mail.outbox[-1].body).group(1)
        return invitation, token

    return make


def accept_url(token):
    return reverse("invitation-accept", args=[token])


def accept_data(**overrides):
    return {
        "first_name": "Nadia",
        "last_name": "Rahman",
        "username": "nadia",
        "password": STRONG,
        "password_confirm": STRONG,
        **overrides,
    }


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("anonymous", 302),
        ("partner", 403),
        ("oversight", 403),
        ("chair", 200),
        ("other_chair", 200),
        ("officer", 200),
    ],
)
def test_who_may_open_the_list_and_the_form(people, client_as, role, status):
    client = client_as(people[role])
    for url in (LIST, NEW):
        response = client.get(url)
        assert response.status_code == status
        if status == 302:
            assert response["Location"].startswith(reverse("login"))


def test_the_list_shows_each_status_officers_all_chairs_their_own(
    invite, people, client_as
):
    opened, _t = invite(email="open@example.org")
    expired, _t = invite(email="expired@example.org")
    Invitation.objects.filter(pk=expired.pk).update(
        expires_at=timezone.now() - dt.timedelta(hours=1)
    )
    withdrawn, _t = invite(email="withdrawn@example.org")
    services.invitation_withdraw(invitation=withdrawn, user=people["officer"])
    _used, token = invite(email="used@example.org")
    services.invitation_accept(
        token=token, username="used", password=STRONG, first_name="U", last_name="S"
    )
    by_chair, _t = invite(email="chairs.guest@example.org", by="chair")

    html = client_as(people["officer"]).get(LIST).content.decode()
    rows = dict(
        re.findall(
            r'<td class="govuk-table__cell marmot-chair-break">'
            r"([^<]+)</td>.*?govuk-tag[^>]*>(\w+)<",
            html,
            re.S,
        )
    )
    assert rows == {
        "chairs.guest@example.org": "Open",
        "used@example.org": "Accepted",
        "withdrawn@example.org": "Withdrawn",
        "expired@example.org": "Expired",
        "open@example.org": "Open",
    }
    # Withdraw and resend only where they still mean something.
    assert html.count("Withdraw<span") == 3 and html.count("Resend<span") == 3
    assert opened.token_hash not in html

    chair_html = client_as(people["chair"]).get(LIST).content.decode()
    assert "chairs.guest@example.org" in chair_html
    assert "open@example.org" not in chair_html
    assert by_chair.pk
    other_html = client_as(people["other_chair"]).get(LIST).content.decode()
    assert "You have not sent any invitations yet." in other_html


def test_sending_an_invitation_from_the_form(
    people, org, client_as, django_capture_on_commit_callbacks
):
    client = client_as(people["chair"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            NEW, {"email": "Guest@Example.ORG", "organisation": org.pk}
        )
    assert response.status_code == 302 and response["Location"] == LIST
    invitation = Invitation.objects.get()
    assert (invitation.email, invitation.organisation) == ("Guest@example.org", org)
    assert invitation.invited_by == people["chair"]
    assert [m.to for m in mail.outbox] == [["Guest@example.org"]]
    page = client.get(LIST).content.decode()
    assert "Invitation sent to Guest@example.org for Testshire Food Bank." in page


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({}, "email", "Enter the email address of the person to invite"),
        ({"email": "not-an-email"}, "email", "Enter an email address in the correct"),
        ({"email": "a@example.org"}, "organisation", "Select the organisation"),
        ({"email": "taken@example.org"}, "email", "already has an account"),
    ],
)
def test_form_errors_are_shown_and_nothing_is_sent(
    people, org, client_as, data, field, message
):
    UserFactory(email="TAKEN@example.org")
    if "organisation" not in data and field != "organisation":
        data = {**data, "organisation": org.pk}
    response = client_as(people["officer"]).post(NEW, data)
    html = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in html
    assert f'href="#id_{field}"' in html and message in html
    assert not Invitation.objects.exists() and mail.outbox == []


@pytest.mark.parametrize(
    ("role", "outcome"),
    [
        ("anonymous", 302),
        ("partner", 403),
        ("oversight", 403),
        ("other_chair", 403),
        ("chair", "done"),
        ("officer", "done"),
    ],
)
@pytest.mark.parametrize("change", ["withdraw", "resend"])
def test_forged_withdraw_and_resend_requests(
    invite, people, client_as, role, outcome, change, django_capture_on_commit_callbacks
):
    invitation, _token = invite(by="chair")
    sent = len(mail.outbox)
    url = reverse(f"invitation-{change}", args=[invitation.pk])
    client = client_as(people[role])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url)
    invitation.refresh_from_db()
    if outcome == "done":
        assert response.status_code == 302 and response["Location"] == LIST
        if change == "withdraw":
            assert invitation.withdrawn_at is not None
        else:
            assert len(mail.outbox) == sent + 1
    else:
        assert response.status_code == outcome
        assert invitation.withdrawn_at is None and len(mail.outbox) == sent


def test_withdraw_is_post_only_and_unknown_ids_are_404(invite, people, client_as):
    invitation, _token = invite()
    client = client_as(people["officer"])
    assert (
        client.get(reverse("invitation-withdraw", args=[invitation.pk])).status_code
        == 405
    )
    assert client.post(reverse("invitation-withdraw", args=[999999])).status_code == 404


def test_withdrawing_twice_says_why_on_the_list(invite, people, client_as):
    invitation, _token = invite()
    client = client_as(people["officer"])
    client.post(reverse("invitation-withdraw", args=[invitation.pk]))
    client.post(reverse("invitation-withdraw", args=[invitation.pk]))
    page = client.get(LIST).content.decode()
    assert "was withdrawn. Send a new one instead." in page


def test_the_link_moves_its_token_out_of_the_address_and_is_never_cached(
    invite, client
):
    invitation, token = invite()
    response = client.get(accept_url(token))
    form_url = accept_url("make-account")
    assert response.status_code == 302 and response["Location"] == form_url
    assert response["Referrer-Policy"] == "no-referrer"
    assert "no-store" in response["Cache-Control"]
    page = client.get(form_url)
    assert page.status_code == 200
    assert "no-store" in page["Cache-Control"]
    # Not no-referrer here: a form on such a page is posted with "Origin: null",
    # which CSRF protection refuses. The address has no token to leak.
    assert page["Referrer-Policy"] == "same-origin"
    html = page.content.decode()
    assert token not in html
    assert "Make your account" in html and "Testshire Food Bank" in html
    assert invitation.email in html and f'action="{form_url}"' in html
    for name in ("given-name", "family-name", "username", "new-password"):
        assert f'autocomplete="{name}"' in html
    response = client.post(form_url, accept_data())
    assert response.status_code == 302
    assert User.objects.get(username="nadia").email == invitation.email
    assert "_invitation_token" not in client.session


def test_the_form_address_without_a_token_in_the_session_says_what_to_do(client):
    response = client.get(accept_url("make-account"))
    assert response.status_code == 404
    assert "Open the link in your invitation email again" in response.content.decode()
    assert client.post(accept_url("make-account"), accept_data()).status_code == 404
    assert not User.objects.filter(username="nadia").exists()


def test_accepting_signs_the_partner_in_and_lands_on_the_overview(invite, client):
    _invitation, token = invite()
    response = client.post(accept_url(token), accept_data())
    assert response.status_code == 302
    assert response["Location"] == invitations._landing()  # "/submissions/" or "/"
    user = User.objects.get(username="nadia")
    assert client.session["_auth_user_id"] == str(user.pk)
    assert OrganisationMembership.objects.get(user=user).organisation.name == (
        "Testshire Food Bank"
    )
    page = client.get("/").content.decode()
    assert "Your account is ready and you are signed in as nadia." in page
    again = client.post(accept_url(token), accept_data(username="second"))
    assert again.status_code == 410
    assert "already been used" in again.content.decode()
    assert not User.objects.filter(username="second").exists()


@pytest.mark.parametrize("has_submissions", [True, False])
def test_accepting_lands_on_submissions_if_the_site_has_it_else_the_overview(
    invite, client, monkeypatch, has_submissions
):
    def resolve(path):
        if not has_submissions:
            raise Resolver404(path)

    _invitation, token = invite()
    monkeypatch.setattr(invitations, "resolve", resolve)
    response = client.post(accept_url(token), accept_data())
    assert response["Location"] == ("/submissions/" if has_submissions else "/")


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        (
            {"password_confirm": "something-else-97"},
            "password_confirm",
            "The passwords do not match",
        ),
        (
            {"password": "short1", "password_confirm": "short1"},
            "password",
            "This password is too short",
        ),
        (
            {"password": "password1234", "password_confirm": "password1234"},
            "password",
            "This password is too common",
        ),
        ({"username": "bad name!"}, "username", "Enter a valid username"),
        ({"first_name": ""}, "first_name", "Enter your first name"),
    ],
)
def test_accept_errors_are_on_their_fields_and_nothing_is_made(
    invite, client, overrides, field, message
):
    invitation, token = invite()
    response = client.post(accept_url(token), accept_data(**overrides))
    html = response.content.decode()
    assert response.status_code == 200
    assert f'href="#id_{field}"' in html and message in html
    assert STRONG not in html  # passwords are never sent back
    assert not User.objects.filter(username__in=["nadia", "bad name!"]).exists()
    invitation.refresh_from_db()
    assert invitation.accepted_at is None and "_auth_user_id" not in client.session


def test_bad_links_get_a_clear_page_not_a_crash(invite, people, client):
    invitation, token = invite()
    unknown = client.get(accept_url("no-such-token"))
    assert unknown.status_code == 404
    assert "This invitation link is not valid" in unknown.content.decode()
    assert unknown["Referrer-Policy"] == "no-referrer"
    Invitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() - dt.timedelta(minutes=1)
    )
    for method in (client.get, client.post):
        expired = method(accept_url(token))
        assert expired.status_code == 410
        assert "This invitation has expired" in expired.content.decode()
    assert not User.objects.filter(username="nadia").exists()


@override_settings(RATE_LIMITS={"invitation": "2/hour", "login": "30/hour"})
def test_accept_posts_are_rate_limited(invite, client):
    _invitation, token = invite()
    bad = accept_data(password_confirm="nope")
    assert client.post(accept_url(token), bad).status_code == 200
    assert client.post(accept_url(token), bad).status_code == 200
    refused = client.post(accept_url(token), accept_data())
    assert refused.status_code == 429
    assert refused["Referrer-Policy"] == "no-referrer"
    assert "Too many attempts" in refused.content.decode()
    assert not User.objects.filter(username="nadia").exists()
    assert client.get(accept_url(token)).status_code == 302  # GETs not counted


@pytest.mark.parametrize("size", [2, 12])
def test_the_list_takes_a_fixed_number_of_queries(
    people, org, client_as, django_assert_max_num_queries, size
):
    for n in range(size):
        services.invitation_create(
            email=f"guest{n}@example.org",
            organisation=OrganisationFactory() if n % 2 else org,
            # a chair invites for the organisation in their workstream only
            invited_by=people["officer"] if n % 3 or n % 2 else people["chair"],
        )
    client = client_as(people["officer"])
    with django_assert_max_num_queries(8) as queries:
        response = client.get(LIST)
    assert response.content.decode().count('<tr class="govuk-table__row" id=') == size
    print(f"invitation-list with {size} rows: {len(queries)} queries")
    with django_assert_max_num_queries(8):
        assert client.get(NEW).status_code == 200
