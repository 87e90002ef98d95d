"""A chair's decision racing the partner's edit of the same submission
(issue 14, finding 8).

The services take the submission's row lock, re-read it and check again what
the caller checked before it (still undecided, still in the workstream the
chair decides for, still allowed): a submission decided or moved meanwhile is
a 409 with the error envelope, and nothing is written. The race itself runs on
PostgreSQL with two connections; the same checks without threads run on
SQLite too.
"""

import threading

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection, connections
from rest_framework.test import APIClient

from tests.workstreams.factories import WorkplanFactory
from workstreams import services
from workstreams.api.views import submissions as submission_views
from workstreams.models import Action, Submission
from workstreams.services import submissions as submission_services
from workstreams.services.submissions import SubmissionConflict

ON_POSTGRES = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="needs PostgreSQL: SQLite locks the whole database, so the two "
    "writers cannot hold separate connections in a real race",
)


def _fresh(submission):
    return Submission.objects.get(pk=submission.pk)


@pytest.mark.django_db
def test_a_decision_on_a_submission_moved_meanwhile_is_a_conflict(world):
    """The chair opened it in their queue; the partner moved it to another
    workstream; the chair's accept must not put it into the other
    workstream's plan."""
    other_plan = WorkplanFactory(workstream=world["other"])
    seen_by_chair = _fresh(world["submission"])
    services.submission_update(
        submission=_fresh(world["submission"]),
        user=world["users"]["partner"],
        workstream=world["other"],
    )
    for decide, extra in (
        (services.submission_accept, {}),
        (services.submission_reject, {"reason": "No."}),
        (services.submission_request_info, {"reason": "Why?"}),
    ):
        with pytest.raises(SubmissionConflict, match="moved to the"):
            decide(submission=seen_by_chair, user=world["users"]["chair"], **extra)
    row = _fresh(world["submission"])
    assert (row.status, row.workstream) == ("submitted", world["other"])
    assert not Action.objects.filter(workplan=other_plan).exists()


@pytest.mark.django_db
def test_the_permission_is_checked_again_under_the_lock(world):
    """Someone who may not decide the locked row is refused by the service
    itself, whatever the caller checked."""
    with pytest.raises(PermissionDenied):
        services.submission_accept(
            submission=world["submission"], user=world["users"]["other_chair"]
        )
    assert _fresh(world["submission"]).status == "submitted"


@pytest.mark.django_db
def test_patching_a_decided_submission_is_a_409_with_the_envelope(world, client_for):
    url = f"/api/v1/submissions/{world['submission'].pk}/"
    assert (
        client_for("chair").post(f"{url}accept/", {}, format="json").status_code == 200
    )
    response = client_for("partner").patch(
        url, {"title": "Changed"}, format="json", HTTP_IF_MATCH='"2"'
    )
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "conflict"
    assert "already accepted" in response.json()["error"]["message"]
    assert _fresh(world["submission"]).title != "Changed"
    # Someone else's submission stays a 404 (not visible), decided or not.
    other = client_for("partner").patch(
        f"/api/v1/submissions/{world['other_submission'].pk}/",
        {"title": "x"},
        format="json",
        HTTP_IF_MATCH='"1"',
    )
    assert other.status_code == 404


@ON_POSTGRES
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("first", ["chair", "partner"])
def test_chair_accept_racing_partner_move_one_wins_the_loser_gets_409(
    world, monkeypatch, first
):
    """Both requests have read the undecided submission in the chair's
    workstream (a barrier holds each until the other has) before either
    writes. ``first`` takes the row lock first; the other then asks for it
    (and waits on PostgreSQL's row lock until the first commits). The first
    wins; the other is a 409 with the envelope, never a 500, and the action
    never lands in the other workstream's plan. Asserted on outcomes only."""
    other_plan = WorkplanFactory(workstream=world["other"])
    users = {
        role: type(world["users"][role]).objects.get(pk=world["users"][role].pk)
        for role in ("chair", "partner")
    }
    submission = world["submission"]
    url = f"/api/v1/submissions/{submission.pk}/"

    both_read = threading.Barrier(2, timeout=20)
    get_object = submission_views.SubmissionViewSet.get_object

    def read_then_wait(view):
        found = get_object(view)
        both_read.wait()
        return found

    first_has_lock = threading.Event()
    lock = submission_services._lock

    def lock_in_order(row):
        me = threading.current_thread().name
        if me != first:
            assert first_has_lock.wait(timeout=20)
        locked = lock(row)
        if me == first:
            first_has_lock.set()
        return locked

    monkeypatch.setattr(
        submission_views.SubmissionViewSet, "get_object", read_then_wait
    )
    monkeypatch.setattr(submission_services, "_lock", lock_in_order)
    results, backends = {}, {}

    def send(role):
        try:
            db = connections["default"]
            db.ensure_connection()
            backends[role] = db.connection.info.backend_pid
            client = APIClient()
            client.force_authenticate(users[role])
            if role == "chair":
                response = client.post(f"{url}accept/", {}, format="json")
            else:
                response = client.patch(
                    url, {"workstream": "other"}, format="json", HTTP_IF_MATCH='"1"'
                )
            results[role] = (response.status_code, response.json())
        finally:
            connections.close_all()

    threads = [threading.Thread(target=send, args=(r,), name=r) for r in users]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads)
    assert len(set(backends.values())) == 2  # two real database sessions

    loser = "partner" if first == "chair" else "chair"
    assert results[first][0] == 200, results
    assert results[loser][0] == 409, results
    assert results[loser][1]["error"]["code"] == "conflict"
    why = {"chair": "already accepted", "partner": "moved to the"}[first]
    assert why in results[loser][1]["error"]["message"]
    row = _fresh(submission)
    if first == "chair":
        assert (row.status, row.workstream) == ("accepted", world["own"])
        assert row.action.workplan.workstream == world["own"]
    else:
        assert (row.status, row.workstream) == ("submitted", world["other"])
        assert row.action is None
    assert not Action.objects.filter(workplan=other_plan).exists()
