"""Every editable resource is versioned the same way (ADR 10, ADR 40): GET
gives an ETag; PUT/PATCH without If-Match is 428; a stale one is 412 and
writes nothing; a fresh one is 200 with a new ETag; If-None-Match with the
current ETag is 304; and a change to a related row (one the JSON shows) moves
the ETag, so an old one neither gets a 304 nor passes If-Match."""

import pytest

from indicators.models import Indicator, IndicatorValue, MarmotPrinciple
from marmot.services import StaleRowVersion
from tests.indicators.factories import IndicatorValueFactory
from tests.shared_data import rolled_back_after
from tests.workstreams.api.conftest import build_api_world
from tests.workstreams.factories import (
    ActionFactory,
    MilestoneFactory,
    OrganisationFactory,
)
from tests.workstreams.kpi_fixtures import add_api_kpis
from workstreams import services
from workstreams.models import (
    Action,
    Kpi,
    KpiEntry,
    LogicModel,
    LogicModelItem,
    Milestone,
    Organisation,
    Recommendation,
    Submission,
    Workplan,
    WorkplanPriority,
    Workstream,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def world_once(django_db_setup, django_db_blocker):
    with rolled_back_after(django_db_blocker):
        world = build_api_world()
        world.update(add_api_kpis(world))
        world["milestone"] = MilestoneFactory(action=world["action"])
        world["value"] = IndicatorValueFactory()
        world["indicator"] = world["value"].indicator
        yield world


@pytest.fixture
def world(world_once, db):
    return world_once


# Another writer's change to a related row, behind the API's back.


def _action_gets_a_milestone(world):
    MilestoneFactory(action=world["action"], title="Another step")


def _workstream_plan_moves(world):
    services.action_update(action=world["draft_action"], rag="red")


def _recommendation_answered(world):
    world["action"].recommendations.add(world["recommendation"])


def _logic_model_item_renamed(world):
    LogicModelItem.objects.filter(pk=world["activity"].pk).update(text="Changed.")


def _workplan_priority_renamed(world):
    WorkplanPriority.objects.filter(pk=world["draft_priority"].pk).update(
        title="Renamed behind its back"
    )


# name, model, url, who writes, a change, its field, a related change (or None)
RESOURCES = [
    (
        "principles",
        MarmotPrinciple,
        lambda w: f"/api/v1/principles/{w['principle'].pk}/",
        "officer",
        {"short_title": "Renamed"},
        None,
    ),
    (
        "organisations",
        Organisation,
        lambda w: f"/api/v1/organisations/{w['org'].pk}/",
        "officer",
        {"short_name": "Renamed"},
        None,
    ),
    (
        "workstreams",
        Workstream,
        lambda w: "/api/v1/workstreams/own/",
        "officer",
        {"purpose": "A new purpose."},
        _workstream_plan_moves,
    ),
    (
        "recommendations",
        Recommendation,
        lambda w: f"/api/v1/recommendations/{w['recommendation'].pk}/",
        "officer",
        {"text": "Revised."},
        _recommendation_answered,
    ),
    (
        "workplans",
        Workplan,
        lambda w: f"/api/v1/workplans/{w['draft_workplan'].pk}/",
        "chair",
        {"year_label": "2031/32"},
        _workplan_priority_renamed,
    ),
    (
        "priorities",
        WorkplanPriority,
        lambda w: f"/api/v1/priorities/{w['draft_priority'].pk}/",
        "chair",
        {"title": "Renamed"},
        None,
    ),
    (
        "actions",
        Action,
        lambda w: f"/api/v1/actions/{w['action'].pk}/",
        "chair",
        {"title": "Renamed"},
        _action_gets_a_milestone,
    ),
    (
        "milestones",
        Milestone,
        lambda w: f"/api/v1/milestones/{w['milestone'].pk}/",
        "chair",
        {"title": "Renamed step"},
        None,
    ),
    (
        "logic-models",
        LogicModel,
        lambda w: f"/api/v1/logic-models/{w['logic_model'].pk}/",
        "chair",
        {"hypothesis": "Revised."},
        _logic_model_item_renamed,
    ),
    (
        "submissions",
        Submission,
        lambda w: f"/api/v1/submissions/{w['submission'].pk}/",
        "partner",
        {"title": "Retitled"},
        None,
    ),
    (
        "kpis",
        Kpi,
        lambda w: f"/api/v1/kpis/{w['kpi'].pk}/",
        "chair",
        {"display_order": 7},
        None,
    ),
    (
        "kpi-entries",
        KpiEntry,
        lambda w: f"/api/v1/kpi-entries/{w['kpi_entry'].pk}/",
        "partner",
        {"note": "Checked again."},
        None,
    ),
    (
        "indicators",
        Indicator,
        lambda w: f"/api/v1/indicators/{w['indicator'].code}/",
        "officer",
        {"name": "Renamed measure"},
        None,
    ),
    (
        "values",
        IndicatorValue,
        lambda w: f"/api/v1/values/{w['value'].pk}/",
        "officer",
        {"value_note": "Provisional"},
        None,
    ),
]
IDS = [row[0] for row in RESOURCES]
RELATED = [row for row in RESOURCES if row[5] is not None]


def _row(model, world, name):
    key = {
        "principles": "principle",
        "organisations": "org",
        "workstreams": "own",
        "recommendations": "recommendation",
        "workplans": "draft_workplan",
        "priorities": "draft_priority",
        "actions": "action",
        "milestones": "milestone",
        "logic-models": "logic_model",
        "submissions": "submission",
        "kpis": "kpi",
        "kpi-entries": "kpi_entry",
        "indicators": "indicator",
        "values": "value",
    }[name]
    return model.objects.get(pk=world[key].pk)


@pytest.mark.parametrize(
    ("name", "model", "url", "role", "change", "related"), RESOURCES, ids=IDS
)
def test_every_editable_resource_is_versioned_the_same_way(
    world, client_for, name, model, url, role, change, related
):
    client = client_for(role)
    address = url(world)
    [field] = change
    read = client.get(address)
    assert read.status_code == 200
    etag = read["ETag"]
    before = _row(model, world, name)

    # Unchanged: a conditional GET is a 304 with the ETag, no body.
    same = client.get(address, HTTP_IF_NONE_MATCH=etag)
    assert (same.status_code, same["ETag"], same.content) == (304, etag, b"")
    weak = client.get(address, HTTP_IF_NONE_MATCH=f'"other", W/{etag}')
    assert weak.status_code == 304

    # No If-Match: 428. A stale one: 412, nothing written.
    missing = client.patch(address, change, format="json", HTTP_IF_MATCH="")
    assert missing.status_code == 428, missing.content
    stale = client.patch(address, change, format="json", HTTP_IF_MATCH='"0-0"')
    assert stale.status_code == 412, stale.content
    after = _row(model, world, name)
    assert getattr(after, field) == getattr(before, field)
    assert after.row_version == before.row_version

    # The current one: 200, the change, a new ETag that a GET agrees with.
    written = client.patch(address, change, format="json", HTTP_IF_MATCH=etag)
    assert written.status_code == 200, written.content
    assert written.json()[field] == change[field]
    assert written["ETag"] != etag
    assert _row(model, world, name).row_version == before.row_version + 1
    reread = client.get(address)
    assert reread["ETag"] == written["ETag"]
    assert client.get(address, HTTP_IF_NONE_MATCH=etag).status_code == 200
    again = client.patch(address, change, format="json", HTTP_IF_MATCH=etag)
    assert again.status_code == 412


@pytest.mark.parametrize(
    ("name", "model", "url", "role", "change", "related"),
    RELATED,
    ids=[row[0] for row in RELATED],
)
def test_a_change_to_a_related_row_moves_the_etag(
    world, client_for, name, model, url, role, change, related
):
    """The JSON shows more than the row (an action its milestones, a
    workstream its current workplan): when that moves, so does the ETag."""
    client = client_for(role)
    address = url(world)
    etag = client.get(address)["ETag"]
    related(world)
    fresh = client.get(address, HTTP_IF_NONE_MATCH=etag)
    assert fresh.status_code == 200
    assert fresh["ETag"] != etag
    stale = client.patch(address, change, format="json", HTTP_IF_MATCH=etag)
    assert stale.status_code == 412, stale.content
    ok = client.patch(address, change, format="json", HTTP_IF_MATCH=fresh["ETag"])
    assert ok.status_code == 200, ok.content


def test_if_match_star_and_strangers(world, client_for):
    """``If-Match: *`` proves no reading: 428 on a PATCH; ``If-None-Match: *``
    matches any current record (RFC 9110): 304."""
    client = client_for("chair")
    address = f"/api/v1/actions/{world['action'].pk}/"
    star = client.patch(address, {"title": "X"}, format="json", HTTP_IF_MATCH="*")
    assert star.status_code == 428
    junk = client.patch(address, {"title": "X"}, format="json", HTTP_IF_MATCH="junk")
    assert junk.status_code == 412
    assert client.get(address, HTTP_IF_NONE_MATCH="*").status_code == 304


def test_row_version_in_the_body_stands_for_if_match(world, client_for):
    url = f"/api/v1/actions/{world['action'].pk}/"
    client = client_for("officer")
    version = Action.objects.get(pk=world["action"].pk).row_version
    ok = client.patch(url, {"rag": "red", "row_version": version}, format="json")
    assert ok.status_code == 200
    assert ok.json()["rag"] == "red"
    stale = client.patch(url, {"rag": "amber", "row_version": version}, format="json")
    assert stale.status_code == 412
    assert Action.objects.get(pk=world["action"].pk).rag == "red"


def test_detail_actions_and_deletes_take_if_match_optionally(world, client_for):
    """A decision, a move or a delete: without If-Match it goes ahead; with a
    stale one it is 412 and nothing changes; its answer carries the ETag."""
    chair = client_for("chair")
    workplan = world["draft_workplan"]
    priorities = [world["draft_priority"].pk]
    reorder = f"/api/v1/workplans/{workplan.pk}/reorder-priorities/"
    body = {"priority_ids": priorities}
    stale = chair.post(reorder, body, format="json", HTTP_IF_MATCH='"0-0"')
    assert stale.status_code == 412
    moved = chair.post(reorder, body, format="json")
    assert moved.status_code == 200
    assert moved["ETag"] == chair.get(f"/api/v1/workplans/{workplan.pk}/")["ETag"]

    action = ActionFactory(workplan=workplan)
    address = f"/api/v1/actions/{action.pk}/"
    etag = chair.get(address)["ETag"]
    archived = chair.post(f"{address}archive/", HTTP_IF_MATCH='"0-0"')
    assert archived.status_code == 412
    archived = chair.post(f"{address}archive/", HTTP_IF_MATCH=etag)
    assert archived.status_code == 200
    assert archived["ETag"] != etag

    officer = client_for("officer")
    org = OrganisationFactory()
    gone = officer.delete(f"/api/v1/organisations/{org.pk}/", HTTP_IF_MATCH='"0-0"')
    assert gone.status_code == 412
    assert Organisation.objects.filter(pk=org.pk).exists()
    gone = officer.delete(f"/api/v1/organisations/{org.pk}/")
    assert gone.status_code == 204


def test_the_workplan_status_move_still_needs_if_match(world, client_for):
    url = f"/api/v1/workplans/{world['draft_workplan'].pk}/status/"
    response = client_for("chair").post(url, {"status": "consultation"}, format="json")
    assert response.status_code == 428


def test_second_of_two_racing_writers_loses_in_the_service(world):
    """Both read the same version; the first write wins, the second is refused
    (the services claim the version with a conditional UPDATE)."""
    organisation = Organisation.objects.get(pk=world["org"].pk)
    read = organisation.row_version
    services.organisation_update(
        organisation=organisation, short_name="First", expected_row_version=read
    )
    with pytest.raises(StaleRowVersion):
        services.organisation_update(
            organisation=organisation, short_name="Second", expected_row_version=read
        )
    row = Organisation.objects.get(pk=organisation.pk)
    assert (row.short_name, row.row_version) == ("First", read + 1)


def test_reordering_priorities_moves_each_moved_priority(world):
    workplan = world["draft_workplan"]
    first = world["draft_priority"]
    second = WorkplanPriority.objects.create(workplan=workplan, title="Second")
    services.workplan_priorities_reorder(
        workplan=workplan, priority_ids=[second.pk, first.pk]
    )
    versions = dict(
        WorkplanPriority.objects.filter(workplan=workplan).values_list(
            "pk", "row_version"
        )
    )
    assert versions[first.pk] == first.row_version + 1


def test_put_without_items_keeps_the_logic_model_items(world, client_for):
    logic_model = world["logic_model"]
    client = client_for("chair")
    url = f"/api/v1/logic-models/{logic_model.pk}/"
    response = client.put(
        url,
        {"workstream": "own", "version": 1, "status": "current", "context": "C"},
        format="json",
        HTTP_IF_MATCH=client.get(url)["ETag"],
    )
    assert response.status_code == 200, response.content
    assert [i["text"] for i in response.json()["items"]] == [world["activity"].text]
