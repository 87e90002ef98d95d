"""Services for versioned logic models and their items."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Max

from marmot.services import (
    m2m_set,
    record_upsert,
    row_delete,
    row_lock,
    row_version_bump,
    row_version_claim,
)
from workstreams.models import (
    Action,
    LogicModel,
    LogicModelItem,
    Submission,
    Workstream,
)


@dataclass(frozen=True)
class LogicModelItemData:
    kind: str
    text: str
    indicators: Sequence[models.Model] = field(default_factory=tuple)


def _check_item(item: LogicModelItemData) -> None:
    if item.kind not in LogicModelItem.Kind.values:
        raise ValidationError(f'"{item.kind}" is not a kind of logic model item.')
    if item.indicators and item.kind not in LogicModelItem.LINKS_TO_INDICATORS:
        raise ValidationError(
            f"Only outputs and outcomes can link to indicators; "
            f'"{item.text[:60]}" is an {item.kind}.'
        )


@transaction.atomic
def logic_model_upsert(
    *,
    workstream: Workstream,
    version: int,
    status: str = LogicModel.Status.DRAFT,
    dated: dt.date | None = None,
    hypothesis: str = "",
    context: str = "",
    barriers: str = "",
    items: Sequence[LogicModelItemData] = (),
    expected_row_version: int | None = None,
) -> LogicModel:
    """Create or update a version of a workstream's logic model and its items.

    The items are replaced in the order given, numbered from 1 within each kind;
    existing rows are reused by (kind, position) so links to them survive.
    Making a version current supersedes the workstream's other current version.
    Only outputs and outcomes may link to indicators. With
    ``expected_row_version`` a concurrent change raises StaleRowVersion.
    """
    if expected_row_version is not None:
        existing = LogicModel.objects.filter(workstream=workstream, version=version)
        row_version_claim(
            model=LogicModel,
            pk=existing.values_list("pk", flat=True).first() or 0,
            expected=expected_row_version,
        )
    for item in items:
        _check_item(item)
    if status == LogicModel.Status.CURRENT:
        others = LogicModel.objects.filter(
            workstream=workstream, status=LogicModel.Status.CURRENT
        ).exclude(version=version)
        for other in others:
            record_upsert(
                model=LogicModel,
                lookup={"pk": other.pk},
                values={"status": LogicModel.Status.SUPERSEDED},
            )
    logic_model, saved = record_upsert(
        model=LogicModel,
        lookup={"workstream": workstream, "version": version},
        values={
            "status": status,
            "dated": dated,
            "hypothesis": hypothesis,
            "context": context,
            "barriers": barriers,
        },
    )
    kept: list[int] = []
    positions: dict[str, int] = {}
    items_changed = False
    for item in items:
        positions[item.kind] = positions.get(item.kind, 0) + 1
        row, row_saved = record_upsert(
            model=LogicModelItem,
            lookup={
                "logic_model": logic_model,
                "kind": item.kind,
                "position": positions[item.kind],
            },
            values={"text": item.text},
        )
        links_changed = m2m_set(row.indicators, item.indicators)
        items_changed = items_changed or row_saved or links_changed
        kept.append(row.pk)
    for surplus in logic_model.items.exclude(pk__in=kept):
        surplus.delete()
        items_changed = True
    if items_changed and not saved:
        row_version_bump(instance=logic_model)
    return logic_model


@transaction.atomic
def logic_model_create(
    *, workstream: Workstream, version: int | None = None, **fields
) -> LogicModel:
    """A new version of the workstream's logic model (`logic_model_upsert`'s
    other arguments). Without ``version``, the next one: the workstream's
    highest plus one (1 for its first). A version that exists already is
    refused (ValidationError on ``version``); the workstream's row is locked
    so two creates cannot both take the same number."""
    row_lock(workstream)
    versions = LogicModel.objects.filter(workstream=workstream)
    if version is None:
        version = (versions.aggregate(highest=Max("version"))["highest"] or 0) + 1
    elif versions.filter(version=version).exists():
        raise ValidationError({"version": "This version exists already."})
    return logic_model_upsert(workstream=workstream, version=version, **fields)


@transaction.atomic
def logic_model_delete(*, logic_model: LogicModel) -> None:
    """Delete a version made by mistake, with its items and their indicator links.

    Refused while actions deliver one of its activities or partners'
    submissions say they support one: those links would be lost. (A current
    version may be deleted; the workstream then shows none until another is
    made current.)
    """
    logic_model = row_lock(logic_model)
    actions = Action.objects.filter(activities__logic_model=logic_model)
    submissions = Submission.objects.filter(supports_activity__logic_model=logic_model)
    row_delete(
        instance=logic_model,
        name=f"Version {logic_model.version} of the logic model",
        uses={
            ("action delivering its activities", "actions delivering its activities"): (
                actions.distinct().count()
            ),
            (
                "partner submission backing its activities",
                "partner submissions backing its activities",
            ): (submissions.count()),
        },
        advice="Unlink them from its activities first.",
    )
