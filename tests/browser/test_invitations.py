"""Invitations and consultation comments in Chromium: accepting an invitation
end to end (errors first, then signed in), and axe on the invitations list,
the invitation form, the accept page and the comments page, blank and with
errors, as the roles that use them; reflow at 320px."""

import datetime as dt
import re

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from tests.browser.conftest import (
    autocomplete_choose,
    axe_violations,
    has_horizontal_scroll,
)
from tests.workstreams.fixtures import build_world
from workstreams import services
from workstreams.models import Invitation, Workplan, WorkplanComment

pytestmark = pytest.mark.django_db(transaction=True)
STRONG = "amber-kettle-orbit-97"


@pytest.fixture
def world(role_users):
    return build_world(role_users, own_status=Workplan.Status.CONSULTATION)


def invite(world, email="nadia@example.org", by="officer"):
    """Invite through the service (the transaction commits, so the email
    goes); the token comes from the email, as the invitee gets it."""
    services.invitation_create(
        email=email, organisation=world.org, invited_by=world.users[by]
    )
    return re.search(r"/invitations/accept/([\w-]+)/", mail.outbox[-1].body).group(1)


def submit(page):
    with page.expect_navigation():
        page.locator("main form button[type=submit]").last.click()


def test_a_partner_accepts_an_invitation_and_lands_signed_in(world, open_page):
    token = invite(world)
    page = open_page(reverse("invitation-accept", args=[token]))
    assert page.status == 200
    assert page.url.endswith(reverse("invitation-accept", args=["make-account"]))
    assert "Testshire Housing Trust" in page.inner_text("main")
    assert axe_violations(page) == []
    page.get_by_label("First name").fill("Nadia")
    page.get_by_label("Last name").fill("Rahman")
    page.get_by_label("Username").fill("nadia")
    page.get_by_label("Password", exact=True).fill("password1234")
    page.get_by_label("Confirm password").fill("password1234")
    submit(page)
    assert page.title().startswith("Error: Make your account")
    summary = page.locator(".govuk-error-summary").inner_text()
    assert "This password is too common." in summary
    assert axe_violations(page) == [], "accept page with errors"
    page.get_by_label("Password", exact=True).fill(STRONG)
    page.get_by_label("Confirm password").fill(STRONG)
    submit(page)
    assert reverse("invitation-accept", args=[token]) not in page.url
    assert "Your account is ready and you are signed in as nadia." in page.inner_text(
        "main"
    )
    assert "Signed in as Nadia Rahman" in page.inner_text("footer")
    assert page.get_by_role("button", name="Sign out").count() == 1
    assert Invitation.objects.get().user.username == "nadia"
    assert page.js_errors == []
    used = open_page(reverse("invitation-accept", args=[token]))
    assert used.status == 410
    assert axe_violations(used) == []


def test_invitation_pages_have_no_wcag_violations(world, open_page):
    invite(world, email="open@example.org")
    invite(world, email="expired@example.org")
    Invitation.objects.filter(email="expired@example.org").update(
        expires_at=timezone.now() - dt.timedelta(days=1)
    )
    invite(world, email="chairs.guest@example.org", by="chair")
    withdrawn = Invitation.objects.get(email="open@example.org")
    services.invitation_withdraw(invitation=withdrawn, user=world.users["officer"])
    for role in ("officer", "chair"):
        page = open_page(reverse("invitation-list"), user=world.users[role])
        assert page.status == 200
        assert axe_violations(page) == [], f"invitation-list as {role}"
    page = open_page(reverse("invitation-create"), user=world.users["chair"])
    assert axe_violations(page) == []
    submit(page)
    assert page.locator(".govuk-error-summary").count() == 1
    assert axe_violations(page) == [], "invitation-create with errors"
    page.get_by_label("Email address").fill("new.partner@example.org")
    # a chair invites for an organisation in their workstream (world.org)
    autocomplete_choose(page, "id_organisation", "Testshire Housing Trust")
    submit(page)
    assert "Invitation sent to new.partner@example.org" in page.inner_text("main")
    with page.expect_navigation():
        page.get_by_role(
            "button", name=re.compile(r"^Withdraw\s*the invitation to new.partner")
        ).click()
    assert "Invitation withdrawn for new.partner@example.org." in page.inner_text(
        "main"
    )
    assert page.js_errors == []


def test_comments_page_has_no_wcag_violations(world, open_page):
    WorkplanComment.objects.create(
        workplan=world.workplan,
        author=world.users["partner"],
        organisation=world.org,
        body="Please add damp checks.\nAnd a second line.",
    )
    path = reverse("workplan-comments", args=[world.workplan.pk])
    for role in ("chair", "oversight"):
        page = open_page(path, user=world.users[role])
        assert page.status == 200
        assert axe_violations(page) == [], f"comments as {role}"
    page = open_page(path, user=world.users["partner"])
    assert axe_violations(page) == []
    submit(page)
    assert page.locator(".govuk-error-summary").count() == 1
    assert axe_violations(page) == [], "comments with errors"
    page.get_by_label("Your comment").fill("We can lead the damp checks.")
    submit(page)
    assert "Your comment has been added." in page.inner_text("main")
    assert "We can lead the damp checks." in page.inner_text("#main-content")
    assert page.js_errors == []


def test_pages_reflow_at_320_pixels(world, open_page):
    token = invite(world, email="a.very.long.address.for.reflow@example.org")
    checks = [
        (reverse("invitation-accept", args=[token]), None),
        (reverse("invitation-create"), world.users["officer"]),
        (reverse("invitation-list"), world.users["officer"]),
        (
            reverse("workplan-comments", args=[world.workplan.pk]),
            world.users["partner"],
        ),
    ]
    for path, user in checks:
        page = open_page(path, user=user, width=320)
        assert page.status == 200, path
        assert not has_horizontal_scroll(page), path
