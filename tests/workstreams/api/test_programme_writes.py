"""Officers' writes to workstreams and recommendations, through the services."""

import pytest

from tests.workstreams.factories import MarmotPrincipleFactory
from workstreams import services
from workstreams.models import Recommendation, Workstream

pytestmark = pytest.mark.django_db


def test_officer_creates_a_workstream_with_chair_deputies_and_principles(
    world, client_for
):
    users = world["users"]
    second = MarmotPrincipleFactory(number=2)
    response = client_for("officer").post(
        "/api/v1/workstreams/",
        {
            "slug": "money",
            "name": "Money and debt",
            "purpose": "Fewer households in problem debt.",
            "chair": users["other_chair"].pk,
            "chair_role": "Director of Finance",
            "deputies": [users["chair"].pk],
            "principles": [world["principle"].number, second.number],
            "display_order": 4,
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["slug"] == "money"
    assert body["chair"]["id"] == users["other_chair"].pk
    assert sorted(p["number"] for p in body["principles"]) == [1, 2]
    row = Workstream.objects.get(slug="money")
    assert (row.purpose, row.chair_role, row.display_order) == (
        "Fewer households in problem debt.",
        "Director of Finance",
        4,
    )
    assert list(row.deputies.all()) == [users["chair"]]


def test_officer_patch_changes_only_what_is_sent(world, client_for):
    own = world["own"]
    deputy = world["users"]["oversight"]
    response = client_for("officer").patch(
        "/api/v1/workstreams/own/",
        {"purpose": "Good work for all.", "deputies": [deputy.pk], "chair": None},
        format="json",
    )
    assert response.status_code == 200, response.content
    assert response.json()["chair"] is None
    assert response.json()["purpose"] == "Good work for all."
    own.refresh_from_db()
    assert own.chair is None
    assert own.name == world["own"].name
    assert list(own.deputies.all()) == [deputy]
    assert list(own.principles.all()) == [world["principle"]]


def test_put_can_rename_the_slug(world, client_for):
    response = client_for("officer").put(
        "/api/v1/workstreams/own/",
        {"slug": "good-work", "name": "Good work"},
        format="json",
    )
    assert response.status_code == 200, response.content
    assert response.json()["slug"] == "good-work"
    assert Workstream.objects.filter(pk=world["own"].pk, slug="good-work").exists()


def test_duplicate_workstream_slug_is_400(world, client_for):
    response = client_for("officer").post(
        "/api/v1/workstreams/", {"slug": "other", "name": "Another"}, format="json"
    )
    assert response.status_code == 400
    assert Workstream.objects.filter(slug="other").count() == 1


def test_chair_cannot_edit_their_own_workstream(world, client_for):
    response = client_for("chair").patch(
        "/api/v1/workstreams/own/", {"name": "Mine now"}, format="json"
    )
    assert response.status_code == 403
    assert Workstream.objects.get(slug="own").name == world["own"].name


def test_workstreams_cannot_be_deleted(world, client_for):
    response = client_for("officer").delete("/api/v1/workstreams/own/")
    assert response.status_code == 405
    assert Workstream.objects.filter(slug="own").exists()


@pytest.mark.parametrize(
    ("endpoint", "key", "change", "field"),
    [
        ("principles", "principle", {"title": "Best start in life"}, "title"),
        ("organisations", "org", {"short_name": "TCU"}, "short_name"),
        ("recommendations", "recommendation", {"text": "Revised."}, "text"),
    ],
)
def test_patch_answers_with_the_saved_row(
    world, client_for, endpoint, key, change, field
):
    response = client_for("officer").patch(
        f"/api/v1/{endpoint}/{world[key].pk}/", change, format="json"
    )
    assert response.status_code == 200, response.content
    assert response.json()[field] == change[field]


def test_officer_creates_and_updates_a_recommendation(world, client_for):
    client = client_for("officer")
    created = client.post(
        "/api/v1/recommendations/",
        {
            "source": "evaluation",
            "number": 3,
            "text": "Publish progress every quarter.",
            "workstream": "own",
            "principle": world["principle"].number,
        },
        format="json",
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert (body["workstream"], body["action_count"]) == ("own", 0)
    row = Recommendation.objects.get(source="evaluation", number=3)
    assert row.principle == world["principle"]

    patched = client.patch(
        f"/api/v1/recommendations/{row.pk}/",
        {"text": "Publish progress monthly.", "workstream": "other"},
        format="json",
    )
    assert patched.status_code == 200, patched.content
    row.refresh_from_db()
    assert (row.text, row.workstream, row.number) == (
        "Publish progress monthly.",
        world["other"],
        3,
    )


def test_duplicate_recommendation_number_is_400(world, client_for):
    existing = world["recommendation"]
    response = client_for("officer").post(
        "/api/v1/recommendations/",
        {"source": existing.source, "number": existing.number, "text": "Again."},
        format="json",
    )
    assert response.status_code == 400
    assert Recommendation.objects.filter(number=existing.number).count() == 1


def test_workstream_update_service_keeps_unsent_links(world):
    own = world["own"]
    services.workstream_update(workstream=own, name="Work and health")
    own.refresh_from_db()
    assert own.name == "Work and health"
    assert own.chair == world["users"]["chair"]
    assert list(own.principles.all()) == [world["principle"]]
    with pytest.raises(TypeError):
        services.workstream_update(workstream=own, colour="red")


def test_workstream_upsert_keeps_the_chair_unless_given(world):
    own = world["own"]
    services.workstream_upsert(slug="own", name=own.name)
    assert Workstream.objects.get(pk=own.pk).chair == world["users"]["chair"]
    services.workstream_upsert(slug="own", name=own.name, chair=None)
    assert Workstream.objects.get(pk=own.pk).chair is None
