"""The overview page (`/`): workstream cards and outcome measures by principle."""

import datetime as dt
import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from indicators.models import Assessment, Indicator, Method, Trend
from marmot.site.data_version import data_version
from tests.conftest import clients_signed_in
from tests.indicators.factories import (
    AssessmentFactory,
    PeriodFactory,
)
from tests.workstreams.factories import (
    ActionFactory,
    MarmotPrincipleFactory,
    PlaceFactory,
    ProgressUpdateFactory,
    WorkplanFactory,
    WorkstreamFactory,
)
from tests.workstreams.pages.fixtures import (
    measure,
    outcome_measures,
    programme,
    signed_off_workplan,
)
from workstreams.models import Workplan

pytestmark = pytest.mark.django_db


def text(html: str) -> str:
    """The page's words, tags removed and spaces collapsed (links and bold
    inline: "<a>5 measures</a>, 2" reads "5 measures, 2")."""
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    html = re.sub(r"</?(a|strong)\b[^>]*>", "", html)
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def card(html: str, name: str) -> str:
    """The text of the workstream card named ``name``."""
    for chunk in html.split('<li class="marmot-card">')[1:]:
        body = chunk.split("</li>\n")[0]
        if f">{name}</a>" in body:
            return text(body)
    raise AssertionError(f"no card for {name}")


def principle_row(html: str, number: int) -> list[str]:
    """The cells of principle ``number``'s row in the summary table."""
    match = re.search(rf"\?principle={number}\">.*?</tr>", html, flags=re.S)
    assert match, f"no row for principle {number}"
    cells = re.findall(r"<td[^>]*>(.*?)</td>", match.group(0), flags=re.S)
    return [text(cell) for cell in cells]  # each count is a link


def test_cards_show_chair_workplan_status_counts_overdue_and_last_update(client):
    programme()
    html = client.get("/").content.decode()
    housing = card(html, "Housing")
    # The public read the chair's role as published, not a name (ADR 26).
    assert "Chair Housing SMT" in housing and "Amina Khan" not in html
    assert "Workplan 2024/25 Signed off" in housing
    assert "1 Planned" in housing and "1 In progress" in housing
    assert "1 Completed" in housing
    assert "1 Red – off track" in housing and "1 Green – on track" in housing
    assert "1 Not rated" in housing
    assert "Overdue actions 1 overdue" in housing  # the completed one is not
    assert "Last progress update 7 October 2024" in housing
    assert 'href="/workstreams/housing/"' in html
    assert "marmot-rag__shape" in html  # RAG is words plus a shape


def test_anonymous_visitors_see_no_draft_workplan(client):
    programme()
    html = client.get("/").content.decode()
    net_zero = card(html, "Net Zero")
    assert "No published workplan yet" in net_zero
    assert "Amber" not in net_zero and "Draft" not in net_zero


@pytest.mark.parametrize("role", ["oversight", "other_chair", "officer"])
def test_oversight_officers_and_the_chair_see_the_draft(role, role_users, client_as):
    _housing, net_zero = programme()
    users = role_users(other=net_zero)
    html = client_as(users[role]).get("/").content.decode()
    net_zero_card = card(html, "Net Zero")
    assert "Workplan 2024/25 Draft" in net_zero_card
    assert "2 Amber – at risk" in net_zero_card


def test_another_chair_does_not_see_a_draft_they_do_not_chair(role_users, client_as):
    housing, _net_zero = programme()
    users = role_users(chair_of=housing)
    html = client_as(users["chair"]).get("/").content.decode()
    assert "No published workplan yet" in card(html, "Net Zero")


def test_cached_pages_never_reach_other_roles(role_users):
    housing, net_zero = programme()
    users = role_users(chair_of=housing, other=net_zero)
    clients = clients_signed_in(users)
    version = data_version()  # no write from here on: every visit can hit
    order = ["oversight", "other_chair", "chair", "partner", "anonymous"]
    net_zero_cards = {
        role: card(clients[role].get("/").content.decode(), "Net Zero")
        for role in order
    }
    for role in ["oversight", "other_chair"]:
        assert "Workplan 2024/25 Draft" in net_zero_cards[role]
    for role in ["chair", "partner", "anonymous"]:
        assert "No published workplan yet" in net_zero_cards[role]
    assert data_version() == version


def test_a_closed_workplan_is_not_the_current_one(client):
    PlaceFactory()
    workstream = WorkstreamFactory(name="Housing")
    WorkplanFactory(
        workstream=workstream,
        status=Workplan.Status.CLOSED,
        signed_off_on=dt.date(2023, 5, 1),
    )
    assert "No published workplan yet" in card(
        client.get("/").content.decode(), "Housing"
    )


def test_outcome_measures_are_counted_by_principle_as_text(client):
    outcome_measures()
    html = client.get("/").content.decode()
    # measures, better, similar, worse, not compared, improving, worsening, both
    assert principle_row(html, 1) == ["4", "1", "0", "2", "1", "1", "1", "1"]
    assert principle_row(html, 4) == ["1", "0", "1", "0", "0", "0", "1", "0"]
    page = text(html)
    assert (
        "Of 5 outcome measures, 2 are worse than England and 2 are getting worse "
        "(1 both)"
    ) in page
    assert "Better than England" in page and "Worse than England" in page
    assert 'href="/dashboard/?principle=4"' in html


def test_the_effective_assessment_is_counted_manual_first(client):
    place, period, four = outcome_measures()
    value = measure(place, four, "worse", period=period)
    AssessmentFactory(
        value=value,
        result="better",
        method=Method.MANUAL,
        reason="The published figure was revised.",
    )
    html = client.get("/").content.decode()
    assert principle_row(html, 4)[:4] == ["2", "1", "1", "0"]


def test_a_computed_opinion_beats_the_published_one(client):
    place, period, four = outcome_measures()
    value = measure(place, four, "similar", period=period)
    AssessmentFactory(value=value, result="worse", method=Method.COMPUTED)
    assert principle_row(client.get("/").content.decode(), 4)[:5] == [
        "2",
        "0",
        "1",
        "1",
        "0",
    ]


def test_the_national_benchmark_takes_its_name_from_the_place(client):
    place, *_ = outcome_measures()
    place.country.name = "Wales"
    place.country.save()
    html = client.get("/").content.decode()
    assert "Worse than Wales" in text(html)


def test_only_the_national_benchmark_is_counted(client):
    place, period, four = outcome_measures()
    value = measure(place, four, None, period=period)
    AssessmentFactory(
        value=value, benchmark=Assessment.Benchmark.REGION, result="worse"
    )
    assert principle_row(client.get("/").content.decode(), 4)[:5] == [
        "2",
        "0",
        "1",
        "0",
        "1",
    ]


@pytest.mark.parametrize("role", ["oversight", "chair", "officer"])
def test_unpublished_measures_count_for_those_who_read_drafts(
    role, role_users, client_as
):
    outcome_measures()
    users = role_users(chair_of=WorkstreamFactory())
    html = client_as(users[role]).get("/").content.decode()
    assert principle_row(html, 4)[:4] == ["2", "0", "1", "1"]


def test_partners_see_only_published_measures(role_users, client_as):
    outcome_measures()
    users = role_users()
    html = client_as(users["partner"]).get("/").content.decode()
    assert principle_row(html, 4)[:4] == ["1", "0", "1", "0"]


def test_overarching_measures_get_their_own_row(client):
    place, period, _four = outcome_measures()
    measure(place, None, "worse", period=period)
    page = text(client.get("/").content.decode())
    assert "Overarching measures 1 0 0 1" in page
    assert "All measures 6 1 1 3" in page


def test_the_summary_is_cached_until_any_write_and_per_audience(
    client, role_users, client_as
):
    place, period, four = outcome_measures()
    assert principle_row(client.get("/").content.decode(), 4)[:4] == [
        "1",
        "0",
        "1",
        "0",
    ]
    with CaptureQueriesContext(connection) as again:
        html = client.get("/").content.decode()
    assert principle_row(html, 4)[:4] == ["1", "0", "1", "0"]
    assert not [q for q in again if "indicatorvalue" in q["sql"]]
    # the oversight group's entry is its own: it counts the unpublished one
    oversight = client_as(role_users()["oversight"])
    assert principle_row(oversight.get("/").content.decode(), 4)[:4] == [
        "2",
        "0",
        "1",
        "1",
    ]
    # any write shows at once: a published measure judged worse, then the
    # unpublished one published with a queryset update (no signals)
    measure(place, four, "worse", period=period)
    html = Client().get("/").content.decode()
    assert principle_row(html, 4)[:4] == ["2", "0", "1", "1"]
    Indicator.objects.filter(is_published=False).update(is_published=True)
    html = Client().get("/").content.decode()
    assert principle_row(html, 4)[:4] == ["3", "0", "1", "2"]


def test_empty_site_says_so(client):
    page = text(client.get("/").content.decode())
    assert "There are no workstreams yet" in page
    assert "No outcome measures have been published yet" in page


def build(size: int):
    place = PlaceFactory()
    period = PeriodFactory(label="2022")
    for n in range(size):
        workstream = WorkstreamFactory()
        workplan = signed_off_workplan(workstream)
        for action in ActionFactory.create_batch(size, workplan=workplan):
            ProgressUpdateFactory(action=action)
        principle = MarmotPrincipleFactory(number=n % 8 + 1)
        measure(place, principle, "worse", Trend.Label.INCREASING_WORSE, period=period)


@pytest.mark.parametrize("role", ["anonymous", "oversight"])
@pytest.mark.parametrize("size", [2, 12])
def test_query_count_does_not_grow_with_the_data(
    size, role, role_users, client_as, django_assert_max_num_queries
):
    build(size)
    client = client_as(role_users()[role])
    # the first visit builds the page: the data version for the page and for
    # the measures summary, then the page's own queries; a second is cached
    # 22, + 1: the on-track judgements, + 1: their output KPIs (ADR 19)
    with django_assert_max_num_queries(24):
        response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert len(re.findall('class="marmot-card"', html)) == size
    with django_assert_max_num_queries(7):
        again = client.get("/")
    main = re.compile(r"<main.*</main>", re.S)  # the layout has a per-request nonce
    assert main.search(again.content.decode())[0] == main.search(html)[0]
