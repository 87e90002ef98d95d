"""The History timeline on the action page (`/actions/<pk>/`): created, each
change with who, when and what, progress updates, the partner submission's
story; names for signed-in users only; user text never rendered as HTML; a
fixed number of queries whatever the length of the history."""

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from marmot import roles
from tests.conftest import user_with_role
from tests.workstreams.factories import (
    OrganisationFactory,
    OrganisationMembershipFactory,
)
from tests.workstreams.fixtures import action_form_data, build_world, date
from workstreams import services
from workstreams.models import Action, Workplan

pytestmark = pytest.mark.django_db


@pytest.fixture
def clock(monkeypatch):
    """``clock(2025, 1, 6, 9)``: from now on, it is that moment (London time)."""

    def set_to(*args):
        moment = timezone.make_aware(dt.datetime(*args))
        monkeypatch.setattr(timezone, "now", lambda: moment)

    set_to(2025, 1, 6, 9)
    return set_to


def named(user, first, last):
    user.first_name, user.last_name = first, last
    user.save()
    return user


@pytest.fixture
def world(role_users, clock):
    world = build_world(role_users)
    named(world.users["chair"], "Alex", "Chair")
    return world


@pytest.fixture
def published(role_users, clock):
    world = build_world(role_users, own_status=Workplan.Status.SIGNED_OFF)
    named(world.users["chair"], "Alex", "Chair")
    return world


def history(response) -> list[str]:
    """The timeline's entries, as text, newest first."""
    assert response.status_code == 200
    html = response.content.decode().split('id="history"', 1)[1]
    html = html.split("</ol>", 1)[0]
    items = html.split('<li class="marmot-history__entry')[1:]
    return [
        re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", "<li" + item)).strip()
        for item in items
    ]


def page(client, action):
    return client.get(reverse("action-detail", args=[action.pk]))


def test_changes_made_through_the_services(world, client_as, clock):
    chair = world.users["chair"]
    action = services.action_create(
        workplan=world.workplan,
        title="Warm spaces",
        status="planned",
        rag="green",
        due_date=dt.date(2025, 3, 31),
        principles=[world.principles[0]],
    )
    clock(2025, 2, 10, 14, 30)
    services.action_update(
        action=action,
        title="Warm spaces network",
        status="in_progress",
        rag="amber",
        due_date=dt.date(2025, 4, 30),
        principles=world.principles,
    )
    clock(2025, 3, 3, 11)
    services.progress_update_create(
        action=action,
        reported_on=dt.date(2025, 3, 3),
        text="Ten spaces open.",
        status="in_progress",
        rag="red",
        author=chair,
    )
    entries = history(page(client_as(chair), action))
    assert entries == [
        "Progress update posted 3 March 2025 at 11:00am , by Alex Chair "
        "Reported on 3 March 2025 RAG: changed from Amber → to Red",
        "Changed 10 February 2025 at 2:30pm , by someone not recorded "
        "Title: changed from Warm spaces → to Warm spaces network "
        "Status: changed from Planned → to In progress "
        "RAG: changed from Green → to Amber "
        "Due date: changed from 31 March 2025 → to 30 April 2025 "
        "Marmot principles: added 6. Principle 6",
        "Created 6 January 2025 at 9:00am , by someone not recorded",
    ]


def test_changes_made_on_the_chair_edit_page(world, client_as, clock):
    clock(2025, 3, 4, 16, 5)
    client = client_as(world.users["chair"])  # signed in at the clock's time
    response = client.post(
        reverse("action-edit", args=[world.action.pk]),
        action_form_data(
            world,
            title="Damp and mould taskforce (phase 2)",
            status="completed",
            **date("completed_on", "3", "3", "2025"),
            row_version="1",
        ),
    )
    assert response.status_code == 302
    newest, created = history(page(client, world.action))
    assert created == "Created 6 January 2025 at 9:00am , by someone not recorded"
    assert newest.startswith("Changed 4 March 2025 at 4:05pm , by Alex Chair ")
    for change in (
        "Title: changed from Damp and mould taskforce → to "
        "Damp and mould taskforce (phase 2)",
        "Description changed",
        "Priority: changed from Warm homes → to Fair tenancies",
        "Lead contact: changed from Sam Patel → to Jo Bloggs, Housing",
        "Status: changed from In progress → to Completed",
        "RAG: changed from Green → to Amber",
        "Start date: changed from 1 April 2024 → to 1 May 2024",
        "Due date: changed from 31 March 2025 → to 28 February 2025",
        "Date completed: changed from Not set → to 3 March 2025",
        "Marmot principles: added 1. Principle 1; 6. Principle 6",
        "Logic model activities: added Advice on damp; removed Retrofit council homes",
        "Recommendations: added Marmot report, recommendation 7",
    ):
        assert change in newest, change


def test_a_progress_update_on_its_page_shows_the_change_it_made(
    world, client_as, clock
):
    clock(2025, 5, 1, 10)
    client = client_as(world.users["chair"])
    client.post(
        reverse("progress-update-create", args=[world.action.pk]),
        {"status": "on_hold", "rag": "red", "text": "Funding paused."},
    )
    newest = history(page(client, world.action))[0]
    assert newest == (
        "Progress update posted 1 May 2025 at 10:00am , by Alex Chair "
        "Reported on 1 May 2025 Status: changed from In progress → to On hold "
        "RAG: changed from Green → to Red"
    )


def test_anonymous_visitors_see_what_changed_but_not_who(published, client_as, clock):
    clock(2025, 6, 2, 12)
    action = published.action
    lead = named(published.users["partner"], "Pat", "Partner")
    services.action_update(action=action, lead_user=lead, rag="amber")
    Action.history.filter(id=action.pk).update(history_user=published.users["chair"])
    anonymous = history(page(client_as(None), action))[0]
    assert anonymous == (
        "Changed 2 June 2025 at 12:00pm , by a programme user "
        "Lead (receives reminders): changed from No one → to a programme user "
        "RAG: changed from Green → to Amber"
    )
    signed_in = history(page(client_as(published.users["partner"]), action))[0]
    assert signed_in == (
        "Changed 2 June 2025 at 12:00pm , by Alex Chair "
        "Lead (receives reminders): changed from No one → to Pat Partner "
        "RAG: changed from Green → to Amber"
    )
    html = page(client_as(None), action).content.decode()
    assert "Alex Chair" not in html and "Pat Partner" not in html
    assert "Who made each change is shown to people who are signed in" in html


def test_created_from_a_partner_submission(published, client_as, clock):
    users = published.users
    partner = named(users["partner"], "Pat", "Partner")
    submission = services.submission_create(
        organisation=published.org,
        submitted_by=partner,
        workstream=published.own,
        title="Community larder",
        description="A larder in every estate.",
        lead_contact="Pat Partner",
    )
    clock(2025, 1, 8, 15)
    services.submission_request_info(
        submission=submission, user=users["chair"], reason="How many <estates>?"
    )
    clock(2025, 1, 9, 10)
    services.submission_update(
        submission=submission, user=partner, description="Four estates."
    )
    clock(2025, 1, 10, 9, 30)
    submission = services.submission_accept(submission=submission, user=users["chair"])
    action = submission.action
    link = f'href="{reverse("submission-detail", args=[submission.pk])}"'

    chair_page = page(client_as(users["chair"]), action)
    assert history(chair_page) == [
        "Created when the partner submission from Testshire Housing Trust was "
        "accepted 10 January 2025 at 9:30am , by Alex Chair "
        "See the partner submission",
        "Submission changed and resubmitted by the partner 9 January 2025 at "
        "10:00am , by someone not recorded",
        "More information requested from the partner 8 January 2025 at 3:00pm , "
        "by Alex Chair How many &lt;estates&gt;?",
        "Proposed by Testshire Housing Trust in a partner submission 6 January "
        "2025 at 9:00am , by Pat Partner See the partner submission",
    ]
    assert link in chair_page.content.decode()
    assert link in page(client_as(partner), action).content.decode()

    anonymous = page(client_as(None), action)
    assert link not in anonymous.content.decode()
    assert "How many" not in anonymous.content.decode()
    assert history(anonymous)[0] == (
        "Created when the partner submission from Testshire Housing Trust was "
        "accepted 10 January 2025 at 9:30am , by a programme user"
    )
    stranger = user_with_role(roles.PARTNER, username="stranger")
    OrganisationMembershipFactory(user=stranger, organisation=OrganisationFactory())
    assert link not in page(client_as(stranger), action).content.decode()


def test_user_text_is_never_rendered_as_html(world, client_as, clock):
    clock(2025, 2, 1, 9)
    services.action_update(action=world.action, title="<b>Bold</b> & <i>plans</i>")
    html = page(client_as(world.users["chair"]), world.action).content.decode()
    timeline = html.split('id="history"', 1)[1]
    assert "<b>Bold</b>" not in timeline
    assert "&lt;b&gt;Bold&lt;/b&gt; &amp; &lt;i&gt;plans&lt;/i&gt;" in timeline


@pytest.mark.parametrize("edits", [2, 20])
def test_a_fixed_number_of_queries_whatever_the_history(
    world, client_as, clock, django_assert_max_num_queries, edits
):
    action = world.action
    for n in range(edits):
        clock(2025, 2, 1 + n, 9)
        services.action_update(
            action=action,
            rag=["amber", "red"][n % 2],
            priority=world.priorities[n % 2],
            lead_organisation=[world.org, world.other_org][n % 2],
            lead_user=world.users["partner"] if n % 2 else None,
            principles=world.principles[: n % 2 + 1],
            activities=world.activities[: n % 2 + 1],
        )
    client = client_as(world.users["chair"])
    # 18 + the milestones (1) + another helper's query on the action (1)
    with django_assert_max_num_queries(20) as queries:
        response = page(client, action)
    assert len(history(response)) == edits + 1
    print(f"action page with {edits} changes: {len(queries)} queries")
