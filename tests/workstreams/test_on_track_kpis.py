"""The on-track rule takes a workstream's output KPIs into account (ADR 19,
steps 8 and 9): the pure rule over counts, and the facts gathered for every
workstream with a fixed number of queries."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from indicators.statistics.year_to_date import TargetStatus
from tests.workstreams.kpi_fixtures import TODAY, build_kpi_world
from workstreams.on_track import (
    Judgement,
    WorkstreamFacts,
    judge,
    kpi_facts_count,
)
from workstreams.page_selectors.on_track import kpi_facts, on_track_judgements
from workstreams.services.kpis import (
    kpi_create,
    kpi_entry_record,
    kpi_retire,
    kpi_target_set,
)

ON, SOME, OFF, UNKNOWN = (
    Judgement.ON_TRACK,
    Judgement.SOME_CONCERNS,
    Judgement.OFF_TRACK,
    Judgement.NOT_YET_KNOWN,
)
ALL_GREEN = "3 of 3 open actions green; none overdue; workplan signed off"


def facts(status="signed_off", **counts) -> WorkstreamFacts:
    return WorkstreamFacts(workplan_status=status, **counts)


@pytest.mark.parametrize(
    ("given", "judgement", "reason"),
    [
        # no KPIs: the actions alone, as before
        (facts(green=3), ON, ALL_GREEN),
        # 8. a third or more of the judged KPIs off target
        (
            facts(green=3, kpis_judged=6, kpis_off_target=2),
            OFF,
            f"{ALL_GREEN}; 2 of 6 KPIs off target",
        ),
        (
            facts(None, kpis_judged=3, kpis_off_target=1),
            OFF,
            "no current workplan; 1 of 3 KPIs off target",
        ),
        # 9. any off target or overdue, or a third or more within tolerance
        (
            facts(green=3, kpis_judged=6, kpis_off_target=1),
            SOME,
            f"{ALL_GREEN}; 1 of 6 KPIs off target",
        ),
        (
            facts(green=3, kpis_judged=6, kpis_within_tolerance=2),
            SOME,
            f"{ALL_GREEN}; 2 of 6 KPIs within tolerance",
        ),
        (
            facts(green=3, kpis_overdue=1),
            SOME,
            f"{ALL_GREEN}; 1 KPI with values overdue",
        ),
        (
            facts(
                green=3,
                kpis_judged=6,
                kpis_off_target=1,
                kpis_within_tolerance=1,
                kpis_overdue=2,
            ),
            SOME,
            f"{ALL_GREEN}; 1 of 6 KPIs off target; 1 within tolerance; "
            "2 KPIs with values overdue",
        ),
        # below the thresholds, nothing off target or overdue: as the actions say
        (
            facts(green=3, kpis_judged=6, kpis_within_tolerance=1),
            ON,
            f"{ALL_GREEN}; 1 of 6 KPIs within tolerance",
        ),
        (facts(green=3, kpis_judged=1), ON, f"{ALL_GREEN}; 1 of 1 KPI on target"),
        # KPIs never make a judgement better
        (
            facts(red=1, green=1, kpis_judged=2),
            OFF,
            "1 of 2 open actions red; 2 of 2 KPIs on target",
        ),
        (
            facts(red=1, green=1, kpis_judged=3, kpis_within_tolerance=3),
            OFF,
            "1 of 2 open actions red; 3 of 3 KPIs within tolerance",
        ),
        (
            facts(None, kpis_judged=2),
            UNKNOWN,
            "no current workplan; 2 of 2 KPIs on target",
        ),
    ],
)
def test_the_kpi_steps(given, judgement, reason):
    verdict = judge(given)
    assert (verdict.judgement, verdict.reason) == (judgement, reason)


def test_kpi_facts_count_reads_year_to_date_judgements():
    counted = kpi_facts_count(
        [
            TargetStatus.OFF_TARGET,
            TargetStatus.WITHIN_TOLERANCE,
            TargetStatus.ON_TARGET,
            None,
        ],
        overdue=2,
    )
    assert counted.fields() == {
        "kpis_judged": 3,
        "kpis_off_target": 1,
        "kpis_within_tolerance": 1,
        "kpis_overdue": 2,
    }


# --- the facts, from the database -------------------------------------------------


@pytest.fixture
def world(role_users):
    world = build_kpi_world(role_users)
    chair = world.users["chair"]
    quarters = [f"2025/26 Q{q}" for q in range(1, 5)] + ["2026/27 Q1", "2026/27 Q2"]
    for period in quarters:
        kpi_entry_record(
            kpi=world.reported, user=chair, period=period, value=5, today=TODAY
        )
    # 10 in two quarters against a pro-rata 50 of 100: off target.
    kpi_target_set(
        kpi=world.reported, user=chair, year_label="2026/27", value=100, tolerance=10
    )
    return world


def test_the_facts_of_a_workstreams_kpis(world):
    found = kpi_facts([world.own.pk, world.other.pk], today=TODAY)
    # reported: judged, off target; chairs_own: no value at all, overdue.
    assert found[world.own.pk].fields() == {
        "kpis_judged": 1,
        "kpis_off_target": 1,
        "kpis_within_tolerance": 0,
        "kpis_overdue": 1,
    }
    assert world.other.pk not in found  # no KPIs: judged by its actions alone


def test_the_judgement_of_a_workstream_with_kpis_off_target(world):
    judged = on_track_judgements(
        user=world.users["chair"],
        workstreams=[world.own],
        workplans={world.own.pk: world.workplan},
        today=TODAY,
    )
    verdict = judged[world.own.pk].computed
    assert verdict.judgement == OFF
    assert verdict.reasons[-2:] == (
        "1 of 1 KPI off target",
        "1 KPI with values overdue",
    )


def test_a_retired_kpi_is_not_judged(world):
    kpi_retire(
        kpi=world.reported,
        user=world.users["chair"],
        retired_on=dt.date(2026, 10, 1),
        reason="The scheme closed.",
    )
    assert kpi_facts([world.own.pk], today=TODAY)[world.own.pk].fields() == {
        "kpis_judged": 0,
        "kpis_off_target": 0,
        "kpis_within_tolerance": 0,
        "kpis_overdue": 1,
    }


@pytest.mark.parametrize("extra", [0, 10])
def test_the_facts_are_a_fixed_number_of_queries(world, extra):
    for n in range(extra):
        kpi_create(
            workstream=world.other if n % 2 else world.own,
            user=world.users["officer"],
            name=f"Extra KPI {n}",
            values_expected_from=dt.date(2025, 4, 1),
        )
    with CaptureQueriesContext(connection) as queries:
        found = kpi_facts([world.own.pk, world.other.pk], today=TODAY)
    assert len(queries) == 3  # the KPIs, then their values and targets
    assert found[world.own.pk].overdue == 1 + (extra + 1) // 2


def test_no_kpis_cost_one_query(role_users, django_assert_num_queries):
    world = build_kpi_world(role_users)
    with django_assert_num_queries(1):
        assert kpi_facts([world.other.pk], today=TODAY) == {}
