"""Every list endpoint makes the same number of queries whatever the data size."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.indicators.factories import (
    AssessmentFactory,
    IndicatorFactory,
    IndicatorValueFactory,
)
from tests.workstreams.factories import (
    ActionFactory,
    LogicModelFactory,
    LogicModelItemFactory,
    MarmotPrincipleFactory,
    OrganisationFactory,
    PlaceFactory,
    ProgressUpdateFactory,
    RecommendationFactory,
    SubmissionFactory,
    WorkplanFactory,
    WorkplanPriorityFactory,
    WorkstreamFactory,
)

pytestmark = pytest.mark.django_db

SIGNED = {"status": "signed_off", "signed_off_on": dt.date(2024, 3, 1)}


def _signed_workplan(workstream=None, **kwargs):
    if workstream is not None:
        kwargs["workstream"] = workstream
    workplan = WorkplanFactory(**SIGNED, **kwargs)
    WorkplanPriorityFactory(workplan=workplan)
    return workplan


def _action(world, workplan=None):
    action = ActionFactory(workplan=workplan or world["workplan"])
    action.principles.add(world["principle"])
    action.activities.add(world["activity"])
    action.recommendations.add(world["recommendation"])
    return action


def _seed(world, endpoint, n, start=0):
    place = PlaceFactory()
    for i in range(start, start + n):
        if endpoint == "principles":
            MarmotPrincipleFactory(number=i + 2)
        elif endpoint == "organisations":
            OrganisationFactory()
        elif endpoint == "workstreams":
            workstream = WorkstreamFactory()
            workstream.principles.add(world["principle"])
            LogicModelItemFactory(
                logic_model=LogicModelFactory(workstream=workstream, status="current")
            )
            _action(world, _signed_workplan(workstream))
        elif endpoint == "logic-models":
            logic_model = LogicModelFactory(
                workstream=WorkstreamFactory(), status="current"
            )
            activity = LogicModelItemFactory(logic_model=logic_model, kind="activity")
            _action(world).activities.add(activity)
            outcome = LogicModelItemFactory(logic_model=logic_model, kind="outcome")
            indicator = IndicatorFactory(is_published=True)
            outcome.indicators.add(indicator)
            value = IndicatorValueFactory(indicator=indicator, area=place.area)
            AssessmentFactory(value=value)
        elif endpoint == "workplans":
            _signed_workplan(year_label=f"20{30 + i}/{31 + i}")
        elif endpoint == "priorities":
            priority = WorkplanPriorityFactory(workplan=_signed_workplan())
            ActionFactory(workplan=priority.workplan, priority=priority)
        elif endpoint == "actions":
            _action(world)
        elif endpoint == "progress-updates":
            ProgressUpdateFactory(action=_action(world))
        elif endpoint == "recommendations":
            _action(world).recommendations.add(RecommendationFactory())
        elif endpoint == "submissions":
            submission = SubmissionFactory(
                organisation=world["org"], workstream=world["own"]
            )
            submission.principles.add(world["principle"])


# endpoint: queries for a page, as (anonymous, officer, partner). A logged-in
# user's roles cost three more, once (`principal_for`); the logic models'
# indicators add the five of `indicators.selectors.indicator_latest_values`.
# Lists ordered by another table's columns page in two steps (the page's ids,
# then its rows: marmot.api.pagination): one query more than the others.
LIMITS = {
    "principles": (2, 2, 2),
    "organisations": (2, 2, 2),
    # + 2: the on-track judgements and their output KPIs (ADR 19)
    "workstreams": (8, 11, 11),
    "logic-models": (12, 15, 15),
    "workplans": (4, 7, 7),
    "priorities": (3, 6, 6),
    "actions": (7, 10, 10),  # + 1: milestones (% complete and the list)
    "progress-updates": (3, 6, 6),  # + 1: evidence files
    "recommendations": (2, 5, 5),  # + 3: the reader's roles count actions
    "submissions": (None, 6, 6),
}
ROLES = ["anonymous", "officer", "partner"]


def _count(client, url, expected_rows=None):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, response.content
    if expected_rows is not None:
        assert response.json()["count"] >= expected_rows
    return len(queries)


CASES = [
    (endpoint, role)
    for endpoint, limits in LIMITS.items()
    for role, limit in zip(ROLES, limits, strict=True)
    if limit is not None
]


@pytest.mark.parametrize(("endpoint", "role"), CASES)
def test_list_queries_do_not_grow_with_rows(
    world, client_for, django_assert_max_num_queries, endpoint, role
):
    url = f"/api/v1/{endpoint}/?page_size=500"
    _seed(world, endpoint, 2)
    small = _count(client_for(role), url)
    _seed(world, endpoint, 5, start=2)
    limit = LIMITS[endpoint][ROLES.index(role)]
    client = client_for(role)
    with django_assert_max_num_queries(limit):
        large = _count(client, url, expected_rows=7 if role == "officer" else None)
    assert small == large == limit
