"""The workstreams that work towards an indicator, as indicators see them.

The link belongs to the workstream (`Workstream.indicators`, ADR 30) and
indicators never import workstreams. Where indicators' own pages, API, filters
and measures files show, filter by or set an indicator's workstreams, they go
through the reverse relation Django adds to `Indicator`, named here once.
Without an app that links to indicators, there are no links: the name resolves
to nothing and these helpers say so (empty, not an error).
"""

from __future__ import annotations

from django.core.exceptions import FieldDoesNotExist
from django.db import models

from indicators.models import Indicator

LINK = "workstreams"  # the reverse name of Workstream.indicators


def linked_model() -> type[models.Model] | None:
    """The model whose rows link to indicators (a workstream), or None."""
    try:
        return Indicator._meta.get_field(LINK).related_model
    except FieldDoesNotExist:
        return None


def linked_rows() -> models.QuerySet:
    """Every row that may link to an indicator, in its own order."""
    model = linked_model()
    return (
        model._default_manager.all() if model is not None else Indicator.objects.none()
    )


def linked_by_slug() -> dict[str, models.Model]:
    return {row.slug: row for row in linked_rows()}


def link_rows() -> models.QuerySet:
    """The link table's rows (indicator_id, workstream_id): for subqueries."""
    return getattr(Indicator, LINK).through.objects.all()


def indicator_links_set(*, indicator: Indicator, rows) -> bool:
    """Link ``indicator`` to exactly ``rows`` (None leaves the links alone);
    True if anything changed. Written from the linking rows' side
    (``workstream.indicators.add``), so each workstream's history records the
    change: django-simple-history snapshots a relation only from the side that
    declares it. Call inside the writing service's transaction."""
    if rows is None:
        return False
    forward = Indicator._meta.get_field(LINK).field.name  # "indicators"
    wanted = {row.pk: row for row in rows}
    current = {row.pk: row for row in getattr(indicator, LINK).all()}
    for pk in wanted.keys() - current.keys():
        getattr(wanted[pk], forward).add(indicator)
    for pk in current.keys() - wanted.keys():
        getattr(current[pk], forward).remove(indicator)
    return wanted.keys() != current.keys()
