"""What the read endpoints carry: summaries, logic-model links, filters."""

import datetime as dt

import pytest
from django.utils import timezone

from tests.indicators.factories import (
    AssessmentFactory,
    IndicatorFactory,
    IndicatorValueFactory,
    PeriodFactory,
)
from tests.workstreams.factories import (
    ActionFactory,
    LogicModelItemFactory,
    MarmotPrincipleFactory,
    PlaceFactory,
    RecommendationFactory,
    WorkplanFactory,
)
from workstreams.models import Action

pytestmark = pytest.mark.django_db


def test_workstream_detail_summarises_current_work(world, client_for):
    workplan = world["workplan"]
    ActionFactory(workplan=workplan, status="planned", rag="amber")
    ActionFactory(workplan=workplan, status="planned", rag="")
    ActionFactory(workplan=world["draft_workplan"], status="on_hold", rag="red")
    response = client_for("anonymous").get("/api/v1/workstreams/own/")
    assert response.status_code == 200
    body = response.json()
    # The public read the chair's published role, never the account (ADR 26).
    assert body["chair"] is None and body["chair_role"] == world["own"].chair_role
    assert [p["number"] for p in body["principles"]] == [1]
    assert body["current_logic_model"] == {
        "id": world["logic_model"].pk,
        "version": 1,
        "dated": None,
        "item_count": 1,
    }
    # The public sees the signed-off plan; the draft (2025/26) is not theirs.
    assert body["current_workplan"] == {
        "id": workplan.pk,
        "year_label": "2024/25",
        "status": "signed_off",
        "action_count": 3,
        "by_status": {"in_progress": 1, "planned": 2},
        "by_rag": {"green": 1, "amber": 1, "none": 1},
    }


def test_chair_sees_the_draft_workplan_as_current(world, client_for):
    body = client_for("chair").get("/api/v1/workstreams/own/").json()
    assert body["current_workplan"]["year_label"] == "2025/26"
    assert body["current_workplan"]["by_status"] == {"in_progress": 1}


def test_logic_model_items_carry_indicator_latest_and_action_status(world, client_for):
    place = PlaceFactory()
    indicator = IndicatorFactory(name="Employment gap", is_published=True)
    value = IndicatorValueFactory(
        indicator=indicator, area=place.area, period=PeriodFactory(label="2023")
    )
    AssessmentFactory(value=value, result="worse")
    outcome = LogicModelItemFactory(
        logic_model=world["logic_model"], kind="outcome", text="More people in work"
    )
    outcome.indicators.add(indicator)
    response = client_for("anonymous").get(
        f"/api/v1/logic-models/{world['logic_model'].pk}/"
    )
    items = {item["kind"]: item for item in response.json()["items"]}
    assert items["outcome"]["indicators"] == [indicator.pk]
    assert items["outcome"]["latest"] == [
        {
            "indicator": indicator.pk,
            "name": "Employment gap",
            "period": str(value.period),
            "value": 40.0,
            "assessments": {"national": "worse"},
        }
    ]
    assert items["outcome"]["actions"] == []
    action = world["action"]
    assert items["activity"]["actions"] == [
        {"id": action.pk, "title": action.title, "status": "in_progress"}
    ]
    assert items["activity"]["latest"] == []


def _ids(response):
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


def test_action_filters(world, client_for):
    today = timezone.localdate()
    workplan = world["workplan"]
    late = ActionFactory(workplan=workplan, due_date=today - dt.timedelta(days=1))
    ActionFactory(
        workplan=workplan,
        due_date=today - dt.timedelta(days=3),
        status="completed",
        completed_on=today,
    )
    principle = MarmotPrincipleFactory(number=5)
    late.principles.add(principle)
    elsewhere = ActionFactory(
        workplan=WorkplanFactory(
            workstream=world["other"], status="closed", signed_off_on="2024-03-01"
        ),
        rag="red",
        due_date=dt.date(2099, 1, 1),
    )
    client = client_for("officer")
    overdue = {late.pk, world["action"].pk, world["draft_action"].pk}
    assert _ids(client.get("/api/v1/actions/?overdue=true")) == overdue
    not_overdue = _ids(client.get("/api/v1/actions/?overdue=false"))
    assert elsewhere.pk in not_overdue
    assert not (not_overdue & overdue)
    assert _ids(client.get("/api/v1/actions/?workstream=other")) == {elsewhere.pk}
    assert _ids(client.get("/api/v1/actions/?rag=red")) == {elsewhere.pk}
    assert _ids(client.get("/api/v1/actions/?principle=5")) == {late.pk}
    assert _ids(
        client.get(f"/api/v1/actions/?lead_organisation={world['org'].pk}")
    ) == {world["action"].pk, world["draft_action"].pk}
    assert _ids(client.get(f"/api/v1/actions/?priority={world['priority'].pk}")) == {
        world["action"].pk
    }
    before = (today - dt.timedelta(days=2)).isoformat()
    due_before = _ids(client.get(f"/api/v1/actions/?due_before={before}"))
    assert late.pk not in due_before
    assert due_before == set(
        Action.objects.filter(due_date__lte=before).values_list("pk", flat=True)
    )
    since = (timezone.now() + dt.timedelta(hours=1)).isoformat()
    assert _ids(client.get("/api/v1/actions/", {"updated_since": since})) == set()
    assert client.get("/api/v1/actions/?status=nonsense").status_code == 400


def test_actions_ordering_and_page_size(world, client_for):
    for n in range(3):
        ActionFactory(workplan=world["workplan"], due_date=dt.date(2025, 1, 1 + n))
    response = client_for("officer").get(
        "/api/v1/actions/?ordering=-due_date&page_size=2"
    )
    body = response.json()
    assert body["count"] == 5
    assert len(body["results"]) == 2
    dates = [row["due_date"] for row in body["results"]]
    assert dates == sorted(dates, reverse=True)


def test_recommendation_coverage_audit(world, client_for):
    answered = world["recommendation"]
    world["action"].recommendations.add(answered)
    open_one = RecommendationFactory(workstream=world["own"])
    client = client_for("anonymous")
    assert _ids(client.get("/api/v1/recommendations/?has_actions=true")) == {
        answered.pk
    }
    assert _ids(client.get("/api/v1/recommendations/?has_actions=false")) == {
        open_one.pk
    }
    row = client.get(f"/api/v1/recommendations/{answered.pk}/").json()
    assert row["action_count"] == 1
    assert row["workstream"] == "own"


def test_progress_updates_are_append_only(world, client_for):
    url = f"/api/v1/progress-updates/{world['progress_update'].pk}/"
    client = client_for("officer")
    assert client.put(url, {}, format="json").status_code == 405
    assert client.patch(url, {}, format="json").status_code == 405
    assert client.delete(url).status_code == 405


def test_partner_adds_progress_only_to_actions_their_organisation_leads(
    world, client_for
):
    theirs, not_theirs = world["action"], ActionFactory(workplan=world["workplan"])
    client = client_for("partner")
    body = {"reported_on": "2024-12-01", "text": "Done.", "status": "completed"}
    created = client.post(
        "/api/v1/progress-updates/", {**body, "action": theirs.pk}, format="json"
    )
    assert created.status_code == 201, created.content
    assert created.json()["author"] == world["users"]["partner"].pk
    theirs.refresh_from_db()
    assert (theirs.status, theirs.completed_on) == ("completed", dt.date(2024, 12, 1))
    refused = client.post(
        "/api/v1/progress-updates/", {**body, "action": not_theirs.pk}, format="json"
    )
    assert refused.status_code == 403
