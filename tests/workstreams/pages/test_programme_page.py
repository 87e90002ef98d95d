"""The programme page (`/programme/`, issue 17): the timeline, the system
programmes' achievements, the programme's next steps and its evaluation, for
every role; lead contacts to signed-in readers only (ADR 26); a fixed number
of queries whatever the data size. On Luton's data: every item of the
documents is on a page, the ward insight reads as published on the indicator
pages, and Housing's empty logic model reads "not yet written"."""

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.workstreams.factories import (
    OrganisationFactory,
    PlaceFactory,
    RecommendationFactory,
)
from tests.workstreams.pages.fixtures import EVALUATION
from workstreams.models import ProgrammeAction
from workstreams.services.achievements import (
    evaluation_finding_upsert,
    programme_action_upsert,
    programme_milestone_upsert,
    system_programme_upsert,
)

pytestmark = pytest.mark.django_db

URL = "/programme/"
ROLES = ["anonymous", "partner", "chair", "oversight", "officer"]
CONTACT = "Zebedee Quillfeather, programme lead"


def text(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def build(size: int) -> None:
    """``size`` programmes of ``size`` deliverables, ``size`` next steps,
    milestones, findings of each kind and evaluation recommendations."""
    PlaceFactory()
    organisation = OrganisationFactory(name="Grange Trust")
    for p in range(size):
        programme = system_programme_upsert(
            slug=f"programme-{p}", name=f"Programme {p}", display_order=p
        )
        for d in range(size):
            programme_action_upsert(
                kind=ProgrammeAction.Kind.DELIVERABLE,
                title=f"Deliverable {p}.{d}",
                programme=programme,
                position=d,
                lead_organisation=organisation,
                status=ProgrammeAction.Status.IN_PROGRESS,
                rag=ProgrammeAction.Rag.GREEN,
            )
        programme_action_upsert(
            kind=ProgrammeAction.Kind.NEXT_STEP,
            title=f"Next step {p}",
            position=p,
            lead_person=CONTACT if p == 0 else "",
            due_date=dt.date(2025, 3, 31) if p == 0 else None,
            due_label="" if p == 0 else "November",
        )
        programme_milestone_upsert(
            label=f"Year {2020 + p}",
            starts_on=dt.date(2020 + p, 1, 1),
            precision="year",
            items=[f"Item {p}a", f"Item {p}b"],
        )
        for kind in ("aim", "opportunity", "challenge"):
            evaluation_finding_upsert(kind=kind, text=f"{kind} {p}", position=p)
        RecommendationFactory(source=EVALUATION, number=p + 1)


@pytest.mark.parametrize("role", ROLES)
def test_every_role_reads_every_section(role, role_users, client_as):
    build(2)
    response = client_as(role_users()[role]).get(reverse("programme"))
    assert response.status_code == 200
    page = text(response.content.decode())
    for heading in (
        "Timeline",
        "Health equity system achievements",
        "Next steps",
        "Evaluation",
        "Its aims",
        "Opportunities it found",
        "Challenges it found",
        "Its recommendations",
    ):
        assert heading in page
    assert "Year 2020 Item 0a Item 0b Year 2021" in page
    assert "4 deliverables in 2 programmes" in page
    assert "Deliverable 0.1 Grange Trust Not set" not in page  # no due column
    assert "Deliverable 0.1 Grange Trust In progress Green" in page
    assert "Next step 0" in page and "31 Mar 2025" in page
    assert "Next step 1 Not yet assigned November Planned Not rated" in page
    assert 'href="/recommendations/#source-evaluation"' in response.content.decode()
    # The lead contact is a person: signed-in readers only (ADR 26).
    assert (CONTACT in page) is (role != "anonymous")
    if role == "anonymous":
        assert "Next step 0 Assigned" in page


def test_nothing_recorded_says_so(client):
    PlaceFactory()
    page = text(client.get(URL).content.decode())
    for empty in (
        "No timeline has been recorded yet.",
        "No system programmes have been recorded yet.",
        "No next steps have been recorded yet.",
        "No evaluation has been recorded yet.",
    ):
        assert empty in page


def test_the_overview_and_the_navigation_link_to_it(client):
    PlaceFactory()
    home = client.get("/").content.decode()
    assert home.count(f'href="{URL}"') == 2  # the navigation and the overview
    page = client.get(URL).content.decode()
    assert f'href="{URL}" aria-current="page"' in page


@pytest.mark.parametrize("role", ["anonymous", "officer"])
def test_query_count_is_fixed_whatever_the_size(role, role_users, client_as):
    client = client_as(role_users()[role])
    counts = []
    for size in (2, 8):
        if size == 2:
            build(size)
        else:
            _grow(size)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(URL)
        assert response.status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1], counts


def _grow(size: int) -> None:
    """Add to the world of ``build(2)`` until it is ``build(size)``'s size."""
    organisation = OrganisationFactory()
    for p in range(2, size):
        programme = system_programme_upsert(slug=f"programme-{p}", name=f"P {p}")
        for d in range(size):
            programme_action_upsert(
                kind=ProgrammeAction.Kind.DELIVERABLE,
                title=f"Deliverable {p}.{d}",
                programme=programme,
                lead_organisation=organisation,
            )
        programme_action_upsert(
            kind=ProgrammeAction.Kind.NEXT_STEP,
            title=f"Next step {p}",
            lead_organisation=organisation,
        )
        programme_milestone_upsert(
            label=f"Year {2020 + p}",
            starts_on=dt.date(2020 + p, 1, 1),
            precision="year",
            items=["An item"],
        )
        for kind in ("aim", "opportunity", "challenge"):
            evaluation_finding_upsert(kind=kind, text=f"{kind} {p}", details=["x"])
        RecommendationFactory(source=EVALUATION, number=p + 1)


def test_luton_every_item_of_the_documents_is_on_a_page(luton, client):
    """Spot checks of each section against the source's words (the loader's
    tests check every item's wording in the database)."""
    page = text(client.get(URL).content.decode())
    for expected in (
        "July 2021 Decision to explore IHE engagement",
        "Nov 21 – June 22 Stakeholder engagement, steering group and workstream "
        "meetings, Report development",
        "September 2022 Key milestone Report Published",
        "Throughout 2024 APHR focus Impact measures",
        "17 deliverables in 3 programmes",
        "Talk Listen Change – refreshed action plan",
        "Food First Luton - &gt;8000 Food map distribution Not named Completed",
        "Luton citizens advice outreach workers in PCN&#x27;s to support income "
        "maximisation in GP surgeries Citizens Advice Luton Completed",
        "Full evaluation of core20plus5 work undertaken to date Not yet assigned "
        "Not set Planned",
        "How does this affect our lives)&quot;. Not yet assigned November Planned",
        "Long term-ism",
        "changing conversations galvanising actions influencing strategies underway",
        "Develop a coherent workplan around the seventh Marmot principle",
    ):
        assert expected in page, expected
    assert page.count("Not yet assigned") == 8

    poverty = text(
        client.get("/indicators/child-poverty-after-housing-costs/").content.decode()
    )
    assert "Ward, 2019" in poverty
    for ward in ("Biscot", "Dallow", "Saints"):
        assert f"{ward} over 40% Not published" in poverty
    assert "There are no breakdowns" not in poverty
    low_income = text(
        client.get("/indicators/children-in-low-income-households/").content.decode()
    )
    assert "Luton: a third in 2019/20" in low_income
    assert (
        "Northwell Children affected by income deprivation: five times higher in "
        in (low_income)
    )
    assert "nearly one-third Not published" in low_income
    # The dashboard's tile shows the headline in its words, as the page does.
    dashboard = client.get(reverse("dashboard")).content.decode()
    tile = dashboard.split("/indicators/children-in-low-income-households/", 1)[1]
    latest = tile.split('marmot-dashboard-tile__value">', 1)[1].split("<", 1)[0]
    assert latest == "a third"
    life = text(client.get("/indicators/life-expectancy-male/").content.decode())
    assert "There are no breakdowns of this measure" in life

    housing = text(client.get("/workstreams/housing/logic-model/").content.decode())
    assert "Not yet written" in housing
    assert "Version 1" not in housing
    assert "the workstream's chair (Housing SMT)" in housing
    progress = text(client.get("/workstreams/housing/").content.decode())
    assert "No hypothesis has been written yet." in progress
    assert "states no hypothesis" not in progress
    business = text(
        client.get(
            "/workstreams/business-skills-employment/logic-model/"
        ).content.decode()
    )
    assert "Not yet written" not in business and "Version 1" in business
