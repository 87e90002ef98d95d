"""Sample values for the output KPIs of the trial site (`make run`), so the
KPI pages, dashboard and judgements have something to show.

Never part of a place's load (`load_programme` loads no KPI values: none are
published). Every value says it is a sample in its note, and so does every
target. Everything is written through the KPI services, as the workstream's
chair (or an officer) would write it: values approved and published at once.

What is written: for every quarterly KPI that is not retired, the last two
quarters that have ended, and the annual target of each financial year those
quarters fall in. A quarter that already has a value, and a year that already
has a target, are left as they are, so running it again writes nothing and
never overwrites a real figure.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q

from indicators.models import Indicator, Target
from indicators.reporting_periods import periods_between
from marmot import roles
from workstreams import rules
from workstreams.models import Kpi, KpiEntry
from workstreams.services.kpis import kpi_entry_record, kpi_target_set

SAMPLE_NOTE = "Sample value for the trial site, not real data"
SAMPLE_TARGET_NOTE = "Sample target for the trial site, not a real target"
QUARTERS = 2
TOLERANCE = 10  # per cent
#: Annual target as a multiple of twice the two quarters' sum, by the KPI's
#: position: some KPIs are on target, some within tolerance, some off it.
TARGET_FACTORS = (0.9, 1.0, 1.1, 1.3, 1.6, 2.0)


class NoOneToRecord(Exception):
    """No account may record a workstream's KPIs: make the demo accounts."""


@dataclass
class SampleResult:
    kpi: str
    values: list[tuple[str, float]] = field(default_factory=list)
    targets: list[tuple[str, float]] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)  # already there, left alone


def _recorder(kpi: Kpi, officer):
    """Who records: the workstream's chair, else an officer."""
    chair = kpi.workstream.chair
    if chair is not None and rules.can_manage_kpis(chair, kpi.workstream_id):
        return chair
    if officer is not None and rules.can_manage_kpis(officer, kpi.workstream_id):
        return officer
    raise NoOneToRecord(
        f"No one can record the {kpi.workstream.name} KPIs: give the workstream a "
        "chair or create the demo accounts first (manage.py create_demo_accounts)."
    )


def _an_officer():
    """The demo officer, else the first active officer or superuser."""
    users = get_user_model().objects.filter(
        Q(groups__name=roles.OFFICER) | Q(is_superuser=True), is_active=True
    )
    return users.filter(username="officer").first() or users.order_by("pk").first()


def sample_quarters(today: dt.date) -> list:
    """The last two quarters that have ended by ``today``, oldest first."""
    ended = [
        p
        for p in periods_between("quarterly", today - dt.timedelta(days=366), today)
        if p.ends_on < today
    ]
    return ended[-QUARTERS:]


def sample_values(position: int) -> list[int]:
    """Two quarters' whole counts for the KPI at ``position`` (0-based)."""
    return [8 + 3 * position, 11 + 4 * position]


@transaction.atomic
def sample_kpi_values_load(
    *, today: dt.date, report: Callable[[str], None] = lambda message: None
) -> list[SampleResult]:
    """Record the sample values and targets (see the module's docstring)."""
    quarters = sample_quarters(today)
    officer = _an_officer()
    kpis = list(
        Kpi.objects.select_related("workstream__chair", "indicator")
        .filter(
            indicator__update_frequency=Indicator.Frequency.QUARTERLY,
            indicator__retired_on=None,
        )
        .order_by("workstream__display_order", "display_order", "pk")
    )
    recorded = {
        (kpi_id, label)
        for kpi_id, label in KpiEntry.objects.filter(kpi__in=kpis).values_list(
            "kpi_id", "period__label"
        )
    }
    targeted = {
        (indicator_id, label)
        for indicator_id, label in Target.objects.filter(
            indicator__kpi__in=kpis
        ).values_list("indicator_id", "period__label")
    }
    results = []
    for position, kpi in enumerate(kpis):
        user = _recorder(kpi, officer)
        result = SampleResult(kpi.indicator.name)
        amounts = sample_values(position)
        for period, amount in zip(quarters, amounts, strict=True):
            if (kpi.pk, period.label) in recorded:
                result.kept.append(period.label)
                continue
            kpi_entry_record(
                kpi=kpi,
                user=user,
                period=period.label,
                value=amount,
                note=SAMPLE_NOTE,
                today=today,
            )
            result.values.append((period.label, amount))
        factor = TARGET_FACTORS[position % len(TARGET_FACTORS)]
        target = round(2 * sum(amounts) * factor)
        for year in sorted({p.year_label for p in quarters}):
            if (kpi.indicator_id, year) in targeted:
                result.kept.append(f"target {year}")
                continue
            kpi_target_set(
                kpi=kpi,
                user=user,
                year_label=year,
                value=target,
                tolerance=TOLERANCE,
                note=SAMPLE_TARGET_NOTE,
            )
            result.targets.append((year, target))
        report(_line(kpi, result))
        results.append(result)
    return results


def _line(kpi: Kpi, result: SampleResult) -> str:
    unit = f" {kpi.indicator.unit}" if kpi.indicator.unit else ""
    parts = [f"{label}: {amount:g}{unit}" for label, amount in result.values]
    parts += [f"target {year}: {amount:g}{unit}" for year, amount in result.targets]
    if result.kept:
        parts.append(f"already there, left alone: {', '.join(result.kept)}")
    return f"  {kpi.workstream.name} — {kpi.indicator.name}: {'; '.join(parts)}"
