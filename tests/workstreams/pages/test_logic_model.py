"""The logic model page: the model laid out, the golden thread, versions."""

import datetime as dt

import pytest
from django.urls import reverse

from tests.indicators.factories import (
    AssessmentFactory,
    IndicatorFactory,
    IndicatorValueFactory,
)
from tests.workstreams.factories import (
    ActionFactory,
    LogicModelFactory,
    LogicModelItemFactory,
    PlaceFactory,
    WorkplanFactory,
    WorkstreamFactory,
)
from tests.workstreams.pages.fixtures import Kind, build_logic_model

pytestmark = pytest.mark.django_db


def page_url(workstream, query=""):
    url = reverse("workstream-logic-model", args=[workstream.slug])
    return f"{url}?{query}" if query else url


def test_shows_the_current_model_as_a_flow_with_hypothesis_and_surroundings(client):
    workstream = build_logic_model()
    response = client.get(page_url(workstream))
    assert response.status_code == 200
    html = response.content.decode()
    assert "<title>Logic model: Housing – " in html
    assert "Version 2, dated" in html and "1 March 2026" in html
    assert "Warm, safe homes improve health." in html
    assert "Old hypothesis." not in html and "Draft idea." not in html
    order = [
        html.index(f"</span>{label}</h3>")
        for label in ("Inputs", "Activities", "Outputs", "Outcomes")
    ]
    assert order == sorted(order)
    assert "Step 2 of 4: </span>Activities" in html
    assert '<span class="marmot-lm__arrow" aria-hidden="true">→</span>' in html
    for text in (
        "Officer time",
        "Landlords take part",
        "Many private rented homes.",
        "Funding is short.",
    ):
        assert text in html
    assert reverse("workstream-detail", args=["housing"]) in html


def test_an_activity_shows_its_visible_actions_by_status_with_links(
    client, client_as, role_users
):
    workstream = build_logic_model(actions=3)
    html = client.get(page_url(workstream)).content.decode()
    assert "Delivered by 3 actions" in html
    assert '2 <strong class="govuk-tag govuk-tag--blue">In progress</strong>' in html
    assert '1 <strong class="govuk-tag govuk-tag--green">Completed</strong>' in html
    action = workstream.workplans.get(status="signed_off").actions.first()
    assert reverse("action-detail", args=[action.pk]) in html
    assert "Draft action" not in html

    users = role_users(chair_of=workstream)
    html = client_as(users["oversight"]).get(page_url(workstream)).content.decode()
    assert "Delivered by 4 actions" in html and "Draft action" in html


def test_an_outcome_shows_its_measure_latest_value_and_assessment_in_words(client):
    workstream = build_logic_model()
    html = client.get(page_url(workstream)).content.decode()
    assert "Fewer cold homes 0" in html
    assert reverse("indicator-detail", args=["fuel-0"]) in html
    assert "13.2% in 2023" in html
    assert "Worse than England" in html or "Worse than Area" in html
    assert "marmot-rag--red" in html


def test_anonymous_cannot_see_a_draft_or_superseded_version(client):
    workstream = build_logic_model()
    for version in (1, 3):
        response = client.get(page_url(workstream, f"version={version}"))
        assert response.status_code == 302
        assert reverse("login") in response["Location"]


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("oversight", 200),
        ("officer", 200),
        ("chair", 200),
        ("other_chair", 403),
        ("partner", 403),
    ],
)
def test_who_may_see_a_draft_version(client_as, role_users, role, status):
    workstream = build_logic_model()
    users = role_users(chair_of=workstream, other=WorkstreamFactory())
    response = client_as(users[role]).get(page_url(workstream, "version=3"))
    assert response.status_code == status
    if status == 200:
        assert "Draft idea." in response.content.decode()
        assert "This version is a draft" in response.content.decode()


def test_the_warning_says_which_version_is_shown(client, client_as, role_users):
    """A superseded version says it was replaced; the current one warns of
    nothing."""
    workstream = build_logic_model()
    users = role_users()
    old = client_as(users["oversight"]).get(page_url(workstream, "version=1"))
    assert "A later version has replaced this one." in old.content.decode()
    assert "This version is a draft" not in old.content.decode()
    current = client.get(page_url(workstream)).content.decode()
    assert "A later version has replaced" not in current
    assert "This version is a draft" not in current


def test_unknown_workstream_or_version_is_not_found(client):
    workstream = build_logic_model()
    assert client.get("/workstreams/no-such/logic-model/").status_code == 404
    assert client.get(page_url(workstream, "version=9")).status_code == 404
    assert client.get(page_url(workstream, "version=abc")).status_code == 404
    assert client.get(page_url(workstream, "compare=9")).status_code == 404


def test_oversight_compares_two_versions_through_the_page(client_as, role_users):
    workstream = build_logic_model()
    users = role_users()
    client = client_as(users["oversight"])
    html = client.get(page_url(workstream, "compare=1")).content.decode()
    assert "What changed from version 1 to version 2" in html
    assert 'govuk-tag--green">Added</strong>' in html
    assert 'govuk-tag--red">Removed</strong>' in html
    assert "Old funding" in html  # removed input
    assert "Was: Retrofit homes" in html and "Now: Retrofit council homes" in html
    assert "Was: Old hypothesis." in html
    # the version form offers every version the oversight member may see
    assert 'name="compare"' in html and "Version 3 (draft)" in html


def test_anonymous_cannot_compare_with_a_hidden_version(client):
    workstream = build_logic_model()
    response = client.get(page_url(workstream, "compare=1"))
    assert response.status_code == 302


def test_anonymous_sees_only_one_version_and_no_version_form(client):
    workstream = build_logic_model()
    html = client.get(page_url(workstream)).content.decode()
    assert "This is the only version published." in html
    assert 'name="compare"' not in html


def test_a_workstream_without_a_visible_model_says_so(client, client_as, role_users):
    PlaceFactory()
    workstream = WorkstreamFactory(name="Work")
    LogicModelFactory(workstream=workstream, version=1, status="draft")
    html = client.get(page_url(workstream)).content.decode()
    assert "Work has no published logic model yet." in html
    users = role_users(chair_of=workstream)
    html = client_as(users["chair"]).get(page_url(workstream)).content.decode()
    assert "This version is a draft" in html  # the chair sees the newest draft


def test_without_any_model(client):
    workstream = WorkstreamFactory(name="Empty")
    response = client.get(page_url(workstream))
    assert response.status_code == 200
    assert "Empty has no published logic model yet." in response.content.decode()


@pytest.mark.parametrize(
    ("role", "compare"), [("anonymous", False), ("oversight", True)]
)
def test_queries_do_not_grow_with_the_model(
    client_as, role_users, django_assert_max_num_queries, role, compare
):
    small = build_logic_model(actions=2, outcomes=1)
    users = role_users(chair_of=small)
    client = client_as(users[role])
    with django_assert_max_num_queries(19):
        assert (
            client.get(
                page_url(small, "version=2&compare=1" if compare else "")
            ).status_code
            == 200
        )
    big = WorkstreamFactory(slug="big")
    current = LogicModelFactory(workstream=big, version=1, status="current")
    plan = WorkplanFactory(
        workstream=big, status="signed_off", signed_off_on=dt.date(2024, 4, 1)
    )
    place = PlaceFactory()
    for n in range(10):
        activity = LogicModelItemFactory(logic_model=current, kind=Kind.ACTIVITY)
        for m in range(3):
            ActionFactory(workplan=plan, title=f"A{n}-{m}").activities.add(activity)
        outcome = LogicModelItemFactory(logic_model=current, kind=Kind.OUTCOME)
        indicator = IndicatorFactory()
        outcome.indicators.add(indicator)
        AssessmentFactory(
            value=IndicatorValueFactory(indicator=indicator, area=place.area)
        )
    LogicModelFactory(workstream=big, version=2, status="superseded")
    with django_assert_max_num_queries(19):
        assert (
            client.get(
                page_url(big, "version=1&compare=2" if compare else "")
            ).status_code
            == 200
        )
