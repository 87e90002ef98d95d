"""Issue 6's whole journey in Chromium, as the people who do it: an officer
invites a partner by email; the partner sets a password from the link and
submits an action; the chair accepts it from the queue; it shows on the
workstream's progress page and in the "changes since" pack; when it goes
stale its lead is reminded; and the action's history shows every step."""

import datetime as dt
import re
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from tests.browser.conftest import autocomplete_choose, axe_violations
from tests.workstreams.fixtures import build_world
from workstreams.models import Action, Submission, Workplan

pytestmark = pytest.mark.django_db(transaction=True)
PASSWORD = "amber-kettle-orbit-97"
TITLE = "Winter warmth home visits"


def click(page, name):
    with page.expect_navigation():
        page.get_by_role("button", name=name).click()


def last_mail_to(address):
    sent = [m for m in mail.outbox if address in m.to]
    assert sent, f"no email to {address}"
    return sent[-1]


def test_invited_partner_submits_chair_accepts_and_the_trail_shows_it(
    role_users, open_page
):
    world = build_world(role_users, own_status=Workplan.Status.SIGNED_OFF)
    today = timezone.localdate()

    # 1. An officer invites the partner by email.
    officer = open_page(reverse("invitation-create"), user=world.users["officer"])
    officer.get_by_label("Email address").fill("nadia@example.org")
    autocomplete_choose(officer, "id_organisation", world.org.name)
    click(officer, "Send invitation")
    assert "nadia@example.org" in officer.inner_text("main")
    link = re.search(
        r"https?://\S+/invitations/accept/\S+/", last_mail_to("nadia@example.org").body
    ).group(0)

    # 2. The partner follows the link, makes an account and is signed in.
    partner = open_page(urlsplit(link).path)
    partner.get_by_label("First name").fill("Nadia")
    partner.get_by_label("Last name").fill("Rahman")
    partner.get_by_label("Username").fill("nadia")
    partner.get_by_label("Password", exact=True).fill(PASSWORD)
    partner.get_by_label("Confirm password").fill(PASSWORD)
    click(partner, "Make my account")
    assert "signed in as nadia" in partner.inner_text("main")

    # 3. The partner proposes an action.
    partner.goto(reverse("submission-create"))
    assert axe_violations(partner) == []
    partner.select_option("#id_workstream", str(world.own.pk))
    partner.check("#id_principles_0")
    partner.fill("#id_title", TITLE)
    partner.fill("#id_description", "Visits to check heating before winter.")
    partner.fill("#id_lead_contact", "Nadia Rahman")
    autocomplete_choose(partner, "id_supports_activity", world.activities[0].text)
    click(partner, "Continue")  # to "Check your answers"
    click(partner, "Send submission")
    assert partner.locator("h1").inner_text() == "Submission sent"
    submission = Submission.objects.get(title=TITLE)
    assert last_mail_to(world.users["chair"].email).subject  # the chair is told

    # 4. The chair accepts it from the moderation queue; the partner is told.
    chair = open_page(
        reverse("submission-queue", args=[world.own.slug]), user=world.users["chair"]
    )
    with chair.expect_navigation():
        chair.get_by_role("link", name=TITLE).click()
    chair.get_by_label("Accept", exact=False).first.check()
    click(chair, "Save decision")
    submission.refresh_from_db()
    assert submission.status == Submission.Status.ACCEPTED
    action = Action.objects.get(pk=submission.action_id)
    assert action.workplan == world.workplan
    assert "accepted" in last_mail_to("nadia@example.org").body.lower()

    # 5. It is on the workstream's progress page and in the changes pack.
    public = open_page(reverse("workstream-detail", args=[world.own.slug]))
    assert TITLE in public.inner_text("main")
    oversight = open_page(
        f"{reverse('changes')}?since={today.isoformat()}", user=world.users["oversight"]
    )
    assert TITLE in oversight.inner_text("main")

    # 6. A month without an update: its lead, the partner, is reminded.
    mail.outbox.clear()
    later = today + dt.timedelta(days=45)
    call_command("send_reminders", date=later.isoformat(), verbosity=0)
    reminder = last_mail_to("nadia@example.org")
    assert TITLE in reminder.body
    assert reverse("action-detail", args=[action.pk]) in reminder.body

    # 7. The action's history shows the submission, the decision and who made it.
    chair.goto(reverse("action-detail", args=[action.pk]))
    history = chair.locator("#history ~ ol").inner_text()
    assert world.org.name in history
    assert "accepted" in history.lower()
    assert axe_violations(chair) == []
    for page in (officer, partner, chair, public, oversight):
        assert page.js_errors == []
