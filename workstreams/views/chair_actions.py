"""Adding and editing an action (chairs of its workstream and officers).

Saved only through `services.action_create` / `services.action_update`; their
ValidationErrors become form errors. The edit form carries the action's
``row_version``: if someone else saved in between, the page shows their values
with a conflict message and overwrites nothing.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render

from marmot.services import StaleRowVersion
from marmot.site.access import require
from marmot.site.once import once_per_form_token
from workstreams import rules, services
from workstreams.forms.actions import CONFLICT, ActionForm
from workstreams.forms.common import add_service_errors
from workstreams.models import Action
from workstreams.page_selectors.chair import (
    action_form_choices,
    action_get,
    action_with_links,
    current_workplan,
    workstream_get,
)

TEMPLATE = "workstreams/chair/action_form.html"


@once_per_form_token
def action_create(request, slug: str):
    """Add an action to the workstream's current workplan (the latest one not
    closed); without one, the page explains instead of showing a form."""
    workstream = workstream_get(slug)
    if denied := require(
        request, rules.can_edit_workstream(request.user, workstream.pk)
    ):
        return denied
    workplan = current_workplan(workstream)
    context = {"workstream": workstream, "workplan": workplan, "action": None}
    if workplan is None:
        return render(request, "workstreams/chair/no_workplan.html", context)
    data = request.POST if request.method == "POST" else None
    form = ActionForm(
        data,
        initial={"status": Action.Status.PLANNED},
        choices=action_form_choices(workplan=workplan),
    )
    if data is not None and form.is_valid():
        try:
            action = services.action_create(workplan=workplan, **form.service_values())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"Action added: {action.title}")
            return redirect("action-detail", pk=action.pk)
    return render(request, TEMPLATE, {**context, "form": form})


def action_edit(request, pk: int):
    """Edit an action; a save based on an out-of-date copy is refused (the
    conflict message, with the current values shown)."""
    posted = request.method == "POST"
    action = action_get(pk) if posted else action_with_links(pk)
    if denied := require(request, rules.can_edit_action(request.user, action)):
        return denied
    if not rules.action_open(action):
        return _closed(request, action)
    choices = action_form_choices(workplan=action.workplan, action=action)
    if not posted:
        form = ActionForm(initial=ActionForm.initial_for(action), choices=choices)
        return render(request, TEMPLATE, _context(action, form))
    form = ActionForm(request.POST, choices=choices)
    if form.is_valid():
        try:
            services.action_update(
                action=action,
                expected_row_version=form.cleaned_data["row_version"] or 0,
                **form.service_values(),
            )
        except StaleRowVersion:
            action = action_with_links(pk)
            form = ActionForm(ActionForm.data_for(action), choices=choices)
            form.is_valid()
            form.add_error(None, CONFLICT)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"Action saved: {form.cleaned_data['title']}")
            return redirect("action-detail", pk=pk)
    return render(request, TEMPLATE, _context(action, form))


def action_archive(request, pk: int):
    """Archive an action (ADR 22): a page that says what archiving does, and
    its button. The action leaves the workstream's lists and counts; its page,
    progress updates and history stay."""
    action = action_get(pk)
    if denied := require(request, rules.can_edit_action(request.user, action)):
        return denied
    if not rules.action_open(action):
        return _closed(request, action)
    if request.method == "POST":
        try:
            services.action_archive(action=action)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, f"Action archived: {action.title}")
        return redirect("action-detail", pk=pk)
    return render(
        request,
        "workstreams/chair/action_archive.html",
        {"workstream": action.workplan.workstream, "action": action},
    )


def closed_message(action) -> str:
    """Why an action no longer changes (ADR 22), for the page it returns to."""
    if action.archived_at is not None:
        return (
            f"“{action.title}” is archived: its record is kept as it was and "
            "it can no longer be changed."
        )
    return (
        f"The {action.workplan.year_label} workplan is closed: its record is "
        f"final, so “{action.title}” can no longer be changed."
    )


def _closed(request, action):
    """Nothing is saved; back to the action's page, saying why."""
    messages.error(request, closed_message(action))
    return redirect("action-detail", pk=action.pk)


def _context(action, form) -> dict:
    return {
        "workstream": action.workplan.workstream,
        "workplan": action.workplan,
        "action": action,
        "form": form,
    }
