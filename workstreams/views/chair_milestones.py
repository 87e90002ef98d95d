"""An action's milestones and its % complete, for those who may edit the
action (`rules.can_edit_action`: the workstream's chairs and officers).

Saved only through `workstreams.services.milestones`; an archived action, or
one of a closed workplan, changes no more (back to its page, saying why).
Each page is refused on GET and POST alike to anyone else.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from marmot.site.access import require
from marmot.site.once import once_per_form_token
from workstreams import rules
from workstreams.forms.common import add_service_errors
from workstreams.forms.milestones import (
    MilestoneCreateForm,
    MilestoneForm,
    PercentCompleteForm,
)
from workstreams.models import Milestone
from workstreams.page_selectors.chair import action_get
from workstreams.services import milestones as services
from workstreams.views.chair_actions import closed_message

FORM = "workstreams/chair/milestone_form.html"


def _milestone_get(pk: int) -> Milestone:
    return get_object_or_404(
        Milestone.objects.select_related("action__workplan__workstream"), pk=pk
    )


def _back(action):
    return redirect(reverse("action-detail", args=[action.pk]) + "#milestones")


def _refused(request, action):
    """``None`` when the user may change the action's milestones now; else
    the refusal, or (closed or archived) back to the action, saying why."""
    if denied := require(request, rules.can_edit_action(request.user, action)):
        return denied
    if not rules.action_open(action):
        messages.error(request, closed_message(action))
        return _back(action)
    return None


def _context(action, form, milestone=None) -> dict:
    return {
        "workstream": action.workplan.workstream,
        "action": action,
        "milestone": milestone,
        "form": form,
    }


@once_per_form_token
def milestone_create(request, pk: int):
    action = action_get(pk)
    if refused := _refused(request, action):
        return refused
    posted = request.method == "POST"
    form = MilestoneCreateForm(request.POST if posted else None)
    if posted and form.is_valid():
        try:
            milestone = services.milestone_create(action=action, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"Milestone added: {milestone.title}")
            return _back(action)
    return render(request, FORM, _context(action, form))


def milestone_edit(request, pk: int):
    milestone = _milestone_get(pk)
    action = milestone.action
    if refused := _refused(request, action):
        return refused
    if request.method != "POST":
        form = MilestoneForm(initial=MilestoneForm.initial_for(milestone), editing=True)
        return render(request, FORM, _context(action, form, milestone))
    form = MilestoneForm(request.POST, editing=True)
    if form.is_valid():
        try:
            services.milestone_update(milestone=milestone, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"Milestone saved: {form.cleaned_data['title']}")
            return _back(action)
    return render(request, FORM, _context(action, form, milestone))


@require_POST
def milestone_done(request, pk: int):
    """The action page's "Mark as done" / "Mark as not done" buttons
    (``done`` is ``yes`` or ``no``); done today."""
    milestone = _milestone_get(pk)
    action = milestone.action
    if refused := _refused(request, action):
        return refused
    if request.POST.get("done") == "yes":
        services.milestone_mark_done(milestone=milestone, done_on=timezone.localdate())
        messages.success(request, f"Milestone done: {milestone.title}")
    else:
        services.milestone_mark_undone(milestone=milestone)
        messages.success(request, f"Milestone marked as not done: {milestone.title}")
    return _back(action)


def milestone_delete(request, pk: int):
    """A page that asks, and its button."""
    milestone = _milestone_get(pk)
    action = milestone.action
    if refused := _refused(request, action):
        return refused
    if request.method == "POST":
        services.milestone_delete(milestone=milestone)
        messages.success(request, f"Milestone removed: {milestone.title}")
        return _back(action)
    return render(
        request,
        "workstreams/chair/milestone_delete.html",
        _context(action, None, milestone),
    )


def action_percent_complete(request, pk: int):
    """Set % complete by hand, or clear it to work it out from milestones."""
    action = action_get(pk)
    if refused := _refused(request, action):
        return refused
    posted = request.method == "POST"
    form = PercentCompleteForm(
        request.POST if posted else None,
        initial={"percent_complete": action.percent_complete},
    )
    if posted and form.is_valid():
        value = form.cleaned_data["percent_complete"]
        try:
            services.action_percent_complete_set(action=action, percent_complete=value)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                f"% complete set by hand to {value}%"
                if value is not None
                else "% complete cleared: it is worked out from the milestones",
            )
            return _back(action)
    return render(
        request,
        "workstreams/chair/percent_complete_form.html",
        _context(action, form),
    )


urlpatterns = [
    path("actions/<int:pk>/milestones/new/", milestone_create, name="milestone-create"),
    path(
        "actions/<int:pk>/percent-complete/",
        action_percent_complete,
        name="action-percent-complete",
    ),
    path("milestones/<int:pk>/edit/", milestone_edit, name="milestone-edit"),
    path("milestones/<int:pk>/done/", milestone_done, name="milestone-done"),
    path("milestones/<int:pk>/remove/", milestone_delete, name="milestone-delete"),
]
