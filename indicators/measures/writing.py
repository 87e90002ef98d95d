"""Write checked measures: indicators, periods, values, published judgements."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from typing import Any

from django.core.exceptions import ValidationError

from indicators import services
from indicators.measures.reading import (
    COMPARISON_OFFSETS,
    COUNTRY,
    DATE,
    OPTIONAL_FIELDS,
    PLACE,
    REGION,
    TREND,
    MeasuresData,
    MeasuresLoadError,
)
from indicators.measures.table import (
    SNAPSHOT_WIDTH,
    trend_label,
)
from indicators.models import IndicatorValue

#: measures.json keys whose Indicator field has another name.
FIELD_NAMES = {
    "numerator": "numerator_definition",
    "denominator": "denominator_definition",
}


def validation_messages(error: ValidationError) -> str:
    """A ValidationError's messages on one line, with their field names."""
    if hasattr(error, "error_dict"):
        return "; ".join(
            f"{field}: {' '.join(messages)}"
            for field, messages in error.message_dict.items()
        )
    return " ".join(error.messages)


@contextmanager
def _at(where: str) -> Iterator[None]:
    try:
        yield
    except ValidationError as error:
        problem = f"{where}: {validation_messages(error)}"
        raise MeasuresLoadError([problem]) from error


def _indicator(description: str, meta: Mapping[str, Any], principles, workstreams):
    principle = meta.get("principle")
    fields = {
        FIELD_NAMES.get(key, key): meta[key]
        for key in OPTIONAL_FIELDS
        if key in meta and key not in ("principle", "workstreams", "note")
    }
    return services.indicator_upsert(
        code=meta["code"],
        name=meta["name"],
        value_type=meta["value_type"],
        polarity=meta["polarity"],
        published_name=description,
        display_order=meta["display_order"],
        principle=principles[principle] if principle is not None else None,
        workstreams=None
        if "workstreams" not in meta
        else [workstreams[slug] for slug in meta["workstreams"] or []],
        **fields,
    )


def _value_stamp(indicator, area, period):
    """(updated_at, source, method, published_text, value) of the
    whole-population value; None if there is none."""
    return (
        IndicatorValue.objects.filter(
            indicator=indicator,
            area=area,
            period=period,
            sex="",
            age="",
            category_type="",
            category="",
        )
        .values_list("updated_at", "source", "method", "published_text", "value")
        .first()
    )


def _keeps_calculation(before, cell) -> bool:
    """Whether a cell repeats a value calculated from raw figures as it stands.

    A value calculated earlier (from the Raw figures or Age bands sheet) keeps
    its limits and method when the Measures sheet shows it as the template
    wrote it: its published text, or the value itself when it had none.
    """
    if before is None or before[2] == IndicatorValue.Method.PUBLISHED:
        return False
    shown = before[3] or ("" if before[4] is None else f"{before[4]:g}")
    return cell.text == shown


def _write_snapshot(
    *,
    data: MeasuresData,
    row,
    snapshot,
    indicator,
    place,
    counts: dict,
    calculated: Mapping[tuple[str, int, str], Any],
) -> None:
    start = 2 + (snapshot.number - 1) * SNAPSHOT_WIDTH

    def at(offset: int):
        column = data.table.column_name(start + offset)
        return _at(f"{data.table_path}: row {row.row_number}, {column}")

    with at(DATE):
        period = services.period_get_or_create(label=snapshot.period_label)
    counts["periods"].add(period.pk)
    place_value = None
    # A table with no release date leaves the values' dates as they are.
    release = {"release_date": data.released_on} if data.released_on else {}
    for offset, area, cell in (
        (PLACE, place.area, snapshot.place),
        (COUNTRY, place.country, snapshot.country),
        (REGION, place.region, snapshot.region),
    ):
        if cell.value is None:
            continue
        before = _value_stamp(indicator, area, period)
        key = (row.description, area.pk, snapshot.period_label)
        result = calculated.get(key)
        if result is not None:
            # Calculated from raw figures (and checked to agree): the
            # calculated value, limits and method, with the published text.
            counts["calculated"].add(key)
            figures = {
                "value": result.value,
                "lower95": result.lower95,
                "upper95": result.upper95,
                "lower998": result.lower998,
                "upper998": result.upper998,
                "count": result.count,
                "denominator": result.denominator,
                "value_note": result.note,
                "method": result.method.value,
            }
        elif _keeps_calculation(before, cell):
            figures = None
        else:
            figures = {"value": cell.value}
        if figures is None:
            value = IndicatorValue.objects.get(
                indicator=indicator,
                area=area,
                period=period,
                sex="",
                age="",
                category_type="",
                category="",
            )
        else:
            with at(offset):
                value = services.indicator_value_upsert(
                    indicator=indicator,
                    area=area,
                    period=period,
                    published_text=cell.text,
                    source=before[1]
                    if before is not None and data.keep_existing_source
                    else data.source,
                    **figures,
                    **release,
                )
        counts["values"] += 1
        if before is None:
            counts["values_created"] += 1
        elif before[0] != value.updated_at:
            counts["values_updated"] += 1
        else:
            counts["values_unchanged"] += 1
        if offset == PLACE:
            place_value = value
    if place_value is None:
        return
    benchmark_areas = {
        "national": place.country,
        "region": place.region,
        "nearest_neighbours": place.nearest_neighbours,
    }
    for comparison in snapshot.comparisons:
        with at(COMPARISON_OFFSETS[comparison.benchmark]):
            services.assessment_set_published(
                value=place_value,
                benchmark=comparison.benchmark,
                result=comparison.result,
                published_text=comparison.text,
                benchmark_area=benchmark_areas[comparison.benchmark],
            )
        counts["assessments"] += 1
    if snapshot.trend_text:
        with at(TREND):
            services.trend_set_published(
                value=place_value,
                label=trend_label(snapshot.trend_text, indicator.polarity),
                published_text=snapshot.trend_text,
            )
        counts["trends"] += 1


def measures_write(
    *,
    data: MeasuresData,
    place,
    principles: Mapping[int, Any],
    workstreams: Mapping[str, Any],
    report: Callable[[str], None] = lambda message: None,
    calculated: Mapping[tuple[str, int, str], Any] | None = None,
) -> dict[str, int]:
    """Write the checked measures; return counts of what was written.

    The counts include values created, updated and left unchanged, and
    ``indicator_ids``, the set of indicators the table touched.

    For each row and each snapshot (a period repeated by a later snapshot is
    written once): the place's, country's and region's values, skipping cells
    not published; the published assessments of the place's value against the
    country, the region and the nearest neighbours; and its published trend.

    ``calculated`` maps (description, area id, period label) to a value
    calculated from raw figures (a ``Calculated``, checked to agree with the
    table's): that value is written with its limits and method and the
    published text; ``counts["calculated"]`` holds the keys written so. A value
    calculated earlier keeps its limits and method while the table repeats it.
    """
    counts: dict[str, Any] = {
        "indicators": 0,
        "periods": set(),
        "values": 0,
        "values_created": 0,
        "values_updated": 0,
        "values_unchanged": 0,
        "indicator_ids": set(),
        "assessments": 0,
        "trends": 0,
        "calculated": set(),
    }
    for position, row in enumerate(data.table.rows, start=1):
        meta = {"display_order": position, **data.metadata[row.description]}
        with _at(f"{data.table_path}: row {row.row_number}"):
            indicator = _indicator(row.description, meta, principles, workstreams)
        counts["indicators"] += 1
        counts["indicator_ids"].add(indicator.pk)
        for snapshot in row.distinct_snapshots:
            _write_snapshot(
                data=data,
                row=row,
                snapshot=snapshot,
                indicator=indicator,
                place=place,
                counts=counts,
                calculated=calculated or {},
            )
    counts["periods"] = len(counts["periods"])
    report(
        "  indicators: {indicators} (periods: {periods}, values: {values}, "
        "published assessments: {assessments}, published trends: {trends})".format(
            **counts
        )
    )
    return counts
