"""Is each workstream on track? (ADR 19) The judgement on the overview's cards
and at the top of the progress page, the override form (who may use it, what it
saves, when an override lapses), and the queries it costs."""

import datetime as dt
import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from marmot import roles
from tests.conftest import user_with_role
from tests.workstreams.factories import (
    ActionFactory,
    PlaceFactory,
    UserFactory,
    WorkplanFactory,
    WorkstreamFactory,
)
from workstreams import rules, services
from workstreams.models import Action, Workplan
from workstreams.on_track import Judgement
from workstreams.page_selectors.on_track import on_track_judgement

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
LATER = TODAY + dt.timedelta(days=90)
EARLIER = TODAY - dt.timedelta(days=10)
REASON = "The red actions are funded from April; the board agreed the new dates."


def text(html: str) -> str:
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    words = " ".join(re.sub(r"<[^>]+>", " ", html).split())
    return re.sub(r"\( ", "(", re.sub(r" ([.,:;)])", r"\1", words))


def card(html: str, name: str) -> str:
    for chunk in html.split('<li class="marmot-card">')[1:]:
        body = chunk.split("</li>\n")[0]
        if f">{name}</a>" in body:
            return text(body)
    raise AssertionError(f"no card for {name}")


def on_track_section(html: str) -> str:
    match = re.search(r'<section class="marmot-on-track.*?</section>', html, re.S)
    assert match, "no on-track section"
    return text(match.group(0))


def housing(*, red=1, green=5, overdue=0, status=Workplan.Status.SIGNED_OFF):
    """Housing, chaired by Amina Khan, with a deputy; its workplan has ``red``
    red actions, ``green`` green ones, ``overdue`` of the green ones overdue."""
    PlaceFactory()
    chair = user_with_role(
        roles.WORKSTREAM_CHAIR, username="amina", first_name="Amina", last_name="Khan"
    )
    workstream = WorkstreamFactory(name="Housing", slug="housing", chair=chair)
    deputy = user_with_role(
        roles.WORKSTREAM_CHAIR, username="deputy", first_name="Dev", last_name="Patel"
    )
    workstream.deputies.add(deputy)
    workplan = WorkplanFactory(
        workstream=workstream,
        status=status,
        signed_off_on=dt.date(2026, 5, 1)
        if status == Workplan.Status.SIGNED_OFF
        else None,
    )
    for _ in range(red):
        ActionFactory(workplan=workplan, rag=Action.Rag.RED, due_date=LATER)
    for n in range(green):
        ActionFactory(
            workplan=workplan,
            rag=Action.Rag.GREEN,
            due_date=EARLIER if n < overdue else LATER,
        )
    return workstream, workplan


def page(client, slug="housing") -> str:
    response = client.get(f"/workstreams/{slug}/")
    assert response.status_code == 200
    return response.content.decode()


def override_url(slug="housing") -> str:
    return reverse("workstream-on-track", args=[slug])


def test_the_card_and_the_progress_page_say_whether_it_is_on_track(client):
    housing(red=2, green=4, overdue=1)
    home = client.get("/").content.decode()
    assert "Is it on track? Off track 2 of 6 open actions red; 1 overdue." in card(
        home, "Housing"
    )
    assert 'marmot-rag--red"' in home  # the diamond, next to the words
    section = on_track_section(page(client))
    assert section.startswith(
        "Is it on track? Off track 2 of 6 open actions red; 1 overdue."
    )
    assert "How this is judged" in section
    assert "Override the judgement" not in section  # the public may not


def test_the_judgement_comes_first_on_the_progress_page(client):
    housing()
    html = page(client)
    assert html.index("Is it on track?") < html.index("Chair</dt>")
    assert html.index("Is it on track?") < html.index('id="workplan"')


def test_a_chair_overrides_with_a_reason_and_everyone_sees_it_at_once(
    client, client_as
):
    workstream, _ = housing(red=1, green=5)
    assert "Some concerns" in card(client.get("/").content.decode(), "Housing")
    chair = client_as(workstream.chair)
    assert "Override the judgement" in on_track_section(page(chair))
    form = chair.get(override_url())
    assert form.status_code == 200
    assert "The rule judges the 2024/25 workplan “Some concerns”" in text(
        form.content.decode()
    )
    response = chair.post(
        override_url(), {"form": "set", "judgement": "on_track", "reason": REASON}
    )
    assert response.status_code == 302
    assert response["Location"] == "/workstreams/housing/#on-track"
    when = TODAY.strftime("%-d %B %Y")
    signed_in = on_track_section(page(chair))
    assert (
        f"On track (overridden) Overridden by Amina Khan on {when}: {REASON} "
        "The rule says: Some concerns (1 of 6 open actions red)."
    ) in signed_in
    assert "Change or clear the override" in signed_in
    client.logout()
    public = client.get("/").content.decode()
    assert (
        f"On track (overridden) Overridden by a programme user on {when}: {REASON}"
    ) in card(public, "Housing")
    assert "Amina Khan on" not in public
    assert "a programme user" in on_track_section(page(client))


def test_a_deputy_and_an_officer_may_override_and_clear(client_as):
    workstream, _ = housing()
    deputy = workstream.deputies.get()
    officer = user_with_role(roles.OFFICER, username="officer")
    for user, judgement in ((deputy, "off_track"), (officer, "not_yet_known")):
        client = client_as(user)
        response = client.post(
            override_url(), {"form": "set", "judgement": judgement, "reason": REASON}
        )
        assert response.status_code == 302
        workstream.refresh_from_db()
        assert workstream.on_track_override == judgement
        assert workstream.on_track_set_by == user
    response = client.post(override_url(), {"form": "clear"})
    assert response.status_code == 302
    workstream.refresh_from_db()
    assert workstream.on_track_override == ""
    assert "Some concerns" in on_track_section(page(client))
    assert "Overridden" not in on_track_section(page(client))
    # every change is in the workstream's history, with who made it
    history = list(workstream.history.order_by("history_date"))
    assert [h.on_track_override for h in history[-3:]] == [
        "off_track",
        "not_yet_known",
        "",
    ]
    assert [h.history_user for h in history[-3:]] == [deputy, officer, officer]


@pytest.mark.parametrize("role", ["other_chair", "partner", "oversight"])
def test_no_one_else_may_override(role, role_users, client_as):
    workstream, _ = housing()
    other = WorkstreamFactory(name="Work", slug="work")
    users = role_users(other=other)
    client = client_as(users[role])
    for method in (client.get, client.post):
        response = method(
            override_url(), {"form": "set", "judgement": "on_track", "reason": "x"}
        )
        assert response.status_code == 403
    assert "Override the judgement" not in page(client)
    workstream.refresh_from_db()
    assert workstream.on_track_override == ""
    with pytest.raises(PermissionDenied):
        services.workstream_on_track_set(
            workstream=workstream, user=users[role], judgement="on_track", reason="x"
        )


def test_a_chair_cannot_override_another_workstream_by_changing_the_address(
    client_as, client
):
    workstream, _ = housing()
    other = WorkstreamFactory(name="Work", slug="work")
    chair = client_as(workstream.chair)
    assert chair.get(override_url("work")).status_code == 403
    response = chair.post(
        override_url("work"), {"form": "set", "judgement": "off_track", "reason": "x"}
    )
    assert response.status_code == 403
    assert chair.post(override_url("work"), {"form": "clear"}).status_code == 403
    other.refresh_from_db()
    assert other.on_track_override == ""
    assert chair.get(override_url("no-such-workstream")).status_code == 404
    anonymous = client_as(None)
    response = anonymous.get(override_url())
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        (
            {"judgement": "on_track"},
            "reason",
            "Give the reason for overriding the rule",
        ),
        ({"judgement": "on_track", "reason": "   "}, "reason", "Give the reason"),
        ({"reason": REASON}, "judgement", "Select the judgement"),
        (
            {"judgement": "sideways", "reason": REASON},
            "judgement",
            "Select a judgement from the list",
        ),
        (
            {"judgement": "some_concerns", "reason": REASON},
            "judgement",
            "The rule already judges this workstream “Some concerns”",
        ),
        (
            {"judgement": "on_track", "reason": "x" * 1001},
            "reason",
            "1000 characters or fewer",
        ),
    ],
)
def test_bad_input_is_refused_with_a_clear_message(client_as, data, field, message):
    workstream, _ = housing()
    client = client_as(workstream.chair)
    response = client.post(override_url(), {"form": "set", **data})
    assert response.status_code == 200
    html = response.content.decode()
    assert "govuk-error-summary" in html
    assert message in text(html)
    assert f'href="#id_{field}' in html
    workstream.refresh_from_db()
    assert workstream.on_track_override == ""


def test_without_a_workplan_there_is_nothing_to_override(client_as):
    PlaceFactory()
    workstream = WorkstreamFactory(name="Work", slug="work")
    client = client_as(workstream.chair)
    response = client.get(override_url("work"))
    assert "has no current workplan" in text(response.content.decode())
    response = client.post(
        override_url("work"), {"form": "set", "judgement": "on_track", "reason": "x"}
    )
    assert response.status_code == 200
    assert "add a workplan first" in text(response.content.decode())
    with pytest.raises(ValidationError):
        services.workstream_on_track_set(
            workstream=workstream,
            user=workstream.chair,
            judgement="on_track",
            reason="x",
        )
    assert "Not yet known" in card(client.get("/").content.decode(), "Work")


def test_an_override_lapses_when_the_rule_changes_its_judgement(client):
    workstream, workplan = housing(red=1, green=5)
    services.workstream_on_track_set(
        workstream=workstream,
        user=workstream.chair,
        judgement="on_track",
        reason=REASON,
    )
    assert "On track (overridden)" in card(client.get("/").content.decode(), "Housing")
    ActionFactory(workplan=workplan, rag=Action.Rag.RED, due_date=LATER)
    ActionFactory(workplan=workplan, rag=Action.Rag.RED, due_date=LATER)
    when = TODAY.strftime("%-d %B %Y")
    for html in (card(client.get("/").content.decode(), "Housing"), page(client)):
        html = text(html)
        assert "Off track 3 of 8 open actions red." in html
        assert "(overridden)" not in html
        assert (
            f"An override to “On track” by a programme user on {when} (“{REASON}”) "
            "no longer applies: the rule said Some concerns then and says Off track "
            "now."
        ) in html


def test_an_override_belongs_to_its_workplan(client, client_as):
    workstream, workplan = housing(red=1, green=5)
    services.workstream_on_track_set(
        workstream=workstream,
        user=workstream.chair,
        judgement="on_track",
        reason=REASON,
    )
    # next year's draft: the chair sees it as current; the override was not about it
    WorkplanFactory(
        workstream=workstream,
        year_label="2025/26",
        starts_on=dt.date(2025, 4, 1),
        ends_on=dt.date(2026, 3, 31),
    )
    chair = client_as(workstream.chair)
    section = on_track_section(page(chair))
    assert section.startswith("Is it on track? Not yet known")
    assert REASON not in section
    # the public still reads the signed-off year, with its override
    client.logout()
    assert "On track (overridden)" in on_track_section(page(client))


def test_a_deleted_user_is_not_recorded(client_as):
    workstream, _ = housing()
    officer = user_with_role(roles.OFFICER, username="officer")
    services.workstream_on_track_set(
        workstream=workstream, user=officer, judgement="on_track", reason=REASON
    )
    officer.delete()
    viewer = client_as(workstream.chair)
    assert "Overridden by someone not recorded" in on_track_section(page(viewer))


def build(size: int):
    """``size`` workstreams, each with an override set by its own chair."""
    PlaceFactory()
    for _ in range(size):
        chair = UserFactory()
        workstream = WorkstreamFactory(chair=chair)
        workplan = WorkplanFactory(
            workstream=workstream,
            status=Workplan.Status.SIGNED_OFF,
            signed_off_on=dt.date(2026, 5, 1),
        )
        ActionFactory.create_batch(3, workplan=workplan, due_date=LATER)
        ActionFactory(workplan=workplan, rag=Action.Rag.RED, due_date=EARLIER)
        services.workstream_on_track_set(
            workstream=workstream, user=chair, judgement="on_track", reason="x"
        )


@pytest.mark.parametrize("role", ["anonymous", "oversight"])
def test_the_overview_judges_every_workstream_in_the_same_queries(
    role, role_users, client_as
):
    client = client_as(role_users()[role])
    counts = []
    for more in (2, 4):  # 2 workstreams, then 6
        build(more)  # writes, so the cached overview is not used
        with CaptureQueriesContext(connection) as queries:
            html = client.get("/").content.decode()
        assert text(html).count("On track (overridden)") == 2 + 4 * (more == 4)
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_the_progress_page_with_an_override_costs_one_query_more(client_as):
    workstream, _ = housing()
    client = client_as(workstream.chair)
    with CaptureQueriesContext(connection) as before:
        page(client)
    services.workstream_on_track_set(
        workstream=workstream, user=workstream.chair, judgement="on_track", reason="x"
    )
    with CaptureQueriesContext(connection) as after:
        page(client)
    assert len(after) <= len(before) + 1  # the name of who overrode it


def test_the_judgement_reads_every_open_action_once():
    # the rule's facts come from one query whatever the number of workstreams
    workstream, workplan = housing(red=0, green=3)
    Action.objects.filter(workplan=workplan).update(rag="")
    ActionFactory(workplan=workplan, rag=Action.Rag.GREEN, due_date=LATER)
    judged, seen = on_track_judgement(user=None, workstream=workstream)
    assert seen == workplan
    assert judged.judgement == Judgement.NOT_YET_KNOWN
    assert judged.computed.reason == "3 of 4 open actions not rated"


@pytest.mark.parametrize(
    ("role", "allowed"),
    [
        ("anonymous", False),
        ("partner", False),
        ("other_chair", False),
        ("oversight", False),
        ("chair", True),
        ("deputy", True),
        ("officer", True),
    ],
)
def test_the_rule_on_who_may_override(role_users, role, allowed):
    workstream, _ = housing()
    users = role_users(chair_of=workstream, other=WorkstreamFactory())
    users["deputy"] = workstream.deputies.get()
    assert rules.can_override_on_track(users[role], workstream.pk) is allowed
