"""Two writers on two PostgreSQL connections race to PATCH the same action.

Both pass the API's If-Match check at version 1 (a barrier holds each until
the other has too), so only the service's conditional UPDATE can stop the
lost update: the second writer waits on the first's row lock, then matches no
row and gets 412.
"""

import threading

import pytest
from django.db import connection, connections
from rest_framework.test import APIClient

from marmot.api import viewsets
from workstreams.models import Action

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs PostgreSQL: SQLite locks the whole database, so the "
        "two writers cannot hold separate connections in a real race",
    ),
]


def test_two_connections_patching_with_one_etag_one_wins(world, monkeypatch):
    action = world["action"]
    url = f"/api/v1/actions/{action.pk}/"
    officer = type(world["users"]["officer"]).objects.get(username="officer")
    chair = type(world["users"]["chair"]).objects.get(username="chair")

    both_checked = threading.Barrier(2, timeout=20)
    check_if_match = viewsets.check_if_match

    def check_then_wait(request, **kwargs):
        expected = check_if_match(request, **kwargs)
        both_checked.wait()  # both have seen version 1 before either writes
        return expected

    monkeypatch.setattr(viewsets, "check_if_match", check_then_wait)

    results = {}
    backends = {}

    def write(name, user, title):
        try:
            db = connections["default"]
            db.ensure_connection()
            backends[name] = db.connection.info.backend_pid
            client = APIClient()
            client.force_authenticate(user)
            response = client.patch(
                url, {"title": title}, format="json", HTTP_IF_MATCH='"1"'
            )
            results[name] = (response.status_code, response.json())
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=write, args=("officer", officer, "Officer's title")),
        threading.Thread(target=write, args=("chair", chair, "Chair's title")),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads)

    # Each writer really had its own database session.
    assert len(set(backends.values())) == 2
    statuses = sorted(status for status, _ in results.values())
    assert statuses == [200, 412], results
    winner = next(name for name, (status, _) in results.items() if status == 200)
    loser = next(name for name, (status, _) in results.items() if status == 412)
    assert results[loser][1]["error"]["code"] == "precondition_failed"
    assert results[winner][1]["row_version"] == 2

    row = Action.objects.get(pk=action.pk)
    expected_title = {"officer": "Officer's title", "chair": "Chair's title"}
    assert row.title == expected_title[winner]
    assert row.row_version == 2
