"""The progress page's filters, who sees what on it, and its query count."""

import pytest

from tests.workstreams.factories import (
    OrganisationFactory,
    WorkstreamFactory,
)
from tests.workstreams.pages.fixtures import (
    URL,
    actions,
    build_progress,
    housing,
    section,
    text,
)
from workstreams.models import Workplan

pytestmark = pytest.mark.django_db


def listed(client, query: str = "") -> str:
    return section(client.get(URL + query).content.decode(), "actions", "next-steps")


def test_filter_by_status_rag_and_lead_organisation_kept_in_the_url(client):
    _workstream, workplan = housing()
    made = actions(workplan)
    nea = made["red"].lead_organisation
    by_status = listed(client, "?status=planned")
    assert "Showing 2 of 6 actions that match the filters" in by_status
    assert "Concierge road shows" in by_status and "Asthma project" not in by_status
    by_rag = listed(client, "?rag=amber")
    assert "Asthma project" in by_rag and "Stock survey" in by_rag
    assert "Fuel poverty project" not in by_rag
    by_lead = listed(client, f"?lead_organisation={nea.pk}&rag=red")
    assert "Showing 1 of 6" in by_lead and "Fuel poverty project" in by_lead
    html = client.get(URL + f"?lead_organisation={nea.pk}&rag=red").content.decode()
    # The form shows the chosen filters and offers to clear them.
    assert f'<option value="{nea.pk}" selected>National Energy Action</option>' in html
    assert '<option value="red" selected>' in html
    assert "Clear filters" in html
    assert 'method="get"' in html and "Apply filters" in html


def test_filters_do_not_hide_what_needs_attention(client):
    _workstream, workplan = housing()
    actions(workplan)
    html = client.get(URL + "?status=planned").content.decode()
    assert "Insulate council homes" in section(html, "attention", "actions")


def test_lead_organisation_choices_are_this_workplans_leads(client):
    _workstream, workplan = housing()
    actions(workplan)
    OrganisationFactory(name="Unrelated Trust")
    html = client.get(URL).content.decode()
    assert "National Energy Action</option>" in html
    assert "Unrelated Trust" not in html


def test_an_unknown_filter_value_is_an_error_not_a_crash(client):
    _workstream, workplan = housing()
    actions(workplan)
    response = client.get(URL + "?status=lost&lead_organisation=999999")
    html = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in html
    assert '<a href="#id_status">Select a status from the list</a>' in html
    assert "Select a lead organisation from the list" in html
    assert "6 actions in this workplan" in text(html)


def test_unknown_workstream_is_404(client):
    housing()
    assert client.get("/workstreams/no-such-workstream/").status_code == 404


@pytest.mark.parametrize("status", ["draft", "consultation"])
def test_anonymous_visitors_get_a_clear_message_not_the_drafts(client, status):
    _workstream, workplan = housing(status=status)
    actions(workplan)
    html = client.get(URL).content.decode()
    page = text(html)
    assert "This workstream has no published workplan yet" in page
    assert "Insulate council homes" not in page
    assert "Funding secured." not in page
    assert "Apply filters" not in page


def test_partners_see_a_workplan_in_consultation(role_users, client_as):
    _workstream, workplan = housing(status=Workplan.Status.CONSULTATION)
    actions(workplan)
    users = role_users()
    page = text(client_as(users["partner"]).get(URL).content.decode())
    assert "In consultation with partners" in page
    assert "Insulate council homes" in page


@pytest.mark.parametrize("role", ["oversight", "chair", "officer"])
def test_oversight_the_chair_and_officers_see_the_draft(role, role_users, client_as):
    workstream, workplan = housing(status=Workplan.Status.DRAFT)
    actions(workplan)
    users = role_users(chair_of=workstream)
    page = text(client_as(users[role]).get(URL).content.decode())
    assert "Status Draft" in page
    assert "Insulate council homes" in page and "Funding secured." in page


def test_another_chair_does_not_see_the_draft(role_users, client_as):
    workstream, workplan = housing(status=Workplan.Status.DRAFT)
    actions(workplan)
    users = role_users(other=WorkstreamFactory())
    page = text(client_as(users["other_chair"]).get(URL).content.decode())
    assert "no published workplan yet" in page
    assert "Insulate council homes" not in page


@pytest.mark.parametrize(
    ("role", "sees_links"),
    [
        ("anonymous", False),
        ("partner", False),
        ("oversight", False),
        ("other_chair", False),
        ("chair", True),
        ("officer", True),
    ],
)
def test_edit_links_only_for_those_who_may_edit_this_workstream(
    role, sees_links, role_users, client_as
):
    workstream, workplan = housing()
    actions(workplan)
    users = role_users(chair_of=workstream, other=WorkstreamFactory())
    html = client_as(users[role]).get(URL).content.decode()
    assert ('href="/workstreams/housing/actions/new/"' in html) is sees_links
    assert ('href="/workstreams/housing/workplan/"' in html) is sees_links
    assert ("Add an action" in html) is sees_links
    assert ("Manage the workplan" in html) is sees_links


def test_the_chair_sees_no_edit_links_on_another_workstream(role_users, client_as):
    workstream, _workplan = housing()
    mine = WorkstreamFactory(slug="mine")
    users = role_users(chair_of=mine)
    html = client_as(users["chair"]).get(URL).content.decode()
    assert "Add an action" not in html
    assert (
        "Add an action"
        in client_as(users["chair"]).get("/workstreams/mine/").content.decode()
    )


def test_the_chair_without_a_workplan_is_told_and_can_manage_it(role_users, client_as):
    workstream = WorkstreamFactory(slug="empty")
    users = role_users(chair_of=workstream)
    page = text(client_as(users["chair"]).get("/workstreams/empty/").content.decode())
    assert "This workstream has no current workplan" in page
    assert "Manage the workplan" in page


@pytest.mark.parametrize("role", ["anonymous", "chair"])
@pytest.mark.parametrize("size", [2, 15])
@pytest.mark.parametrize("filtered", [False, True])
def test_query_count_does_not_grow_with_the_data(
    size, role, filtered, role_users, client_as, django_assert_max_num_queries
):
    workplan = build_progress(size)
    organisation = workplan.actions.first().lead_organisation
    query = f"?status=in_progress&lead_organisation={organisation.pk}"
    users = role_users(chair_of=workplan.workstream)
    client = client_as(users[role])
    # the first visit builds the body (+ 1 query: the on-track judgement;
    # + 1: the output KPIs, tests/workstreams/pages/test_progress_kpis.py;
    # + 1: the on-track judgement's output KPIs; + 1 for the chair: the
    # submissions waiting in the queue the page links to)
    with django_assert_max_num_queries(31):
        response = client.get(URL + (query if filtered else ""))
    assert response.status_code == 200
    page = text(response.content.decode())
    assert page.count("Red – off track") >= size // 2
    assert page.count("Worse than England") == size
