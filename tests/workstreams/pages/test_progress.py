"""The workstream progress page (`/workstreams/<slug>/`)."""

import datetime as dt

import pytest

from indicators.models import Method, Place, Trend
from tests.indicators.factories import (
    AssessmentFactory,
    IndicatorFactory,
    IndicatorValueFactory,
    PeriodFactory,
    TrendFactory,
)
from tests.workstreams.factories import (
    ActionFactory,
    ProgressUpdateFactory,
    WorkplanFactory,
    WorkstreamFactory,
)
from tests.workstreams.pages.fixtures import TODAY, URL, actions, housing, section, text
from workstreams.models import Action

pytestmark = pytest.mark.django_db


def test_shows_chair_deputies_purpose_and_the_current_hypothesis(client):
    workstream, _workplan = housing()
    page = text(client.get(URL).content.decode())
    # The public read the chair's role as published, no names (ADR 26).
    assert "Chair Housing SMT" in page and "Amina Khan" not in page
    assert "Tom Ng" not in page
    assert "Purpose Housing and warm spaces" in page
    assert "Warm homes improve health." in page
    assert "Draft idea." not in page
    assert (
        'href="/workstreams/housing/logic-model/"' in client.get(URL).content.decode()
    )


def test_shows_the_workplan_status_and_priorities_in_order(client):
    _workstream, workplan = housing()
    actions(workplan)
    page = text(client.get(URL).content.decode())
    assert "Workplan 2024/25" in page
    assert "Status Signed off on 1 May 2024" in page
    assert "Priorities Healthy homes Housing security" in page


def test_overdue_and_at_risk_actions_come_first_in_their_own_section(client):
    _workstream, workplan = housing()
    made = actions(workplan)
    html = client.get(URL).content.decode()
    attention = section(html, "attention", "actions")
    assert html.index('id="attention"') < html.index('id="actions"')
    # overdue first, then red, then amber; neither the fine nor the completed one
    assert attention.index("Insulate council homes Overdue") < attention.index(
        "Fuel poverty project At risk"
    )
    assert attention.index("Fuel poverty project") < attention.index("Asthma project")
    assert "Concierge road shows" not in attention
    assert "Stock survey" not in attention
    assert "Red – off track" in attention and "Amber – at risk" in attention
    assert f'href="/actions/{made["overdue"].pk}/"' in html


def test_actions_are_grouped_by_priority_with_their_details(client):
    _workstream, workplan = housing()
    actions(workplan)
    html = client.get(URL).content.decode()
    listed = section(html, "actions", "next-steps")
    assert "6 actions in this workplan" in listed
    healthy = listed.index("Healthy homes")
    security = listed.index("Housing security")
    other = listed.index("Not under a priority")
    assert healthy < listed.index("Asthma project") < security
    assert security < listed.index("Concierge road shows") < other
    assert (
        "Fuel poverty project National Energy Action "
        f"{(TODAY + dt.timedelta(days=60)):%-d %b %Y} In progress Red – off track "
        "Not recorded 7 Oct 2024"
    ) in listed
    assert (
        "Develop KPI dashboard Not named Not set Planned Not rated Not recorded "
        "None yet" in listed
    )


def test_next_steps_are_the_actions_flagged_as_next_steps(client):
    _workstream, workplan = housing()
    actions(workplan)
    html = client.get(URL).content.decode()
    next_steps = section(html, "next-steps", "updates")
    assert "Next steps Develop KPI dashboard Planned" in next_steps
    assert "Asthma project" not in next_steps


def test_recent_progress_updates_are_the_last_ten_visible(client):
    workstream, workplan = housing()
    action = ActionFactory(workplan=workplan, title="Visible action")
    for day in range(1, 13):
        ProgressUpdateFactory(
            action=action, reported_on=dt.date(2024, 10, day), text=f"Note {day}."
        )
    draft = WorkplanFactory(workstream=workstream, year_label="2025/26")
    ProgressUpdateFactory(
        action=ActionFactory(workplan=draft), text="Secret draft note."
    )
    updates = section(client.get(URL).content.decode(), "updates", "measures")
    assert updates.count("Visible action") == 10
    assert "Note 12." in updates and "Note 3." in updates and "Note 2." not in updates
    assert updates.index("12 October 2024") < updates.index("11 October 2024")
    assert "Secret draft note." not in updates


def measure(place, workstream, result, trend, *, published=True, **fields):
    indicator = IndicatorFactory(is_published=published, **fields)
    indicator.workstreams.add(workstream)
    value = IndicatorValueFactory(
        indicator=indicator,
        area=place.area,
        period=PeriodFactory(label="2023"),
        value=12.34,
        lower95=11.0,
        upper95=13.0,
        published_text="",
    )
    AssessmentFactory(value=value, result=result, benchmark_area=place.country)
    TrendFactory(value=value, label=trend)
    return indicator, value


def test_linked_measures_show_value_period_assessment_and_trend(client):
    workstream, _workplan = housing()
    place = Place.objects.get()
    fuel, _ = measure(
        place,
        workstream,
        "worse",
        Trend.Label.INCREASING_WORSE,
        name="Fuel poverty",
        display_decimals=1,
    )
    _, value = measure(
        place, workstream, "worse", Trend.Label.NO_SIGNIFICANT_CHANGE, name="Homeless"
    )
    AssessmentFactory(
        value=value, result="similar", method=Method.MANUAL, reason="Revised."
    )
    measure(
        place,
        workstream,
        "better",
        Trend.Label.DECREASING_BETTER,
        name="Hidden",
        published=False,
    )
    measure(
        place,
        WorkstreamFactory(),
        "better",
        Trend.Label.DECREASING_BETTER,
        name="Elsewhere",
    )
    html = client.get(URL).content.decode()
    measures = section(html, "measures")
    assert (
        "Fuel poverty 12.3% 2023 Worse than England Increasing and getting worse"
    ) in measures
    assert "Homeless 12.3% 2023 Similar to England No significant change" in measures
    assert "Hidden" not in measures and "Elsewhere" not in measures
    assert f'href="/indicators/{fuel.code}/"' in html


def test_unpublished_linked_measures_show_to_oversight(role_users, client_as):
    workstream, _workplan = housing()
    measure(
        Place.objects.get(),
        workstream,
        "better",
        Trend.Label.DECREASING_BETTER,
        name="Hidden",
        published=False,
    )
    users = role_users()
    assert "Hidden" in section(
        client_as(users["oversight"]).get(URL).content.decode(), "measures"
    )


def test_a_long_workplan_is_paginated_and_the_attention_list_capped(
    client, monkeypatch
):
    """A workplan of many actions: the most urgent few, with the count, and
    the full list a page at a time, with the filters kept in the page links."""
    monkeypatch.setattr("workstreams.page_selectors.progress.ACTIONS_PER_PAGE", 3)
    monkeypatch.setattr("workstreams.page_selectors.progress.ATTENTION_SHOWN", 2)
    _workstream, workplan = housing()
    for n in range(7):
        ActionFactory(
            workplan=workplan,
            title=f"Red action {n}",
            rag=Action.Rag.RED,
            due_date=TODAY + dt.timedelta(days=30 + n),
        )
    html = client.get(URL).content.decode()
    attention = section(html, "attention", "actions")
    assert "Red action 0" in attention and "Red action 1" in attention
    assert "Red action 2" not in attention
    assert "Showing the 2 most urgent of 7 actions" in attention
    listed = section(html, "actions", "next-steps")
    assert "Actions 1 to 3 of 7 (page 1 of 3)" in listed
    assert sum(f"Red action {n}" in listed for n in range(7)) == 3

    last = client.get(URL + "?rag=red&page=3").content.decode()
    listed = section(last, "actions", "next-steps")
    assert "Actions 7 to 7 of 7 (page 3 of 3)" in listed
    assert 'href="?rag=red&amp;page=2#actions"' in last
    assert client.get(URL + "?page=99").status_code == 200  # the last page


def test_the_page_offers_only_its_own_filters():
    # The page narrows the API's action filter: a filter added for the API
    # (archived, overdue, updated_since, ...) never appears on the page.
    from workstreams.page_selectors.progress import ProgressActionFilter

    form = ProgressActionFilter({}, queryset=Action.objects.none()).form
    assert list(form.fields) == ["status", "rag", "lead_organisation"]
