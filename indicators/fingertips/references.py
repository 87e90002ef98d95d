"""Indicators, areas and periods named in a Fingertips file: find or create them.

Planning (:func:`references_plan`) only reads, so a conflict (an indicator code
already taken by another indicator) is reported with the file's other problems
before anything is written. Creating (:func:`references_create`) then writes what
the plan says and returns the primary keys the values need.

Existing rows are never rewritten: an indicator that exists keeps its name,
value type and polarity; an area keeps its name and type and only gains a parent
when it has none.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from simple_history.utils import bulk_create_with_history

from indicators.fingertips import columns as c
from indicators.fingertips.errors import RowError
from indicators.fingertips.validation import ValidatedFile
from indicators.fingertips.vocabulary import (
    PARENT_OTHER,
    PARENT_REGION,
    parent_label_kind,
)
from indicators.models import Area, Indicator, Period, Place

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser

SOURCE = "OHID Fingertips"
CODE_PREFIX = "fingertips-"
_CHUNK = 900  # stays under SQLite's limit on query parameters

# A new indicator's value type. The data CSV does not say what kind of number an
# indicator is, and guessing (a denominator and values under 100 look like a
# percentage, but so do many rates and scores) would pick the wrong confidence
# and trend methods silently. "Mean or score" makes no claim: the trend is then
# tested by regression on the published confidence limits, which is valid for
# any value with limits. Officers set the real type afterwards.
DEFAULT_VALUE_TYPE = Indicator.ValueType.MEAN
DEFAULT_POLARITY = Indicator.Polarity.NO_JUDGEMENT


def indicator_code(fingertips_id: int) -> str:
    """Our code for an indicator created from Fingertips, e.g. ``fingertips-90366``."""
    return f"{CODE_PREFIX}{fingertips_id}"


def _chunks(values: Iterable, size: int = _CHUNK):
    values = list(values)
    for start in range(0, len(values), size):
        yield values[start : start + size]


@dataclass
class _NewArea:
    code: str
    name: str
    area_type: str
    parent_code: str


@dataclass
class ReferencePlan:
    """What exists, what to create, and what is wrong."""

    indicators: dict[int, int] = field(default_factory=dict)  # fid -> pk
    new_indicators: dict[int, str] = field(default_factory=dict)  # fid -> name
    areas: dict[str, int] = field(default_factory=dict)  # code -> pk
    area_types: dict[str, str] = field(default_factory=dict)  # code -> type
    area_parents: dict[str, int | None] = field(default_factory=dict)
    new_areas: dict[str, _NewArea] = field(default_factory=dict)
    parent_codes: dict[str, str] = field(default_factory=dict)  # child -> parent
    periods: dict[str, int] = field(default_factory=dict)  # label -> pk
    new_periods: list = field(default_factory=list)  # ParsedPeriod
    national_code: str | None = None
    national_area_id: int | None = None
    errors: list[RowError] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class CreatedCounts:
    indicators: int
    areas: int
    area_parents_set: int
    periods: int


def _plan_indicators(file: ValidatedFile, plan: ReferencePlan) -> None:
    first: dict[int, tuple[str, int]] = {}
    for row in file.rows:
        first.setdefault(row.indicator_fid, (row.indicator_name, row.line))
    for chunk in _chunks(first):
        for pk, fid in Indicator.objects.filter(fingertips_id__in=chunk).values_list(
            "pk", "fingertips_id"
        ):
            plan.indicators[fid] = pk
    missing = {fid: first[fid] for fid in first if fid not in plan.indicators}
    codes = {indicator_code(fid): fid for fid in missing}
    for chunk in _chunks(codes):
        for code, other in Indicator.objects.filter(code__in=chunk).values_list(
            "code", "fingertips_id"
        ):
            fid = codes[code]
            plan.errors.append(
                RowError(
                    missing[fid][1],
                    c.INDICATOR_ID,
                    f"indicator code {code!r} is already used by an indicator "
                    + (
                        f"with Fingertips id {other}"
                        if other
                        else "with no Fingertips id: set its Fingertips id to "
                        f"{fid} to import into it"
                    ),
                )
            )
            missing.pop(fid)
    plan.new_indicators = {fid: name for fid, (name, _line) in missing.items()}


def _plan_areas(file: ValidatedFile, plan: ReferencePlan) -> None:
    layout = file.layout
    in_file: dict[str, _NewArea] = {}
    parent_names: dict[str, str] = {}
    for row in file.rows:
        if row.area_code not in in_file:
            in_file[row.area_code] = _NewArea(
                row.area_code, row.area_name, row.area_type, row.parent_code
            )
        if row.parent_code and row.parent_name:
            parent_names.setdefault(row.parent_code, row.parent_name)
    # Parents that are not areas of the file: their type is inferred from their
    # children (a region's parent is the country) and from the header.
    region_header = (
        layout.parent_index is not None
        and parent_label_kind(layout.parent_label) == PARENT_REGION
    )
    child_types: dict[str, set[str]] = {}
    for area in in_file.values():
        code = area.parent_code
        if code and code not in in_file and code != area.code:
            child_types.setdefault(code, set()).add(area.area_type)
    parent_only: dict[str, _NewArea] = {}
    for code, types in child_types.items():
        if Area.Type.REGION in types:
            parent_type = Area.Type.COUNTRY
        elif region_header:
            parent_type = Area.Type.REGION
        else:
            parent_type = Area.Type.OTHER
        parent_only[code] = _NewArea(
            code, parent_names.get(code, code), parent_type, ""
        )
    everything = {**parent_only, **in_file}
    for chunk in _chunks(everything):
        for pk, code, area_type, parent_id in Area.objects.filter(
            code__in=chunk
        ).values_list("pk", "code", "area_type", "parent_id"):
            plan.areas[code] = pk
            plan.area_types[code] = area_type
            plan.area_parents[code] = parent_id
    for code, area in everything.items():
        if code not in plan.areas:
            plan.new_areas[code] = area
            plan.area_types[code] = area.area_type
    plan.parent_codes = {
        code: area.parent_code
        for code, area in in_file.items()
        if area.parent_code and area.parent_code != code
    }
    countries = sorted(
        code for code, area in in_file.items() if area.area_type == Area.Type.COUNTRY
    )
    if len(countries) == 1:
        plan.national_code = countries[0]
    else:
        place = Place.objects.only("country_id").first()
        if place is not None:
            plan.national_area_id = place.country_id
        else:
            ids = list(
                Area.objects.filter(area_type=Area.Type.COUNTRY).values_list(
                    "pk", flat=True
                )[:2]
            )
            if len(ids) == 1:
                plan.national_area_id = ids[0]


def _plan_periods(file: ValidatedFile, plan: ReferencePlan) -> None:
    labels = {row.period_label for row in file.rows}
    for chunk in _chunks(labels):
        plan.periods.update(
            Period.objects.filter(label__in=chunk).values_list("label", "pk")
        )
    plan.new_periods = [
        file.periods[label] for label in sorted(labels) if label not in plan.periods
    ]


def references_plan(file: ValidatedFile) -> ReferencePlan:
    """Work out which indicators, areas and periods exist; read-only."""
    plan = ReferencePlan()
    _plan_indicators(file, plan)
    _plan_areas(file, plan)
    _plan_periods(file, plan)
    layout = file.layout
    if (
        layout.parent_index is not None
        and parent_label_kind(layout.parent_label) == PARENT_OTHER
    ):
        plan.notes.append(
            f"{layout.parent_header!r} was not stored: published "
            "comparisons are kept against England and regions only."
        )
    return plan


def references_create(
    plan: ReferencePlan,
    *,
    user: AbstractBaseUser | None = None,
    change_reason: str = "",
) -> CreatedCounts:
    """Create what the plan lacks and fill in the primary keys; inside a transaction.

    New indicators get a history record each (``bulk_create_with_history``);
    areas and periods have no history.
    """
    if plan.new_indicators:
        objs = [
            Indicator(
                code=indicator_code(fid),
                name=name,
                published_name=name,
                fingertips_id=fid,
                value_type=DEFAULT_VALUE_TYPE,
                polarity=DEFAULT_POLARITY,
                source=SOURCE,
            )
            for fid, name in sorted(plan.new_indicators.items())
        ]
        bulk_create_with_history(
            objs, Indicator, default_user=user, default_change_reason=change_reason
        )
        for chunk in _chunks(plan.new_indicators):
            plan.indicators.update(
                (fid, pk)
                for pk, fid in Indicator.objects.filter(
                    fingertips_id__in=chunk
                ).values_list("pk", "fingertips_id")
            )
    new_area_ids: set[int] = set()
    if plan.new_areas:
        Area.objects.bulk_create(
            [
                Area(code=a.code, name=a.name, area_type=a.area_type)
                for a in plan.new_areas.values()
            ],
            batch_size=1000,
        )
        for chunk in _chunks(plan.new_areas):
            created = dict(
                Area.objects.filter(code__in=chunk).values_list("code", "pk")
            )
            plan.areas.update(created)
            new_area_ids.update(created.values())
    parents_set = []
    for code, parent_code in plan.parent_codes.items():
        if code in plan.new_areas or plan.area_parents.get(code) is None:
            parents_set.append(
                Area(pk=plan.areas[code], parent_id=plan.areas[parent_code])
            )
    # One UPDATE per parent (a file names a handful: England and the regions)
    # rather than bulk_update's CASE over every area.
    by_parent: dict[int, list[int]] = {}
    for area in parents_set:
        by_parent.setdefault(area.parent_id, []).append(area.pk)
    for parent_id, pks in sorted(by_parent.items()):
        for chunk in _chunks(sorted(pks)):
            Area.objects.filter(pk__in=chunk).update(parent_id=parent_id)
    if plan.new_periods:
        Period.objects.bulk_create(
            [
                Period(
                    label=p.label,
                    kind=p.kind,
                    starts_on=p.starts_on,
                    ends_on=p.ends_on,
                    sort_key=p.sort_key,
                )
                for p in plan.new_periods
            ]
        )
        for chunk in _chunks(p.label for p in plan.new_periods):
            plan.periods.update(
                Period.objects.filter(label__in=chunk).values_list("label", "pk")
            )
    if plan.national_code is not None:
        plan.national_area_id = plan.areas[plan.national_code]
    existing_given_parent = len([a for a in parents_set if a.pk not in new_area_ids])
    if existing_given_parent:
        plan.notes.append(
            f"{existing_given_parent} existing area(s) without a parent were given "
            "the parent the file names."
        )
    return CreatedCounts(
        indicators=len(plan.new_indicators),
        areas=len(plan.new_areas),
        area_parents_set=len(parents_set),
        periods=len(plan.new_periods),
    )
