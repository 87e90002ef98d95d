"""Builders for output-KPI tests (ADR 32): a world with two KPIs of the
chair's workstream, one reported by the partner's organisation."""

from __future__ import annotations

import datetime as dt

from indicators.services.values import period_get_or_create
from tests.workstreams.factories import PlaceFactory, UserFactory, WorkstreamFactory
from tests.workstreams.fixtures import build_world
from workstreams.models import KpiEntry
from workstreams.services.kpis import kpi_create, kpi_entry_record

#: A day in the 2026/27 financial year: 2025/26's quarters and 2026/27 Q1
#: and Q2 have ended; 2026/27 Q3 is open; Q4 has not started.
TODAY = dt.date(2026, 12, 3)


def build_kpi_world(role_users):
    """``build_world`` plus ``reported`` (a quarterly count the partner's
    organisation reports, linked to the output and an activity) and
    ``chairs_own`` (a quarterly count the chair records), both expected from
    April 2025."""
    world = build_world(role_users)
    officer = world.users["officer"]
    world.reported = kpi_create(
        workstream=world.own,
        user=officer,
        name="Homes retrofitted through the scheme",
        unit="homes",
        output=world.output,
        activities=[world.activities[0]],
        reporting_organisation=world.org,
        values_expected_from=dt.date(2025, 4, 1),
        source="Testshire Housing Trust records",
    )
    world.chairs_own = kpi_create(
        workstream=world.own,
        user=officer,
        name="Households given damp advice",
        unit="households",
        values_expected_from=dt.date(2025, 4, 1),
    )
    world.today = TODAY
    return world


def record_sample_entries(world):
    """Values of ``build_kpi_world``'s KPIs in each state an API action
    starts from: the partner's ``submitted`` (2025/26 Q1), ``to_approve`` (Q2)
    and ``to_return`` (Q3) of ``reported``, and the chair's ``approved``
    2025/26 Q1 of ``chairs_own``."""
    partner, chair = world.users["partner"], world.users["chair"]

    def record(kpi, user, period, value):
        return kpi_entry_record(
            kpi=kpi, user=user, period=period, value=value, today=TODAY
        )

    return {
        "submitted": record(world.reported, partner, "2025/26 Q1", 10),
        "to_approve": record(world.reported, partner, "2025/26 Q2", 11),
        "to_return": record(world.reported, partner, "2025/26 Q3", 12),
        "approved": record(world.chairs_own, chair, "2025/26 Q1", 20),
    }


def add_api_kpis(world: dict) -> dict:
    """KPI rows for ``tests.workstreams.api.conftest.build_api_world``'s world
    (a dict): the place, ``kpi`` of the "own" workstream reported by ``org``,
    the partner's ``kpi_entry`` waiting for approval (2025/26 Q1) and the
    chair's ``kpi_approved_entry`` (2025/26 Q2)."""
    PlaceFactory()
    users = world["users"]
    kpi = kpi_create(
        workstream=world["own"],
        user=users["officer"],
        name="People helped into work",
        unit="people",
        reporting_organisation=world["org"],
    )
    entry = kpi_entry_record(
        kpi=kpi, user=users["partner"], period="2025/26 Q1", value=4, today=TODAY
    )
    approved = kpi_entry_record(
        kpi=kpi, user=users["chair"], period="2025/26 Q2", value=6, today=TODAY
    )
    return {"kpi": kpi, "kpi_entry": entry, "kpi_approved_entry": approved}


def new_kpi(**kwargs):
    """A KPI of a new workstream (through the service, as officers add them)."""
    return kpi_create(
        workstream=WorkstreamFactory(), user=None, name="Apprenticeships", **kwargs
    )


def new_kpi_entry(kpi, *, label="2025/26 Q1", **kwargs):
    """An approved entry written directly (no place, no published value)."""
    return KpiEntry.objects.create(
        kpi=kpi,
        period=period_get_or_create(label=label),
        value=kwargs.pop("value", 3),
        status=kwargs.pop("status", KpiEntry.Status.APPROVED),
        entered_by=kwargs.pop("entered_by", None) or UserFactory(),
        **kwargs,
    )
