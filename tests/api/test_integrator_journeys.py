"""Issue 18's proof: a chair's, a partner's and an analyst's tasks done end to
end with the client openapi-python-client generates from ``/api/schema/``,
used as docs/api.md tells an integrator to use it, unchanged.

The generated client talks to this process's app through
``tests.api.generated_client.DjangoTransport`` (Django's test client under
httpx), so every answer is also checked against the schema. The world is
Luton's programme, loaded once for the module, with its housing chair, a
partner organisation and two housing actions past their due date.
"""

import csv
import datetime as dt
import importlib
import io

import pytest

from tests.api.generated_client import generated_client, httpx_args  # noqa: F401
from tests.conftest import make_role_users
from workstreams.models import Action, Organisation, Workstream

pytestmark = pytest.mark.usefixtures("luton_shared")

BASE_URL = "http://testserver"
PASSWORD = "correct-horse-battery-staple"  # tests.workstreams.factories.UserFactory
LONG_AGO = dt.date(2025, 1, 31)
UNDER_75 = "under-75-preventable-circulatory-mortality"


def api(name: str):
    """A module of the generated package, as an integrator imports it."""
    return importlib.import_module(f"marmot_client.{name}")


@pytest.fixture
def people(generated_client):  # noqa: F811
    housing = Workstream.objects.get(slug="housing")
    partner_organisation = Organisation.objects.order_by("name").first()
    users = make_role_users(chair_of=housing, organisation=partner_organisation)
    late = list(Action.objects.filter(workplan__workstream=housing).order_by("pk")[:2])
    Action.objects.filter(pk__in=[a.pk for a in late]).update(due_date=LONG_AGO)
    return {
        "housing": housing,
        "late": late,
        "organisation": partner_organisation,
        **users,
    }


def signed_in(username: str):
    """Sign in with a username and password, as a script does, and get an
    authenticated client."""
    client_module = api("client")
    token = api("api.auth.auth_token_create").sync(
        client=client_module.Client(base_url=BASE_URL, httpx_args=httpx_args()),
        body=api("models").CredentialsRequest(username=username, password=PASSWORD),
    )
    assert isinstance(token, api("models").Token), token
    return client_module.AuthenticatedClient(
        base_url=BASE_URL, token=token.token, prefix="Token", httpx_args=httpx_args()
    )


def test_a_chair_works_through_their_overdue_actions(people):
    models = api("models")
    chair = signed_in("chair")

    me = api("api.me.me_retrieve").sync(client=chair)
    assert [w.slug for w in me.workstreams] == ["housing"]

    # List my overdue actions.
    overdue = api("api.actions.actions_list").sync(
        client=chair, workstream="mine", overdue=True
    )
    assert sorted(a.id for a in overdue.results) == [a.pk for a in people["late"]]

    # PATCH one with If-Match: the ETag from reading it.
    action_id = overdue.results[0].id
    read = api("api.actions.actions_retrieve").sync_detailed(id=action_id, client=chair)
    etag = read.headers["ETag"]
    change = models.PatchedActionRequest(
        due_date=dt.date(2027, 3, 31), rag=models.RagEnum.AMBER
    )
    update = api("api.actions.actions_partial_update")
    changed = update.sync_detailed(
        id=action_id, client=chair, body=change, if_match=etag
    )
    assert changed.status_code == 200, changed.content
    assert changed.parsed.due_date == dt.date(2027, 3, 31)
    assert changed.headers["ETag"] != etag
    # The old ETag is stale now: 412, in the error envelope, nothing written.
    stale = update.sync_detailed(
        id=action_id,
        client=chair,
        body=models.PatchedActionRequest(title="Overwritten"),
        if_match=etag,
    )
    assert stale.status_code == 412
    assert stale.parsed.error.code == "precondition_failed"
    assert Action.objects.get(pk=action_id).title != "Overwritten"

    # Post a progress update on it.
    posted = api("api.progress_updates.progress_updates_create").sync_detailed(
        client=chair,
        body=models.ProgressUpdateRequest(
            action=action_id,
            reported_on=dt.date.today(),
            text="Landlords' forum booked for March.",
            status=models.ActionStatusEnum.IN_PROGRESS,
        ),
    )
    assert posted.status_code == 201, posted.content
    assert posted.headers["Location"].endswith(
        f"/api/v1/progress-updates/{posted.parsed.id}/"
    )

    # Reorder the workplan's priorities: last first.
    workplan_id = overdue.results[0].workplan
    priorities = api("api.priorities.priorities_list")
    before = [p.id for p in priorities.sync(client=chair, workplan=workplan_id).results]
    assert len(before) > 1
    wanted = [before[-1], *before[:-1]]
    reordered = api("api.workplans.workplans_reorder_priorities_create").sync_detailed(
        id=workplan_id,
        client=chair,
        body=models.PriorityReorderRequest(priority_ids=wanted),
    )
    assert reordered.status_code == 200, reordered.content
    after = [p.id for p in priorities.sync(client=chair, workplan=workplan_id).results]
    assert after == wanted

    # The action given a new date is no longer overdue.
    still = api("api.actions.actions_list").sync(
        client=chair, workstream="mine", overdue=True
    )
    assert [a.id for a in still.results] == [people["late"][1].pk]


def test_a_partner_proposes_an_action_and_answers_the_chair(people):
    models = api("models")
    partner, chair = signed_in("partner"), signed_in("chair")
    me = api("api.me.me_retrieve").sync(client=partner)
    assert me.organisation.id == people["organisation"].pk

    # Create a submission.
    created = api("api.submissions.submissions_create").sync_detailed(
        client=partner,
        body=models.SubmissionRequest(
            workstream="housing",
            title="Damp and mould advice clinics",
            description="Monthly clinics in two family hubs.",
            lead_contact="Sam Patel",
            principles=[6],
        ),
    )
    assert created.status_code == 201, created.content
    submission_id = created.parsed.id
    assert created.headers["Location"].endswith(f"/api/v1/submissions/{submission_id}/")

    # The chair asks for more information.
    asked = api("api.submissions.submissions_request_info_create").sync_detailed(
        id=submission_id,
        client=chair,
        body=models.SubmissionReasonRequest(reason="Which family hubs, and when?"),
    )
    assert asked.status_code == 200, asked.content

    # The partner reads the request and answers it, resubmitting.
    read = api("api.submissions.submissions_retrieve").sync_detailed(
        id=submission_id, client=partner
    )
    assert read.parsed.status == models.SubmissionStatusEnum.MORE_INFO
    thread = api("api.submissions.submissions_messages_list").sync(
        id=submission_id, client=partner
    )
    assert [m.body for m in thread] == ["Which family hubs, and when?"]
    answered = api("api.submissions.submissions_partial_update").sync_detailed(
        id=submission_id,
        client=partner,
        body=models.PatchedSubmissionRequest(
            description="Monthly clinics at Hockwell Ring and Marsh Farm hubs.",
            reply="Hockwell Ring and Marsh Farm, from April.",
        ),
        if_match=read.headers["ETag"],
    )
    assert answered.status_code == 200, answered.content
    assert answered.parsed.status == models.SubmissionStatusEnum.SUBMITTED
    thread = api("api.submissions.submissions_messages_list").sync(
        id=submission_id, client=chair
    )
    assert [m.body for m in thread][-1] == "Hockwell Ring and Marsh Farm, from April."

    # Deciding it twice is a conflict of state: 409.
    accept = api("api.submissions.submissions_accept_create")
    first = accept.sync_detailed(
        id=submission_id, client=chair, body=models.SubmissionAcceptRequest()
    )
    assert first.status_code == 200, first.content
    again = accept.sync_detailed(
        id=submission_id, client=chair, body=models.SubmissionAcceptRequest()
    )
    assert again.status_code == 409
    assert again.parsed.error.code == "conflict"


def test_an_analyst_pulls_every_value_of_one_indicator_as_csv(people):
    client_module = api("client")
    # Values are public: no token needed.
    anyone = client_module.Client(base_url=BASE_URL, httpx_args=httpx_args())
    text = api("api.values.values_csv").sync(client=anyone, indicator=UNDER_75)
    rows = list(csv.DictReader(io.StringIO(text)))

    # Every value of the indicator, as the JSON list pages through them.
    values_list = api("api.values.values_list")
    listed, page = [], 1
    while True:
        answer = values_list.sync_detailed(
            client=anyone, indicator=UNDER_75, page=page, page_size=20
        )
        listed += answer.parsed.results
        if 'rel="next"' not in answer.headers.get("Link", ""):
            break
        page += 1
    assert len(rows) == len(listed) > 1
    assert {r["Indicator code"] for r in rows} == {UNDER_75}

    # With comparisons, as published: "2020-22 37.4 30.1 25.4", similar to
    # England, worse than the East of England (data/places/luton/outcome-measures.tsv).
    luton = next(
        r for r in rows if r["Area name"] == "Luton" and r["Period"] == "2020-22"
    )
    assert luton["Value"] == "37.4"
    assert luton["Compared with national"] == "Similar to England"
    assert luton["Compared with region"] == "Worse than East of England"
