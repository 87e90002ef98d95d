"""Services for actions in workplans and their append-only progress updates."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from indicators.models import MarmotPrinciple
from marmot.services import (
    m2m_set,
    record_upsert,
    row_lock,
    row_version_bump,
    row_version_claim,
)
from workstreams.models import (
    Action,
    LogicModelItem,
    Organisation,
    ProgressUpdate,
    Recommendation,
    Submission,
    Workplan,
    WorkplanPriority,
)
from workstreams.services.evidence import (
    evidence_files_check,
    evidence_files_store,
)
from workstreams.services.workplan_status import (
    PublishedRecordError,
    action_open_check,
    record_open_check,
)


def _check_activities(workplan: Workplan, activities: list[LogicModelItem]) -> None:
    for item in activities:
        if item.kind != LogicModelItem.Kind.ACTIVITY:
            problem = f"is an {item.kind}: actions link only to activities"
        elif item.logic_model.workstream_id != workplan.workstream_id:
            problem = "is an activity of another workstream's logic model"
        else:
            continue
        raise ValidationError({"activities": f'"{item.text[:60]}" {problem}.'})


def _action_save(
    *, lookup: Mapping[str, Any], workplan: Workplan, values: Mapping[str, Any], links
) -> Action:
    completed = values["status"] == Action.Status.COMPLETED
    if completed and values["completed_on"] is None:
        raise ValidationError(
            {"completed_on": "A completed action needs the date it was completed."}
        )
    if not completed and values["completed_on"] is not None:
        raise ValidationError(
            {"completed_on": "Only a completed action has a completion date."}
        )
    activities, recommendations, principles = links
    if activities is not None:
        activities = list(activities)
        _check_activities(workplan, activities)
    action, saved = record_upsert(model=Action, lookup=lookup, values=values)
    links_changed = [
        m2m_set(action.activities, activities),
        m2m_set(action.recommendations, recommendations),
        m2m_set(action.principles, principles),
    ]
    if any(links_changed) and not saved:
        row_version_bump(instance=action)
    return action


@transaction.atomic
def action_upsert(
    *,
    workplan: Workplan,
    title: str,
    description: str = "",
    priority: WorkplanPriority | None = None,
    lead_organisation: Organisation | None = None,
    lead_person: str = "",
    status: str = Action.Status.PLANNED,
    rag: str = "",
    is_next_step: bool = False,
    start_date: dt.date | None = None,
    due_date: dt.date | None = None,
    completed_on: dt.date | None = None,
    source: str = Action.Source.WORKPLAN,
    activities: Iterable[LogicModelItem] | None = None,
    recommendations: Iterable[Recommendation] | None = None,
    principles: Iterable[MarmotPrinciple] | None = None,
    lead_user=None,
) -> Action:
    """Create or update an action, keyed by its workplan and title.

    A completed action needs ``completed_on`` and no other status may have one;
    the priority must be one of the workplan's; activities must be activity
    items of this workstream's logic models. Links given as None are left alone,
    and so is the lead user (the account reminders go to) unless one is given;
    progress updates are never touched.
    """
    values = {
        "description": description,
        "priority": priority,
        "lead_organisation": lead_organisation,
        "lead_person": lead_person,
        "status": status,
        "rag": rag,
        "is_next_step": is_next_step,
        "start_date": start_date,
        "due_date": due_date,
        "completed_on": completed_on,
        "source": source,
    }
    if lead_user is not None:
        values["lead_user"] = lead_user
    return _action_save(
        lookup={"workplan": workplan, "title": title},
        workplan=workplan,
        values=values,
        links=(activities, recommendations, principles),
    )


ACTION_UPDATE_FIELDS = (
    "title",
    "description",
    "priority",
    "lead_organisation",
    "lead_person",
    "lead_user",
    "status",
    "rag",
    "is_next_step",
    "start_date",
    "due_date",
    "completed_on",
)


@transaction.atomic
def action_update(
    *,
    action: Action,
    activities: Iterable[LogicModelItem] | None = None,
    recommendations: Iterable[Recommendation] | None = None,
    principles: Iterable[MarmotPrinciple] | None = None,
    expected_row_version: int | None = None,
    **changes: Any,
) -> Action:
    """Change some of an action's fields (``ACTION_UPDATE_FIELDS``) and links.

    Same rules as :func:`action_upsert`. Moving an action out of "completed"
    clears ``completed_on``; record progress with :func:`progress_update_create`.
    With ``expected_row_version`` a concurrent change raises StaleRowVersion.
    An archived action, or one of a closed workplan, is not changed
    (``PublishedRecordError``, ADR 22).
    """
    row_version_claim(model=Action, pk=action.pk, expected=expected_row_version)
    action = row_lock(action)
    action_open_check(action, "change it")
    unknown = set(changes) - set(ACTION_UPDATE_FIELDS)
    if unknown:
        raise TypeError(f"action_update() cannot change {', '.join(sorted(unknown))}")
    values = {name: getattr(action, name) for name in ACTION_UPDATE_FIELDS}
    values.update(changes)
    if values["status"] != Action.Status.COMPLETED and "completed_on" not in changes:
        values["completed_on"] = None
    return _action_save(
        lookup={"pk": action.pk},
        workplan=action.workplan,
        values=values,
        links=(activities, recommendations, principles),
    )


@transaction.atomic
def progress_update_create(
    *,
    action: Action,
    reported_on: dt.date,
    text: str,
    status: str,
    rag: str = "",
    author=None,
    clear_rag: bool = False,
    evidence_link: str = "",
    evidence_files: Sequence = (),
) -> ProgressUpdate:
    """Append a progress update and move the action to its status and RAG.

    A blank RAG leaves the action's RAG as it was; ``clear_rag`` clears it
    (the update records that it was cleared). ``reported_on`` may be in the
    past, never after today. Completing sets ``completed_on`` to the report
    date (an already-completed action keeps its date); any other status clears
    it. ``evidence_files`` (uploaded files) are checked by content and stored
    in the ``evidence`` storage (`workstreams.services.evidence`, ADR 35); if
    anything fails, nothing is kept, files included. An archived action, or
    one of a closed workplan, takes no more updates (``PublishedRecordError``,
    ADR 22).
    """
    if clear_rag and rag:
        raise ValidationError(
            {"rag": "Choose a rating or clearing the rating, not both."}
        )
    locked = row_lock(action)
    action_open_check(locked, "add a progress update")
    checked = evidence_files_check(evidence_files)
    update = ProgressUpdate(
        action=locked,
        reported_on=reported_on,
        text=text,
        status=status,
        rag=rag,
        rag_cleared=clear_rag,
        evidence_link=evidence_link,
        author=author,
    )
    update.full_clean()
    update.save()
    completed_on = None
    if status == Action.Status.COMPLETED:
        already = locked.status == Action.Status.COMPLETED and locked.completed_on
        completed_on = locked.completed_on if already else reported_on
    record_upsert(
        model=Action,
        lookup={"pk": action.pk},
        values={
            "status": status,
            "rag": "" if clear_rag else (rag or locked.rag),
            "completed_on": completed_on,
        },
    )
    evidence_files_store(update=update, files=checked)
    action.refresh_from_db()
    update.action = action
    return update


@transaction.atomic
def action_create(*, workplan: Workplan, title: str, **fields: Any) -> Action:
    """Add a new action to a workplan (same rules as :func:`action_upsert`).

    Unlike the upsert, a title the workplan already has is an error; a closed
    workplan takes no new action (``PublishedRecordError``, ADR 22).
    """
    record_open_check(row_lock(workplan), "add an action")
    if Action.objects.filter(workplan=workplan, title=title).exists():
        raise ValidationError({"title": "This workplan already has that action."})
    return action_upsert(workplan=workplan, title=title, **fields)


@transaction.atomic
def action_delete(*, action: Action) -> None:
    """Remove an action added by mistake.

    Refused (``PublishedRecordError``, nothing deleted) for an action with a
    public record: progress updates, or a partner's accepted submission behind
    it; archive it instead (:func:`action_archive`, ADR 22). Refused too on an
    archived action and in a closed workplan.
    """
    action = row_lock(action)
    action_open_check(action, "delete it")
    updates = action.progress_updates.count()
    submission = Submission.objects.filter(action_id=action.pk).exists()
    if updates or submission:
        held = []
        if updates:
            held.append(f"{updates} progress update{'s' if updates != 1 else ''}")
        if submission:
            held.append("the partner submission it was accepted from")
        raise PublishedRecordError(
            f"“{action.title}” cannot be deleted: it has a public record "
            f"({' and '.join(held)}). Archive it instead; its record is kept."
        )
    action.delete()


@transaction.atomic
def action_archive(*, action: Action) -> Action:
    """Archive an action: it leaves the workstream's lists and counts
    (``rules.visible_actions``) but keeps its page, its progress updates and
    its history (ADR 22). Refused (``PublishedRecordError``) if it is already
    archived or its workplan is closed."""
    action = row_lock(action)
    action_open_check(action, "archive it")
    saved, _ = record_upsert(
        model=Action, lookup={"pk": action.pk}, values={"archived_at": timezone.now()}
    )
    return saved
