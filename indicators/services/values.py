"""Writes for values: the periods they cover, the values themselves.

Upserts save only when something changed, so repeating an import adds no rows
and no history.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction

from indicators.assessment import indicator_values_changed
from indicators.models import Area, Indicator, IndicatorValue, Period
from indicators.periods import PeriodLabelError, parse_period_label
from indicators.services.indicators import KEEP
from indicators.statistics.calculate import AgeBand, FigureError, calculate_value
from marmot.services import record_upsert, row_lock


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
    method: str = IndicatorValue.Method.PUBLISHED,
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
            "method": method,
            **({} if release_date is KEEP else {"release_date": release_date}),
        },
    )
    return indicator_value


@transaction.atomic
def indicator_value_calculate(
    *,
    indicator: Indicator,
    area: Area,
    period: Period,
    sex: str = "",
    age: str = "",
    category_type: str = "",
    category: str = "",
    numerator: float | None = None,
    denominator: float | None = None,
    age_bands: list[AgeBand] | None = None,
    mean: float | None = None,
    standard_deviation: float | None = None,
    sample_size: float | None = None,
    value_note: str = "",
    source: str = "",
    release_date: dt.date | None | object = KEEP,
) -> IndicatorValue:
    """Calculate a value and its limits from raw figures, then upsert it.

    The method is the indicator's value type's
    (:func:`indicators.statistics.calculate.calculate_value`), scaled by its
    multiplier; the value records it, with the count and denominator the
    figures add up to. Figures the method cannot use raise ValidationError
    keyed by the figure (``numerator``, ``age_bands``, …) saying why; nothing
    is written. A life expectancy the reference
    suppresses is saved with no value and a note saying why.
    """
    try:
        result = calculate_value(
            indicator.value_type,
            multiplier=indicator.multiplier,
            numerator=numerator,
            denominator=denominator,
            age_bands=age_bands,
            mean=mean,
            standard_deviation=standard_deviation,
            sample_size=sample_size,
        )
    except FigureError as error:
        message = (
            f"{indicator.code} ({indicator.get_value_type_display().lower()}): {error}."
        )
        raise ValidationError({error.field or NON_FIELD_ERRORS: message}) from error
    return indicator_value_upsert(
        indicator=indicator,
        area=area,
        period=period,
        sex=sex,
        age=age,
        category_type=category_type,
        category=category,
        value=result.value,
        lower95=result.lower95,
        upper95=result.upper95,
        lower998=result.lower998,
        upper998=result.upper998,
        count=result.count,
        denominator=result.denominator,
        value_note=value_note or result.note,
        source=source,
        release_date=release_date,
        method=result.method.value,
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
