"""Builders for the output-KPI page tests (no tests here): the KPI world
with a partner of another organisation, the pages' "today" fixed, and
helpers that record values as the services do."""

from __future__ import annotations

import re
from html import unescape

from marmot import roles
from tests.conftest import user_with_role
from tests.workstreams.factories import OrganisationMembershipFactory
from tests.workstreams.kpi_fixtures import TODAY, build_kpi_world
from workstreams.services.kpis import (
    kpi_create,
    kpi_entry_record,
    kpi_target_set,
)


def build_kpi_page_world(role_users, today_is):
    """`build_kpi_world` plus ``other_partner`` (of ``other_org``), with the
    pages' today fixed at `TODAY` (2026-12-03; ``today_is``: the fixture)."""
    today_is(TODAY)
    world = build_kpi_world(role_users)
    other_partner = user_with_role(roles.PARTNER, username="other_partner")
    OrganisationMembershipFactory(user=other_partner, organisation=world.other_org)
    world.users["other_partner"] = other_partner
    return world


def record(world, who, kpi, period, value, **kwargs):
    return kpi_entry_record(
        kpi=kpi,
        user=world.users[who],
        period=period,
        value=value,
        today=TODAY,
        **kwargs,
    )


def target(world, kpi, year="2026/27", value=100, tolerance=10, quarters=None):
    return kpi_target_set(
        kpi=kpi,
        user=world.users["officer"],
        year_label=year,
        value=value,
        tolerance=tolerance,
        quarters=quarters,
    )


def more_kpis(world, count: int, *, values: bool = True):
    """``count`` more KPIs of the chair's workstream, each with two approved
    quarters and a target (a bigger page for query counts)."""
    made = []
    for n in range(count):
        kpi = kpi_create(
            workstream=world.own,
            user=world.users["officer"],
            name=f"Extra KPI {n}",
            unit="people",
            reporting_organisation=world.org,
        )
        if values:
            for period in ("2026/27 Q1", "2026/27 Q2"):
                record(world, "chair", kpi, period, 10 + n)
            target(world, kpi)
        made.append(kpi)
    return made


def text(response) -> str:
    """The page's text without tags, spaces collapsed."""
    html = response.content.decode()
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())
