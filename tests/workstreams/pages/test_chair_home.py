"""The chair's landing page (`/my-workstreams/`): who may open it and which
workstreams each role sees; each thing needing attention shown with its count
and its link, and gone once dealt with; a fixed number of queries at two
sizes; where signing in lands; the "Update due" flag on the progress page and
the action page, and the progress page's link to the submissions queue."""

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.conftest import make_role_users, rolled_back_after
from tests.workstreams.factories import (
    ActionFactory,
    SubmissionFactory,
    UserFactory,
    WorkplanCommentFactory,
    WorkplanFactory,
    WorkstreamFactory,
)
from tests.workstreams.fixtures import build_world
from workstreams import services
from workstreams.models import Action, KpiEntry, Submission, Workplan
from workstreams.services.kpis import (
    kpi_create,
    kpi_entry_approve,
    kpi_entry_record,
)

pytestmark = pytest.mark.django_db

HOME = "/my-workstreams/"
PASSWORD = "correct-horse-battery-staple"
# Noon, local time, 45 days ago: "now - 45 days" fell on the next local day in
# the hour before midnight when those 45 days crossed the end of summer time.
LONG_AGO = timezone.make_aware(
    dt.datetime.combine(timezone.localdate() - dt.timedelta(days=45), dt.time(12))
)


@pytest.fixture(scope="module")
def world_once(django_db_setup, django_db_blocker):
    """Housing (the chair's, a deputy's) and Work (the other chair's), both
    with a signed-off workplan; Housing's one action needs nothing."""
    with rolled_back_after(django_db_blocker):
        world = build_world(make_role_users, own_status=Workplan.Status.SIGNED_OFF)
        world.deputy = UserFactory(username="deputy")
        world.own.deputies.add(world.deputy)
        world.users["deputy"] = world.deputy
        Action.objects.filter(pk__in=[world.action.pk, world.other_action.pk]).update(
            due_date=dt.date(2099, 3, 31)
        )
        yield world


@pytest.fixture
def world(world_once, db):
    world_once.action.refresh_from_db()
    return world_once


def home(client) -> str:
    response = client.get(HOME)
    assert response.status_code == 200
    return response.content.decode()


def section(html: str, slug: str) -> str:
    """The part of the page about one workstream."""
    start = html.index(f'id="workstream-{slug}"')
    end = html.find("</section>", start)
    return html[start:end]


def item(html: str, key: str) -> tuple[int, str] | None:
    """(count, link) of an attention item, or None when it is not shown."""
    found = re.search(
        rf'data-attention="{key}" data-count="(\d+)">\s*<a class="govuk-link" '
        rf'href="([^"]+)"',
        html,
    )
    return (int(found[1]), found[2]) if found else None


# --- who opens it, and which workstreams they see ---------------------------


@pytest.mark.parametrize(
    "role, expected",
    [
        ("anonymous", "login"),
        ("partner", 403),
        ("oversight", 403),
        ("chair", ["housing"]),
        ("deputy", ["housing"]),
        ("other_chair", ["work"]),
        ("officer", ["housing", "work"]),
    ],
)
def test_who_opens_it_and_which_workstreams_they_see(world, client_as, role, expected):
    response = client_as(world.users[role]).get(HOME)
    if expected == "login":
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login") + "?next=")
        return
    if expected == 403:
        assert response.status_code == 403
        return
    html = response.content.decode()
    assert response.status_code == 200
    assert re.findall(r'<h2 [^>]*id="workstream-([a-z-]+)"', html) == expected
    # The service navigation links here, marked as the current page.
    assert re.search(
        rf'href="{HOME}" aria-current="page">\s*<strong[^>]*>Your workstreams', html
    )


@pytest.mark.parametrize("role", ["anonymous", "partner", "oversight"])
def test_the_navigation_offers_it_only_to_chairs_and_officers(world, client_as, role):
    html = client_as(world.users[role]).get(reverse("home")).content.decode()
    assert "Your workstreams" not in html
    html = client_as(world.users["deputy"]).get(reverse("home")).content.decode()
    assert f'href="{HOME}"' in html and "Your workstreams" in html


def test_nothing_needs_attention_says_so(world, client_as):
    html = section(home(client_as(world.users["chair"])), "housing")
    assert "Nothing needs your attention." in html
    assert "data-attention=" in html and 'data-attention="none"' in html
    assert "Workplan 2024/25" in html and "1 action" in html


# --- each thing needing attention: count, link, gone when dealt with --------


def _submissions(world):
    for _ in range(2):
        SubmissionFactory(workstream=world.own, organisation=world.org)
    SubmissionFactory(
        workstream=world.own,
        organisation=world.org,
        status=Submission.Status.MORE_INFO,  # waiting for the partner, not the chair
        decision_reason="Which estates?",
    )
    return 2, reverse("submission-queue", args=[world.own.slug])


def _decide_submissions(world):
    for submission in Submission.objects.filter(status=Submission.Status.SUBMITTED):
        services.submission_reject(
            submission=submission, user=world.users["chair"], reason="Not this year"
        )


def _comments(world):
    Workplan.objects.filter(pk=world.workplan.pk).update(
        status=Workplan.Status.CONSULTATION, signed_off_on=None
    )
    for _ in range(3):
        WorkplanCommentFactory(workplan=world.workplan)
    WorkplanCommentFactory(workplan=world.other_workplan)  # another workstream's
    return 3, reverse("workplan-comments", args=[world.workplan.pk])


def _end_consultation(world):
    Workplan.objects.filter(pk=world.workplan.pk).update(
        status=Workplan.Status.SIGNED_OFF, signed_off_on=dt.date(2024, 5, 1)
    )


def _progress(world, anchor):
    return reverse("workstream-detail", args=[world.own.slug]) + anchor


def _overdue(world):
    ActionFactory(workplan=world.workplan, due_date=dt.date(2025, 1, 31))
    ActionFactory(  # completed: not overdue
        workplan=world.workplan,
        status=Action.Status.COMPLETED,
        completed_on=dt.date(2025, 1, 2),
    )
    return 1, _progress(world, "#attention")


def _complete_it(world):
    overdue = Action.objects.get(due_date=dt.date(2025, 1, 31))
    services.action_update(
        action=overdue,
        status=Action.Status.COMPLETED,
        completed_on=dt.date(2025, 1, 30),
    )


def _stale(world):
    Action.objects.filter(pk=world.action.pk).update(created_at=LONG_AGO)
    return 1, _progress(world, "#actions")


def _post_update(world):
    services.progress_update_create(
        action=world.action,
        reported_on=timezone.localdate(),
        text="On track.",
        status=Action.Status.IN_PROGRESS,
        author=world.users["chair"],
    )


def _unrated(world):
    Action.objects.filter(pk=world.action.pk).update(rag="")
    return 1, _progress(world, "#actions")


def _rate_it(world):
    services.action_update(action=world.action, rag=Action.Rag.GREEN)


def _no_lead(world):
    Action.objects.filter(pk=world.action.pk).update(lead_organisation=None)
    return 1, _progress(world, "#actions")


def _name_a_lead(world):
    services.action_update(action=world.action, lead_organisation=world.org)


def _no_due_date(world):
    Action.objects.filter(pk=world.action.pk).update(due_date=None)
    return 1, _progress(world, "#actions")


def _set_due_date(world):
    services.action_update(action=world.action, due_date=dt.date(2099, 3, 31))


def _kpi_waiting(world):
    world.kpi = kpi_create(
        workstream=world.own,
        user=world.users["officer"],
        name="Homes retrofitted",
        reporting_organisation=world.org,
    )
    kpi_entry_record(
        kpi=world.kpi, user=world.users["partner"], period="2025/26 Q1", value=3
    )
    return 1, reverse("kpi-approvals", args=[world.own.slug])


def _approve_it(world):
    entry = KpiEntry.objects.get(kpi=world.kpi)
    kpi_entry_approve(entry=entry, user=world.users["chair"])


def _kpi_overdue(world):
    """15 February 2027: a quarterly KPI expected from April 2026 with its
    first quarter recorded has two overdue (the third ended 46 days before,
    more than `KPI_DUE_DAYS`); the fourth is not over."""
    world.today_is(dt.date(2027, 2, 15))
    Action.objects.filter(pk=world.action.pk).update(
        created_at=timezone.make_aware(dt.datetime(2027, 2, 14, 12))
    )
    world.kpi = kpi_create(
        workstream=world.own,
        user=world.users["officer"],
        name="Advice sessions held",
        values_expected_from=dt.date(2026, 4, 1),
    )
    kpi_entry_record(
        kpi=world.kpi, user=world.users["chair"], period="2026/27 Q1", value=3
    )
    return 2, reverse("kpi-list", args=[world.own.slug])


def _record_them(world):
    for period in ("2026/27 Q2", "2026/27 Q3"):
        kpi_entry_record(
            kpi=world.kpi, user=world.users["chair"], period=period, value=1
        )


ITEMS = {
    "submissions": (_submissions, _decide_submissions),
    "comments": (_comments, _end_consultation),
    "overdue": (_overdue, _complete_it),
    "update-due": (_stale, _post_update),
    "unrated": (_unrated, _rate_it),
    "no-lead": (_no_lead, _name_a_lead),
    "no-due-date": (_no_due_date, _set_due_date),
    "kpi-approvals": (_kpi_waiting, _approve_it),
    "kpi-overdue": (_kpi_overdue, _record_them),
}


@pytest.mark.parametrize("key", list(ITEMS))
def test_each_item_has_its_count_and_link_and_goes_when_dealt_with(
    world, client_as, today_is, key
):
    make, deal = ITEMS[key]
    world.today_is = today_is
    count, href = make(world)
    for role in ("chair", "deputy", "officer"):
        html = section(home(client_as(world.users[role])), "housing")
        assert item(html, key) == (count, href), role
        assert "Nothing needs your attention" not in html
    html = home(client_as(world.users["other_chair"]))
    assert item(html, key) is None  # not their workstream
    deal(world)
    html = section(home(client_as(world.users["chair"])), "housing")
    assert item(html, key) is None
    assert "Nothing needs your attention." in html


def test_an_items_actions_are_named_and_linked(world, client_as):
    late = [
        ActionFactory(workplan=world.workplan, due_date=dt.date(2025, 1, d))
        for d in range(1, 8)
    ]
    html = section(home(client_as(world.users["chair"])), "housing")
    assert item(html, "overdue")[0] == 7
    for action in late[:5]:
        assert f'href="{reverse("action-detail", args=[action.pk])}"' in html
    assert reverse("action-detail", args=[late[6].pk]) + '"' not in html
    assert "and 2 more" in html


def test_update_due_follows_the_reminders_rule(world, client_as, settings):
    """Only actions of a signed-off workplan, quiet for `REMINDER_STALE_DAYS`."""
    settings.REMINDER_STALE_DAYS = 60
    Action.objects.filter(pk=world.action.pk).update(created_at=LONG_AGO)
    client = client_as(world.users["chair"])
    assert item(section(home(client), "housing"), "update-due") is None
    settings.REMINDER_STALE_DAYS = 30
    assert item(section(home(client), "housing"), "update-due")[0] == 1
    Workplan.objects.filter(pk=world.workplan.pk).update(status=Workplan.Status.DRAFT)
    assert item(section(home(client), "housing"), "update-due") is None


# --- a fixed number of queries ----------------------------------------------


def grow(world, n):
    """``n`` more workstreams chaired by the chair, each with every kind of
    thing needing attention, and more of each in Housing."""
    chair, officer = world.users["chair"], world.users["officer"]
    for i in range(n):
        workstream = WorkstreamFactory(chair=chair)
        signed = WorkplanFactory(
            workstream=workstream,
            status=Workplan.Status.SIGNED_OFF,
            signed_off_on=dt.date(2024, 5, 1),
        )
        consultation = WorkplanFactory(
            workstream=workstream,
            status=Workplan.Status.CONSULTATION,
            year_label="2099/00",
            starts_on=dt.date(2099, 4, 1),
            ends_on=dt.date(2100, 3, 31),
        )
        WorkplanCommentFactory(workplan=consultation)
        for workplan in (signed, world.workplan):
            ActionFactory(workplan=workplan, due_date=dt.date(2025, 1, 1), rag="")
            ActionFactory(workplan=workplan, lead_organisation=None, due_date=None)
        SubmissionFactory(workstream=workstream, organisation=world.org)
        kpi = kpi_create(
            workstream=workstream,
            user=officer,
            name=f"Output {i}",
            reporting_organisation=world.org,
            values_expected_from=dt.date(2025, 4, 1),
        )
        kpi_entry_record(
            kpi=kpi, user=world.users["partner"], period="2025/26 Q1", value=i
        )
    Action.objects.update(created_at=LONG_AGO)


@pytest.mark.parametrize("role", ["chair", "officer"])
def test_a_fixed_number_of_queries_at_two_sizes(world, client_as, role):
    client = client_as(world.users[role])
    counts, workstreams = [], 0
    for n in (1, 3):
        grow(world, n)
        workstreams += n
        with CaptureQueriesContext(connection) as queries:
            html = home(client)
        counts.append(len(queries))
        assert html.count('data-attention="kpi-overdue"') == workstreams
        assert html.count('data-attention="comments"') == workstreams
    assert counts[0] == counts[1], counts
    assert counts[0] <= 20


# --- signing in lands a chair here ------------------------------------------


def sign_in(client, username, next_=None):
    url = reverse("login") + (f"?next={next_}" if next_ else "")
    data = {"username": username, "password": PASSWORD}
    if next_:
        data["next"] = next_
    return client.post(url, data)


@pytest.mark.parametrize(
    "role, next_, lands",
    [
        ("chair", None, HOME),
        ("deputy", None, HOME),
        ("officer", None, "/"),
        ("partner", None, "/"),
        ("oversight", None, "/"),
        ("chair", "/measures/", "/measures/"),
        ("chair", "https://evil.example/", HOME),
        ("chair", "//evil.example/", HOME),
        ("partner", "https://evil.example/", "/"),
    ],
)
def test_signing_in_lands_a_chair_on_their_workstreams(
    world, client, role, next_, lands
):
    # A copy: the world's user objects keep their password (and so their
    # sessions) for the other tests.
    user = type(world.users[role]).objects.get(pk=world.users[role].pk)
    user.set_password(PASSWORD)
    user.save(update_fields=["password"])
    response = sign_in(client, user.username, next_)
    assert response.status_code == 302
    assert response["Location"] == lands


def test_a_signed_in_chair_opening_sign_in_goes_to_their_workstreams(world, client_as):
    response = client_as(world.users["chair"]).get(reverse("login"))
    assert response.status_code == 302 and response["Location"] == HOME


# --- the progress page and the action page ----------------------------------


def test_the_progress_page_links_the_queue_for_those_who_moderate_it(world, client_as):
    _submissions(world)
    url = reverse("workstream-detail", args=[world.own.slug])
    queue = reverse("submission-queue", args=[world.own.slug])
    for role in ("chair", "deputy", "officer"):
        html = client_as(world.users[role]).get(url).content.decode()
        assert re.search(
            rf'href="{queue}">Partners\' submissions: 2 waiting for a decision', html
        ), role
    for role in ("anonymous", "partner", "oversight", "other_chair"):
        html = client_as(world.users[role]).get(url).content.decode()
        assert f'href="{queue}"' not in html, role


def test_update_due_is_tagged_on_the_progress_page_and_the_action_page(
    world, client_as
):
    fresh = ActionFactory(workplan=world.workplan, title="Fresh action")
    Action.objects.filter(pk=world.action.pk).update(created_at=LONG_AGO)
    client = client_as(world.users["partner"])
    html = client.get(reverse("workstream-detail", args=[world.own.slug])).content
    rows = {
        title: "Update due" in row
        for row in html.decode().split('<tr class="govuk-table__row">')[1:]
        for title in re.findall(r'href="/actions/\d+/">([^<]+)</a>', row)
    }
    assert rows == {"Damp and mould taskforce": True, "Fresh action": False}

    html = client.get(reverse("action-detail", args=[world.action.pk])).content
    quiet = (timezone.localdate() - timezone.localdate(LONG_AGO)).days  # 45
    assert f"Update due</strong> No progress update for {quiet} days" in html.decode()
    html = client.get(reverse("action-detail", args=[fresh.pk])).content
    assert "Update due" not in html.decode()
