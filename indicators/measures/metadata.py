"""Metadata for each row of an imported table: the database's, or given.

A measure the database already has (matched by its published description, or
by the code given for it) keeps its metadata; only its values change. A new
measure needs metadata from a ``--measures`` JSON file (measures.json's format)
or from the XLSX template's metadata columns.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from indicators.measures.sources import MetadataCells
from indicators.models import Indicator
from marmot.whole_numbers import whole_number

REQUIRED_CELLS = ("code", "value_type", "multiplier", "polarity")
CHOICES = {
    "value_type": Indicator.ValueType,
    "polarity": Indicator.Polarity,
}


def indicator_metadata(indicator: Indicator) -> dict[str, Any]:
    """measures.json-style metadata that rewrites ``indicator`` unchanged."""
    return {
        "code": indicator.code,
        "name": indicator.name,
        "value_type": indicator.value_type,
        "polarity": indicator.polarity,
        "unit": indicator.unit,
        "multiplier": indicator.multiplier,
        "principle": indicator.principle.number if indicator.principle else None,
        "display_decimals": indicator.display_decimals,
        "display_order": indicator.display_order,
        "source": indicator.source,
        "fingertips_id": indicator.fingertips_id,
        "definition": indicator.definition,
        "numerator": indicator.numerator_definition,
        "denominator": indicator.denominator_definition,
        "kind": indicator.kind,
        "update_frequency": indicator.update_frequency,
    }


def _choice(text: str, choices) -> str | None:
    folded = text.strip().casefold()
    for value, label in choices.choices:
        if folded in (value.casefold(), str(label).casefold()):
            return value
    return None


def cells_metadata(
    cells: MetadataCells, *, description: str, principle: int | None, sheet: str
) -> tuple[dict[str, Any], list[str]]:
    """Metadata from an XLSX row's metadata columns, and the problems in them."""
    problems = []
    values = cells.values

    def where(key: str) -> str:
        column = cells.columns.get(key, f'the "{key}" column (not in the header)')
        return f'sheet "{sheet}", row {cells.row_number}, {column}'

    for key in REQUIRED_CELLS:
        if not values.get(key):
            problems.append(
                f"{where(key)}: blank; a measure not yet in the database needs "
                "its code, value type, multiplier and polarity"
            )
    meta: dict[str, Any] = {
        "code": values.get("code", ""),
        "name": values.get("name") or description,
        "unit": values.get("unit", ""),
        "principle": principle,
    }
    for key, choices in CHOICES.items():
        text = values.get(key, "")
        meta[key] = _choice(text, choices) if text else ""
        if text and meta[key] is None:
            allowed = ", ".join(choices.values)
            problems.append(f'{where(key)}: "{text}" is not one of {allowed}')
    multiplier = values.get("multiplier", "")
    if multiplier:
        if (whole_number(multiplier) or 0) >= 1:
            meta["multiplier"] = whole_number(multiplier)
        else:
            problems.append(
                f'{where("multiplier")}: "{multiplier}" is not a whole number of '
                "1 or more (1, 100 for %, 1000 for per 1,000)"
            )
    number = values.get("principle", "")
    if number and number != (str(principle) if principle else ""):
        group = f"principle {principle}" if principle else "Overarching"
        problems.append(
            f'{where("principle")}: "{number}" disagrees with the principle group '
            f"({group}); leave it blank or make them agree"
        )
    return meta, problems


def rows_metadata(
    *,
    rows,
    indicators: list[Indicator],
    given: Mapping[str, Any],
    cells: Mapping[str, MetadataCells],
    sheet: str,
) -> tuple[dict[str, dict], dict[str, Any], list[str], set[str]]:
    """Metadata for every row; also the new measures' given metadata, problems.

    ``given`` is a measures.json ``measures`` object (keyed by description).
    Returns (metadata for every row the database or the file describes, the
    subset given for new measures - to check like measures.json - the problems
    in the XLSX metadata cells, and the descriptions of rows with such
    problems). Rows with no metadata at all are left out;
    :func:`indicators.measures.reading.table_check` reports them.
    """
    by_name = {i.published_name: i for i in indicators if i.published_name}
    by_code = {i.code: i for i in indicators}
    metadata: dict[str, dict] = {}
    new: dict[str, Any] = {}
    problems: list[str] = []
    skip: set[str] = set()
    for row in rows:
        entry = given.get(row.description)
        row_cells = cells.get(row.description)
        code = entry.get("code") if isinstance(entry, dict) else None
        if row_cells is not None and not code:
            code = row_cells.values.get("code")
        indicator = by_name.get(row.description) or by_code.get(code or "")
        if indicator is not None:
            metadata[row.description] = indicator_metadata(indicator)
        elif entry is not None:
            metadata[row.description] = new[row.description] = entry
        elif row_cells is not None:
            meta, found = cells_metadata(
                row_cells,
                description=row.description,
                principle=row.principle,
                sheet=sheet,
            )
            problems += found
            if found:
                skip.add(row.description)
            else:
                metadata[row.description] = new[row.description] = meta
    return metadata, new, problems, skip
