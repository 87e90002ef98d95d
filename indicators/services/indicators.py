"""Writes for indicators: what is measured, and deleting one set up by mistake."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db import models, transaction

from indicators.links import indicator_links_set
from indicators.models import Indicator, MarmotPrinciple
from marmot.services import record_upsert, row_delete, row_lock, row_version_bump

KEEP = object()  # "leave this field as it is" where None is a real value


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
    workstreams: Iterable[models.Model] | None = None,
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

    ``workstreams`` replaces the workstreams that link to the indicator (the
    link is theirs, `indicators.links`); None leaves them alone.
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
    if indicator_links_set(indicator=indicator, rows=workstreams):
        row_version_bump(instance=indicator)  # its workstreams are part of it
    return indicator


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
