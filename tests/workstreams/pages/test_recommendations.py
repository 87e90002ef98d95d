"""The recommendations coverage audit (`/recommendations/`)."""

import datetime as dt
import re

import pytest

from tests.workstreams.factories import (
    ActionFactory,
    PlaceFactory,
    RecommendationFactory,
    WorkplanFactory,
    WorkstreamFactory,
)
from tests.workstreams.pages.fixtures import EVALUATION, audit
from workstreams.models import Workplan

pytestmark = pytest.mark.django_db

URL = "/recommendations/"


def text(html: str) -> str:
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def row(html: str, number: int, source: str = "marmot_report") -> str:
    """The text of recommendation ``number``'s row in ``source``'s table."""
    table = html.split(f'id="source-{source}"')[1].split("</table>")[0]
    for chunk in table.split("<tr")[2:]:
        if re.search(rf'<th scope="row"[^>]*>{number}</th>', chunk):
            return text("<tr" + chunk)
    raise AssertionError(f"no row {number} in {source}")


def test_every_recommendation_grouped_by_source_with_its_actions(client):
    audit()
    html = client.get(URL).content.decode()
    page = text(html)
    assert page.index("Marmot report recommendations") < page.index(
        "Evaluation recommendations"
    )
    assert "From Health Equity Town evaluation." in page
    first = row(html, 1)
    assert "Reduce fuel poverty." in first and "Housing" in first
    assert "Fuel poverty project (Housing) In progress" not in first  # same workstream
    assert "Fuel poverty project In progress" in first
    assert "Warm spaces in schools (Children and Young People) Completed" in first
    assert "No action" not in first
    assert "Warm spaces in schools" in row(html, 1, EVALUATION)
    assert "Not assigned" in row(html, 1, EVALUATION)
    assert 'href="/workstreams/housing/"' in html
    assert re.search(r'href="/actions/\d+/">Fuel poverty project</a>', html)


def test_recommendations_without_a_visible_action_stand_out_with_a_count(client):
    audit()
    html = client.get(URL).content.decode()
    assert "2 of 4 recommendations have no action" in text(html)
    assert "No action" in row(html, 3)
    # Answered only by a draft action: the public sees no action.
    assert "No action" in row(html, 2)
    assert "Draft Flying Start pilot" not in html
    assert (
        html.count('<strong class="govuk-tag govuk-tag--red">No action</strong>') == 2
    )


@pytest.mark.parametrize("role", ["oversight", "chair", "officer"])
def test_those_who_read_the_draft_see_its_action(role, role_users, client_as):
    _housing, children = audit()
    users = role_users(chair_of=children)
    html = client_as(users[role]).get(URL).content.decode()
    assert "1 of 4 recommendations has no action" in text(html)
    assert "Draft Flying Start pilot" in row(html, 2)


def test_another_chair_does_not_see_the_draft_action(role_users, client_as):
    housing, _children = audit()
    users = role_users(chair_of=housing)
    html = client_as(users["chair"]).get(URL).content.decode()
    assert "Draft Flying Start pilot" not in html
    assert "2 of 4 recommendations have no action" in text(html)


def test_filter_no_actions_lists_only_the_uncovered(client):
    audit()
    html = client.get(URL + "?has_actions=false").content.decode()
    page = text(html)
    assert "Showing 2 of 4 recommendations" in page
    assert "Expand Flying Start." in page and "Assess maternity leave." in page
    assert "Reduce fuel poverty." not in page
    assert "Evaluation recommendations" not in page  # no uncovered one there
    assert "2 of 4 recommendations have no action" in page  # the count stays whole
    assert '<option value="false" selected>With no action</option>' in html
    assert "Show all recommendations" in html


def test_filter_has_actions_lists_only_the_covered(client):
    audit()
    page = text(client.get(URL + "?has_actions=true").content.decode())
    assert "Showing 2 of 4 recommendations" in page
    assert "Reduce fuel poverty." in page and "Strengthen governance." in page
    assert "Assess maternity leave." not in page


def test_filter_counts_the_draft_for_oversight(role_users, client_as):
    audit()
    users = role_users()
    page = text(
        client_as(users["oversight"]).get(URL + "?has_actions=false").content.decode()
    )
    assert "Showing 1 of 4" in page and "Expand Flying Start." not in page


def test_an_unknown_filter_value_shows_everything(client):
    audit()
    page = text(client.get(URL + "?has_actions=maybe").content.decode())
    assert "Reduce fuel poverty." in page and "Assess maternity leave." in page
    assert "Showing" not in page


def test_no_recommendations_says_so(client):
    page = text(client.get(URL).content.decode())
    assert "No recommendations have been recorded yet" in page


def build(size: int):
    PlaceFactory()
    for _ in range(size):
        workstream = WorkstreamFactory()
        signed = WorkplanFactory(
            workstream=workstream,
            status=Workplan.Status.SIGNED_OFF,
            signed_off_on=dt.date(2024, 5, 1),
        )
        draft = WorkplanFactory(workstream=workstream, year_label="2025/26")
        recommendation = RecommendationFactory(workstream=workstream)
        RecommendationFactory(workstream=workstream, source=EVALUATION)
        for action in ActionFactory.create_batch(2, workplan=signed):
            action.recommendations.add(recommendation)
        ActionFactory(workplan=draft).recommendations.add(recommendation)


@pytest.mark.parametrize("role", ["anonymous", "oversight"])
@pytest.mark.parametrize("size", [2, 15])
@pytest.mark.parametrize("query", ["", "?has_actions=false"])
def test_query_count_does_not_grow_with_the_data(
    size, role, query, role_users, client_as, django_assert_max_num_queries
):
    build(size)
    client = client_as(role_users()[role])
    with django_assert_max_num_queries(9):
        response = client.get(URL + query)
    assert response.status_code == 200
    assert f"{size} of {2 * size} recommendations have no action" in text(
        response.content.decode()
    )
