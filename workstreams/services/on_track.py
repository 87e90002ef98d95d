"""Overriding the rule's on-track judgement of a workstream (ADR 19): its
chair, a deputy or an officer says what the oversight group should read instead,
and why. The override is kept with what the rule said then and the workplan it
judged, so the pages can let it lapse when either changes
(`workstreams.page_selectors.on_track`)."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from marmot.services import row_lock
from workstreams import rules
from workstreams.models import Workstream
from workstreams.on_track import Judgement
from workstreams.page_selectors.on_track import on_track_judgement

REASON_MAX = 1000
OVERRIDE_FIELDS = [
    "on_track_override",
    "on_track_reason",
    "on_track_rule_said",
    "on_track_workplan",
    "on_track_set_by",
    "on_track_set_at",
    "updated_at",
]


def _check_permission(user, workstream: Workstream) -> None:
    if not rules.can_override_on_track(user, workstream.pk):
        raise PermissionDenied(
            "Only the workstream's chair, its deputies and officers may override "
            "its on-track judgement."
        )


def _save(workstream: Workstream, user) -> Workstream:
    workstream._history_user = user  # noqa: SLF001 - simple-history's hook
    workstream.full_clean()
    workstream.row_version += 1  # the API's ETag (ADR 40)
    workstream.save(update_fields=[*OVERRIDE_FIELDS, "row_version"])
    return workstream


def workstream_on_track_check(
    *,
    workstream: Workstream,
    user,
    judgement: str,
    reason: str,
    today: dt.date | None = None,
):
    """What `workstream_on_track_set` would save (the rule's verdict and the
    workplan it judged), or the ValidationError it would raise; saves nothing."""
    on_track, workplan = on_track_judgement(
        user=user, workstream=workstream, today=today
    )
    if workplan is None:
        raise ValidationError(
            "This workstream has no current workplan, so there is nothing to judge "
            "yet: add a workplan first."
        )
    reason = (reason or "").strip()
    errors: dict[str, str] = {}
    computed = on_track.computed.judgement
    if judgement not in Judgement.values:
        errors["judgement"] = "Select a judgement from the list"
    elif judgement == computed:
        errors["judgement"] = (
            f"The rule already judges this workstream “{computed.label}”: choose "
            "a different judgement, or leave it to the rule."
        )
    if not reason:
        errors["reason"] = "Give the reason for overriding the rule"
    elif len(reason) > REASON_MAX:
        errors["reason"] = f"The reason must be {REASON_MAX} characters or fewer"
    if errors:
        raise ValidationError(errors)
    return computed, workplan, reason


@transaction.atomic
def workstream_on_track_set(
    *,
    workstream: Workstream,
    user,
    judgement: str,
    reason: str,
    today: dt.date | None = None,
) -> Workstream:
    """Override the rule's judgement of ``workstream``'s current workplan (the
    one ``user`` sees) with ``judgement``, saying why in ``reason``.

    Refused (PermissionDenied) unless ``user`` chairs the workstream, is a
    deputy or an officer. Refused (ValidationError naming the field) without a
    current workplan, a judgement from the list, one different from the rule's,
    or a reason. Replaces any earlier override."""
    _check_permission(user, workstream)
    workstream = row_lock(workstream)
    computed, workplan, reason = workstream_on_track_check(
        workstream=workstream,
        user=user,
        judgement=judgement,
        reason=reason,
        today=today,
    )
    workstream.on_track_override = judgement
    workstream.on_track_reason = reason
    workstream.on_track_rule_said = computed
    workstream.on_track_workplan = workplan
    workstream.on_track_set_by = user
    workstream.on_track_set_at = timezone.now()
    return _save(workstream, user)


@transaction.atomic
def workstream_on_track_clear(*, workstream: Workstream, user) -> Workstream:
    """Remove the override, so the rule's judgement shows again (same people
    as `workstream_on_track_set`); nothing is written if there is none."""
    _check_permission(user, workstream)
    workstream = row_lock(workstream)
    if not workstream.on_track_override:
        return workstream
    workstream.on_track_override = ""
    workstream.on_track_reason = ""
    workstream.on_track_rule_said = ""
    workstream.on_track_workplan = None
    workstream.on_track_set_by = None
    workstream.on_track_set_at = None
    return _save(workstream, user)
