"""A row the reader may not see is a 404 for every method (issue 14, finding
16): before, a partner's PUT/PATCH/DELETE of a draft workplan, action,
priority or logic model, a partner's POST to a draft workplan's ``status/`` or
a draft action's ``archive/``, and another chair's DELETE of a draft
workplan or logic model answered 403, which says the row exists."""

import pytest

from tests.workstreams.factories import ActionFactory

pytestmark = pytest.mark.django_db

# (resource, the world's row it addresses, detail sub-address or "")
HIDDEN_ROWS = [
    ("workplans", "draft_workplan", ""),
    ("workplans", "draft_workplan", "status/"),
    ("workplans", "draft_workplan", "reorder-priorities/"),
    ("actions", "draft_action", ""),
    ("actions", "draft_action", "archive/"),
    ("priorities", "draft_priority", ""),
    ("logic-models", "draft_logic_model", ""),
    ("progress-updates", "draft_progress_update", ""),
    ("submissions", "other_submission", ""),
    ("submissions", "other_submission", "accept/"),
    ("submissions", "other_submission", "reject/"),
    ("submissions", "other_submission", "request-info/"),
]
METHODS = ("get", "post", "put", "patch", "delete")


@pytest.mark.parametrize("role", ["partner", "other_chair"])
@pytest.mark.parametrize(("resource", "row", "sub"), HIDDEN_ROWS)
def test_every_method_on_a_hidden_row_is_a_404(
    world, client_for, role, resource, row, sub
):
    target = world[row]
    if role == "partner" and row == "draft_action":
        # One the partner's organisation does not lead: that one they read
        # (test_the_partner_reads_the_draft_action_their_organisation_leads).
        target = ActionFactory(workplan=world["draft_workplan"])
    if role == "other_chair" and resource == "submissions":
        pytest.skip("the other workstream's submission is the other chair's own")
    client = client_for(role)
    url = f"/api/v1/{resource}/{target.pk}/{sub}"
    missing = f"/api/v1/{resource}/987654/{sub}"
    answers = {}
    for method in METHODS:
        send = getattr(client, method)
        response = send(url, {}, format="json", HTTP_IF_MATCH='"1"')
        # Exactly what a row that does not exist gets: a 404 for each method
        # the address takes (the same 405 for one it never takes).
        nothing = send(missing, {}, format="json", HTTP_IF_MATCH='"1"')
        assert response.status_code == nothing.status_code, (method, url)
        assert response.status_code in (404, 405), (method, url, response.content)
        answers[method] = response.status_code
    taken = "post" if sub else "patch"
    if resource == "progress-updates":  # append-only: no detail write at all
        taken = "get"
    assert answers[taken] == 404, answers
    assert type(target).objects.filter(pk=target.pk).exists()


def test_the_partner_reads_the_draft_action_their_organisation_leads(world, client_for):
    """One rule with the site (`rules.can_view_action`): the partner whose
    organisation leads a draft action reads it, listed too, and may not change
    or archive it (403: they know it exists)."""
    action = world["draft_action"]
    client = client_for("partner")
    url = f"/api/v1/actions/{action.pk}/"
    assert client.get(url).status_code == 200
    listed = client.get("/api/v1/actions/?page_size=500").json()["results"]
    assert action.pk in {row["id"] for row in listed}
    change = client.patch(url, {"rag": "red"}, format="json", HTTP_IF_MATCH='"1"')
    assert change.status_code == 403
    archive = client.post(f"{url}archive/", {}, format="json", HTTP_IF_MATCH='"1"')
    assert archive.status_code == 403


def test_a_row_the_reader_sees_but_may_not_change_is_still_a_403(world, client_for):
    """Oversight members read drafts but write nothing: a 403, as before."""
    url = f"/api/v1/actions/{world['draft_action'].pk}/"
    response = client_for("oversight").patch(
        url, {"rag": "red"}, format="json", HTTP_IF_MATCH='"1"'
    )
    assert response.status_code == 403
    assert client_for("anonymous").delete(url).status_code == 401


# A write that names a hidden row in its body (a new priority's workplan, a
# progress update's action) is answered as if the id did not exist: a 400 on
# that field, never a 403 that says the row is there.
NAMED_IN_BODY = [
    ("other_chair", "priorities", "workplan", "draft_workplan", {"title": "Mine"}),
    ("partner", "priorities", "workplan", "draft_workplan", {"title": "Mine"}),
    (
        "other_chair",
        "progress-updates",
        "action",
        "draft_action",
        {"text": "Done.", "reported_on": "2025-01-10", "status": "in_progress"},
    ),
]


@pytest.mark.parametrize(("role", "resource", "field", "row", "body"), NAMED_IN_BODY)
def test_a_hidden_row_named_in_a_body_reads_as_missing(
    world, client_for, role, resource, field, row, body
):
    client = client_for(role)
    hidden = client.post(
        f"/api/v1/{resource}/", {**body, field: world[row].pk}, format="json"
    )
    missing = client.post(
        f"/api/v1/{resource}/", {**body, field: 987654}, format="json"
    )
    # The same answer, word for word but the id: a partner may not add
    # priorities at all (403 either way); the others get the field's 400.
    assert hidden.status_code == missing.status_code, hidden.content
    assert hidden.content.decode() == missing.content.decode().replace(
        "987654", str(world[row].pk)
    )
    if role == "other_chair":
        assert hidden.status_code == 400
        assert list(hidden.json()["error"]["fields"]) == [field]
