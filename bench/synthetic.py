"""A synthetic programme at N × a typical place, for benchmarks.

`scale_data_generate(factor=N, seed=S)` writes, for factor 1: 4 workstreams with
two workplans each (~1,000 actions, ~10,000 progress updates), 50 indicators with
values for 20 areas over 15 financial years (plus ward and deprivation-decile
breakdowns for the place from factor 3), and a national assessment on every
whole-population value of the place. Counts scale linearly with the factor; the
area pool grows as 30 × N, capped at 300.

Rows are written with `bulk_create`, which skips `save()`, `full_clean()` and
django-simple-history: synthetic data needs no audit trail, and a benchmark needs
the rows fast. The same seed gives the same rows. Every synthetic row is
recognisable by the ``synthetic-``/``SYN`` prefix of its slug, code, name or
username, so `scale_data_delete` removes only what this module wrote.
The sizes, prefixes and `scale_data_counts` are in
`bench.synthetic_parameters`.
"""

import datetime as dt
import random
from collections.abc import Iterable

from django.contrib.auth import get_user_model
from django.db import transaction

from bench.synthetic_parameters import (
    ACTION_STATUSES,
    AREA_PREFIX,
    AREAS_PER_INDICATOR,
    BATCH,
    BREAKDOWNS_FROM_FACTOR,
    DECILES,
    KINDS,
    PERIODS,
    PREFIX,
    RAGS,
    WARDS,
    WORDS,
    YEARS,
    Progress,
    scale_data_counts,
    scaled,
)
from indicators.models import (
    Area,
    Assessment,
    Indicator,
    IndicatorValue,
    MarmotPrinciple,
    Period,
    Place,
)
from indicators.periods import parse_period_label
from marmot import roles
from workstreams.models import (
    Action,
    Organisation,
    ProgressUpdate,
    Workplan,
    WorkplanPriority,
    Workstream,
)


def scale_data_exists() -> bool:
    return Workstream.objects.filter(slug__startswith=PREFIX).exists()


@transaction.atomic
def scale_data_delete() -> None:
    """Remove every synthetic row this module wrote, and nothing else. Areas,
    periods, principles and a place it had to create are kept: a later run
    reuses them."""
    User = get_user_model()
    indicators = Indicator.objects.filter(code__startswith=PREFIX)
    workstreams = Workstream.objects.filter(slug__startswith=PREFIX)
    users = User.objects.filter(username__startswith=PREFIX)
    for model, lookup in (
        (ProgressUpdate, {"action__workplan__workstream__in": workstreams}),
        (Assessment, {"value__indicator__in": indicators}),
        (IndicatorValue, {"indicator__in": indicators}),
        (Indicator.workstreams.through, {"indicator__in": indicators}),
        (Indicator, {"pk__in": indicators}),
        (Action, {"workplan__workstream__in": workstreams}),
        (WorkplanPriority, {"workplan__workstream__in": workstreams}),
        (Workplan, {"workstream__in": workstreams}),
        (Workstream.principles.through, {"workstream__in": workstreams}),
        (Workstream, {"pk__in": workstreams}),
        (Organisation, {"name__startswith": PREFIX}),
        (User.groups.through, {"user__in": users}),
        (User, {"pk__in": users}),
    ):
        # Raw deletes: the ORM's delete() would load every row and write a
        # history row for each one.
        model.objects.filter(**lookup)._raw_delete("default")


def _batched(model, rows: Iterable, progress: Progress | None) -> list:
    rows = list(rows)
    created = model.objects.bulk_create(rows, batch_size=BATCH)
    if progress:
        progress(model._meta.verbose_name_plural, len(rows))
    return created


def _sentence(rng: random.Random, words: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(words)).capitalize() + "."


def _principles() -> list[MarmotPrinciple]:
    for number in range(1, 9):
        MarmotPrinciple.objects.get_or_create(
            number=number, defaults={"title": f"Principle {number}"}
        )
    return list(MarmotPrinciple.objects.order_by("number"))


def _periods() -> list[Period]:
    periods = []
    for year in range(2010, 2010 + PERIODS):
        label = f"{year}/{(year + 1) % 100:02d}"
        period, _ = Period.objects.get_or_create(
            label=label,
            defaults={
                "kind": Period.Kind.FINANCIAL_YEAR,
                "starts_on": dt.date(year, 4, 1),
                "ends_on": dt.date(year + 1, 3, 31),
                "sort_key": parse_period_label(label).sort_key,
            },
        )
        periods.append(period)
    return periods


def _place_and_areas(count: int) -> tuple[Place, list[Area]]:
    """The place (an existing one, or a synthetic one) and ``count`` areas, the
    place's own first."""

    def area(code, name, area_type):
        return Area.objects.get_or_create(
            code=code, defaults={"name": name, "area_type": area_type}
        )[0]

    place = Place.objects.first()
    if place is None:
        place = Place.objects.create(
            name="Synthetic place",
            service_name="Synthetic place — Health Equity Programme",
            area=area(f"{AREA_PREFIX}-PLACE", "Synthetic place", "local_authority"),
            country=area(f"{AREA_PREFIX}-COUNTRY", "Synthetic country", "country"),
            region=area(f"{AREA_PREFIX}-REGION", "Synthetic region", "region"),
            nearest_neighbours=area(
                f"{AREA_PREFIX}-GROUP", "Synthetic neighbours", "comparator_group"
            ),
        )
    fixed = [place.area, place.country, place.region]
    others = [
        Area(code=f"{AREA_PREFIX}{n:05d}", name=f"Synthetic area {n}")
        for n in range(count - len(fixed))
    ]
    existing = set(
        Area.objects.filter(code__in=[a.code for a in others]).values_list(
            "code", flat=True
        )
    )
    Area.objects.bulk_create(
        [
            Area(code=a.code, name=a.name, area_type="local_authority")
            for a in others
            if a.code not in existing
        ]
    )
    others = list(
        Area.objects.filter(code__in=[a.code for a in others]).order_by("code")
    )
    return place, fixed + others


@transaction.atomic
def scale_data_generate(
    *, factor: float, seed: int = 0, progress: Progress | None = None
) -> dict[str, int]:
    """Write the synthetic programme; returns the counts written."""
    rng = random.Random(seed)  # noqa: S311 - repeatable test data, not secrets
    counts = scale_data_counts(factor=factor)
    principles = _principles()
    periods = _periods()
    place, areas = _place_and_areas(counts["areas"])
    User = get_user_model()
    groups = roles.roles_ensure_groups()

    # People and partners.
    people = _batched(
        User,
        (
            User(username=f"{PREFIX}user{n}", email=f"{PREFIX}user{n}@example.org")
            for n in range(scaled(20, factor))
        ),
        progress,
    )
    for user in people[: counts["workstreams"]]:
        user.groups.add(groups[roles.WORKSTREAM_CHAIR])
    organisations = _batched(
        Organisation,
        (
            Organisation(name=f"{PREFIX}organisation {n}", kind=rng.choice(KINDS))
            for n in range(scaled(25, factor))
        ),
        progress,
    )

    # Workstreams, workplans, priorities.
    workstreams = _batched(
        Workstream,
        (
            Workstream(
                slug=f"{PREFIX}{n}",
                name=f"{PREFIX}workstream {n}",
                purpose=_sentence(rng, 12),
                chair=people[n % len(people)],
                display_order=100 + n,
            )
            for n in range(counts["workstreams"])
        ),
        progress,
    )
    for workstream in workstreams:
        workstream.principles.set(rng.sample(principles, 2))
    workplans = _batched(
        Workplan,
        (
            Workplan(
                workstream=workstream,
                year_label=label,
                starts_on=dt.date(year, 4, 1),
                ends_on=dt.date(year + 1, 3, 31),
                status=status,
                signed_off_on=dt.date(year, 5, 1),
            )
            for workstream in workstreams
            for label, year, status in YEARS
        ),
        progress,
    )
    priorities = _batched(
        WorkplanPriority,
        (
            WorkplanPriority(workplan=workplan, title=f"Priority {p}", position=p)
            for workplan in workplans
            for p in range(4)
        ),
        progress,
    )
    by_workplan: dict[int, list[WorkplanPriority]] = {}
    for priority in priorities:
        by_workplan.setdefault(priority.workplan_id, []).append(priority)

    # Actions and their progress updates.
    per_workplan = counts["actions"] // counts["workplans"]
    actions = []
    for workplan in workplans:
        for n in range(per_workplan):
            status = rng.choice(ACTION_STATUSES)
            start = workplan.starts_on + dt.timedelta(days=rng.randrange(90))
            due = start + dt.timedelta(days=rng.randrange(30, 330))
            actions.append(
                Action(
                    workplan=workplan,
                    priority=rng.choice(by_workplan[workplan.pk]),
                    title=f"{_sentence(rng, 5)[:-1]} ({n})",
                    description=_sentence(rng, 25),
                    lead_organisation=rng.choice(organisations),
                    lead_person=f"Lead {rng.randrange(1000)}",
                    lead_user=rng.choice(people),
                    status=status,
                    rag=rng.choice(RAGS),
                    is_next_step=rng.random() < 0.1,
                    start_date=start,
                    due_date=due,
                    completed_on=due if status == Action.Status.COMPLETED else None,
                )
            )
    actions = _batched(Action, actions, progress)
    _batched(
        ProgressUpdate,
        (
            ProgressUpdate(
                action=action,
                author=rng.choice(people),
                reported_on=action.start_date + dt.timedelta(days=20 * u),
                text=_sentence(rng, 30),
                status=rng.choice(ACTION_STATUSES),
                rag=rng.choice(RAGS),
            )
            for action in actions
            for u in range(10)
        ),
        progress,
    )

    # Indicators, their values and the place's assessments.
    indicators = _batched(
        Indicator,
        (
            Indicator(
                code=f"{PREFIX}{n}",
                name=f"{PREFIX}indicator {n}: {_sentence(rng, 4)[:-1]}",
                value_type=Indicator.ValueType.PROPORTION,
                unit="%",
                multiplier=100,
                polarity=rng.choice(["high_is_good", "low_is_good"]),
                principle=rng.choice(principles),
                display_order=n,
            )
            for n in range(counts["indicators"])
        ),
        progress,
    )
    Indicator.workstreams.through.objects.bulk_create(
        Indicator.workstreams.through(indicator=i, workstream=rng.choice(workstreams))
        for i in indicators
    )
    values = []
    for indicator in indicators:
        covered = areas[:3] + rng.sample(areas[3:], AREAS_PER_INDICATOR - 3)
        for area in covered:
            level = rng.uniform(20, 80)
            for period in periods:
                values.append(_value(rng, indicator, area, period, level))
        if factor >= BREAKDOWNS_FROM_FACTOR:
            breakdowns = [("Ward", f"Ward {w}") for w in range(WARDS)] + [
                ("Deprivation decile", f"Decile {d}") for d in range(1, DECILES + 1)
            ]
            for period in periods[-3:]:
                for kind, name in breakdowns:
                    level = rng.uniform(20, 80)
                    value = _value(rng, indicator, place.area, period, level)
                    value.category_type, value.category = kind, name
                    values.append(value)
    values = _batched(IndicatorValue, values, progress)
    _batched(
        Assessment,
        (
            Assessment(
                value=value,
                benchmark=Assessment.Benchmark.NATIONAL,
                benchmark_area=place.country,
                result=rng.choice(["better", "similar", "worse"]),
                level=95,
                method="published",
            )
            for value in values
            if value.area_id == place.area_id and not value.category_type
        ),
        progress,
    )
    return counts


def _value(rng, indicator, area, period, level) -> IndicatorValue:
    value = round(level + rng.uniform(-5, 5), 2)
    spread = round(rng.uniform(0.5, 3), 2)
    return IndicatorValue(
        indicator=indicator,
        area=area,
        period=period,
        value=value,
        lower95=value - spread,
        upper95=value + spread,
        count=rng.randrange(100, 5000),
        denominator=10000,
        source="Synthetic",
    )
