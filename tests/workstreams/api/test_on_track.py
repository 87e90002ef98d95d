"""The workstream API's read-only `on_track` (ADR 19): the judgement in force,
the rule's own with its reasons, and the override, as the site shows them."""

from django.utils import timezone

from workstreams import services


def on_track(client, slug="own"):
    response = client.get(f"/api/v1/workstreams/{slug}/")
    assert response.status_code == 200
    return response.json()["on_track"]


def test_the_rule_judges_the_workplan_each_caller_sees(world, client_for):
    # the public reads the signed-off 2024/25 plan: its one action is overdue
    assert on_track(client_for("anonymous")) == {
        "judgement": "off_track",
        "label": "Off track",
        "overridden": False,
        "rule_judgement": "off_track",
        "rule_label": "Off track",
        "rule_reasons": ["1 of 1 open action overdue"],
        "override": None,
    }
    # the chair reads the 2025/26 draft as current
    assert on_track(client_for("chair"))["rule_reasons"] == [
        "1 of 1 open action overdue",
        "workplan not signed off (a draft)",
    ]
    # a workstream with no workplan is not yet known
    other = on_track(client_for("anonymous"), "other")
    assert other["judgement"] == "not_yet_known"
    assert other["rule_reasons"] == ["no published workplan yet"]


def test_an_override_shows_with_who_to_signed_in_callers_only(world, client_for):
    officer = world["users"]["officer"]
    officer.first_name, officer.last_name = "Olu", "Adeyemi"
    officer.save()
    # the officer sees the draft as current; override the public's year instead
    world["draft_workplan"].delete()
    services.workstream_on_track_set(
        workstream=world["own"],
        user=officer,
        judgement="some_concerns",
        reason="The overdue action was rescheduled by the board.",
    )
    body = on_track(client_for("oversight"))
    assert body["judgement"] == "some_concerns"
    assert body["overridden"] is True
    assert body["rule_judgement"] == "off_track"
    override = body["override"]
    assert override["set_by"] == "Olu Adeyemi"
    assert override["reason"] == "The overdue action was rescheduled by the board."
    assert override["rule_said"] == "off_track"
    assert override["applies"] is True
    assert override["set_at"][:10] == timezone.now().isoformat()[:10]
    assert on_track(client_for("anonymous"))["override"]["set_by"] == (
        "a programme user"
    )
    # the list gives the same, for every workstream
    rows = client_for("anonymous").get("/api/v1/workstreams/").json()["results"]
    assert {row["slug"]: row["on_track"]["judgement"] for row in rows} == {
        "own": "some_concerns",
        "other": "not_yet_known",
    }
