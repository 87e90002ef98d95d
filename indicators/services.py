"""Writes for the indicators app: areas, periods, indicators, values, judgements.

Every write goes through here (ADR 0005). Upserts save only when something
changed, so repeating an import adds no rows and no history.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction

from indicators.assessment import indicator_values_changed
from indicators.models import (
    Area,
    Assessment,
    Indicator,
    IndicatorValue,
    Method,
    Period,
    Trend,
)
from indicators.periods import PeriodLabelError, parse_period_label
from workstreams.models import MarmotPrinciple, Workstream
from workstreams.services import m2m_set, record_upsert, row_delete, row_lock

KEEP = object()  # "leave this field as it is" where None is a real value


@transaction.atomic
def area_upsert(
    *,
    code: str,
    name: str,
    area_type: str,
    parent: Area | None = None,
    members: Iterable[Area] | None = None,
) -> Area:
    """Create or update an area, keyed by its code (the ONS GSS code if any).

    ``members`` (for a comparator group) replaces the group's areas; None leaves
    them alone.
    """
    area, _ = record_upsert(
        model=Area,
        lookup={"code": code},
        values={"name": name, "area_type": area_type, "parent": parent},
    )
    if members is not None:
        members = list(members)
        if any(member.pk == area.pk for member in members):
            raise ValidationError({"members": "An area cannot be its own member."})
    m2m_set(area.members, members)
    return area


@transaction.atomic
def period_get_or_create(*, label: str) -> Period:
    """The period with this label, created from the label if new.

    Dates, kind and sort key come from :func:`indicators.periods.parse_period_label`;
    an unknown label form raises ValidationError naming the label and the
    accepted forms.
    """
    try:
        parsed = parse_period_label(label)
    except PeriodLabelError as error:
        raise ValidationError({"label": str(error)}) from error
    period, _ = record_upsert(
        model=Period,
        lookup={"label": label},
        values={
            "kind": parsed.kind,
            "starts_on": parsed.starts_on,
            "ends_on": parsed.ends_on,
            "sort_key": parsed.sort_key,
        },
    )
    return period


@transaction.atomic
def indicator_upsert(
    *,
    code: str,
    name: str,
    value_type: str,
    polarity: str,
    unit: str = "",
    multiplier: int = 1,
    published_name: str = "",
    definition: str = "",
    numerator_definition: str = "",
    denominator_definition: str = "",
    principle: MarmotPrinciple | None = None,
    workstreams: Iterable[Workstream] | None = None,
    kind: str = Indicator.Kind.OUTCOME,
    source: str = "",
    fingertips_id: int | None = None,
    display_decimals: int = 1,
    display_order: int = 0,
    update_frequency: str = Indicator.Frequency.ANNUAL,
    is_published: bool | object = KEEP,
    expected_next_release: dt.date | None | object = KEEP,
) -> Indicator:
    """Create or update an indicator, keyed by its code (a slug).

    ``workstreams`` replaces the indicator's workstreams; None leaves them alone.
    ``is_published`` and ``expected_next_release`` are officers' decisions, not
    the source's: a reload leaves them as they are unless given (a new
    indicator is published, with no expected release).
    """
    values = {
        "name": name,
        "published_name": published_name,
        "definition": definition,
        "numerator_definition": numerator_definition,
        "denominator_definition": denominator_definition,
        "value_type": value_type,
        "unit": unit,
        "multiplier": multiplier,
        "polarity": polarity,
        "principle": principle,
        "kind": kind,
        "source": source,
        "fingertips_id": fingertips_id,
        "display_decimals": display_decimals,
        "display_order": display_order,
        "update_frequency": update_frequency,
    }
    if is_published is not KEEP:
        values["is_published"] = is_published
    if expected_next_release is not KEEP:
        values["expected_next_release"] = expected_next_release
    indicator, _ = record_upsert(model=Indicator, lookup={"code": code}, values=values)
    m2m_set(indicator.workstreams, workstreams)
    return indicator


@transaction.atomic
def indicator_value_upsert(
    *,
    indicator: Indicator,
    area: Area,
    period: Period,
    value: float | None,
    sex: str = "",
    age: str = "",
    category_type: str = "",
    category: str = "",
    lower95: float | None = None,
    upper95: float | None = None,
    lower998: float | None = None,
    upper998: float | None = None,
    count: float | None = None,
    denominator: float | None = None,
    value_note: str = "",
    published_text: str = "",
    source: str = "",
    release_date: dt.date | None | object = KEEP,
) -> IndicatorValue:
    """Create or update one value, keyed by indicator, area, period and breakdown.

    The breakdown is (sex, age, category type, category); empty strings mean the
    whole population. ``release_date`` (when the source published the value) is
    left as it is unless given. ``full_clean()`` applies the model's constraints
    (limits in order, value inside its interval, counts not negative) before
    saving.
    """
    indicator_value, _ = record_upsert(
        model=IndicatorValue,
        lookup={
            "indicator": indicator,
            "area": area,
            "period": period,
            "sex": sex,
            "age": age,
            "category_type": category_type,
            "category": category,
        },
        values={
            "value": value,
            "lower95": lower95,
            "upper95": upper95,
            "lower998": lower998,
            "upper998": upper998,
            "count": count,
            "denominator": denominator,
            "value_note": value_note,
            "published_text": published_text,
            "source": source,
            **({} if release_date is KEEP else {"release_date": release_date}),
        },
    )
    return indicator_value


@transaction.atomic
def assessment_set_published(
    *,
    value: IndicatorValue,
    benchmark: str,
    result: str,
    published_text: str = "",
    benchmark_area: Area | None = None,
    explanation: str = "",
) -> Assessment:
    """Record the published comparison of a value with a benchmark.

    One published assessment per value and benchmark; computed and manual ones
    are separate rows and are never touched here (ADR 0004).
    """
    assessment, _ = record_upsert(
        model=Assessment,
        lookup={"value": value, "benchmark": benchmark, "method": Method.PUBLISHED},
        values={
            "result": result,
            "published_text": published_text,
            "benchmark_area": benchmark_area,
            "explanation": explanation,
        },
    )
    return assessment


@transaction.atomic
def trend_set_published(
    *,
    value: IndicatorValue,
    label: str,
    published_text: str = "",
    explanation: str = "",
) -> Trend:
    """Record the published trend of a series on one of its values (the latest).

    ``label`` is Fingertips' wording (``Trend.Label``); ``published_text`` keeps the
    words as published, e.g. "Significantly improving".
    """
    trend, _ = record_upsert(
        model=Trend,
        lookup={"value": value, "method": Method.PUBLISHED},
        values={
            "label": label,
            "published_text": published_text,
            "explanation": explanation,
        },
    )
    return trend


@transaction.atomic
def indicator_delete(*, indicator: Indicator) -> None:
    """Delete an indicator set up by mistake, with its workstream links.

    Refused while it has values (published data: delete them first, or keep
    the indicator and unpublish it with ``is_published=False``), targets, or
    logic model outputs and outcomes that it measures. Nothing is cascaded.
    """
    indicator = row_lock(indicator)
    row_delete(
        instance=indicator,
        name=f'The indicator "{indicator.code}"',
        uses={
            ("value", "values"): indicator.values.count(),
            ("target", "targets"): indicator.targets.count(),
            ("logic model item", "logic model items"): (
                indicator.logic_model_items.count()
            ),
        },
        advice="Delete its values and targets and unlink it from logic models "
        "first, or unpublish it (is_published false) to hide it instead.",
    )


@transaction.atomic
def indicator_value_delete(*, value: IndicatorValue) -> None:
    """Delete one value; its assessments and trend go with it.

    They judge this value and mean nothing without it (a manual one included:
    its reason is in the history). The indicator's other values are then
    reassessed (``indicator_values_changed``), in the same transaction, so the
    latest value's trend and comparisons stay true.
    """
    value = row_lock(value)
    indicator_id = value.indicator_id
    value.delete()
    indicator_values_changed(indicator_ids=[indicator_id])
