"""A workplan's priorities on the site (issue 17): their order, adding,
renaming and removing one, and which priority each action is under.

Chairs and deputies of the workstream and officers, per
`rules.can_edit_workstream`, on GET and POST alike. The order is one form
that sets every priority's position at once (it works without JavaScript;
static/js/priorities.js adds "Move up" / "Move down" buttons that reorder the
rows in the page, so it is saved once). Saved only through the services; a
save based on an out-of-date page is refused and the page shown as it is now.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse

from marmot.services import StaleRowVersion
from marmot.site.access import require
from marmot.site.once import once_per_form_token
from marmot.whole_numbers import whole_number
from workstreams import rules, services
from workstreams.forms.common import add_service_errors
from workstreams.forms.priorities import (
    NO_PRIORITY,
    PriorityForm,
    RemoveForm,
    assign_form,
    order_form,
    order_from,
)
from workstreams.models import Workplan
from workstreams.page_selectors.chair import current_workplan, workstream_get
from workstreams.page_selectors.priorities import (
    assign_page,
    priorities_counted,
    priority_get,
)
from workstreams.services.workplans import (
    AssignmentConflict,
    AssignmentErrors,
    PriorityAssignment,
)

ORDER_CONFLICT = (
    "Someone else changed this workplan's priorities since you opened the "
    "page. They are shown below as they are now; set the order again."
)
PRIORITY_CONFLICT = (
    "Someone else changed this workplan's priorities since you opened the "
    "page. This priority is shown below as it is now; make your change again."
)
ASSIGN_CONFLICT = (
    "“{title}” was changed by someone else since you opened this page: its "
    "priority is shown as it is now. Choose again if you need to, and save."
)


def _editable_workplan(request, slug: str):
    """(workplan, None) for the workstream's current workplan, or (None, the
    response: a refusal, or the page saying it has none)."""
    workstream = workstream_get(slug)
    if denied := require(
        request, rules.can_edit_workstream(request.user, workstream.pk)
    ):
        return None, denied
    workplan = current_workplan(workstream)
    if workplan is None:
        return None, render(
            request,
            "workstreams/chair/no_workplan.html",
            {"workstream": workstream, "managing": True},
        )
    return workplan, None


def _editable_priority(request, pk: int):
    priority = priority_get(pk)
    workplan = priority.workplan
    if denied := require(
        request, rules.can_edit_workstream(request.user, workplan.workstream_id)
    ):
        return priority, denied
    if not rules.workplan_open(workplan):
        messages.error(
            request,
            f"The {workplan.year_label} workplan is closed: its record is final, "
            "so its priorities no longer change.",
        )
        return priority, redirect("workstream-detail", slug=workplan.workstream.slug)
    return priority, None


def workplan_priorities(request, slug: str):
    """The priorities in order, each with its actions counted and links to
    rename or remove it; the order form (a position for each)."""
    workplan, denied = _editable_workplan(request, slug)
    if denied:
        return denied
    priorities = priorities_counted(workplan)
    posted = request.method == "POST"
    form = order_form(
        priorities,
        request.POST if posted else None,
        row_version=workplan.row_version,
    )
    sent = whole_number(request.POST.get("row_version")) if posted else None
    if sent is not None and sent != workplan.row_version:
        # From a page opened before someone else's change (maybe to the
        # priorities themselves): the list as it is now, nothing saved.
        form = _order_again(workplan, priorities)
    elif posted and form.is_valid():
        version = form.cleaned_data["row_version"]
        try:
            services.workplan_priorities_reorder(
                workplan=workplan,
                priority_ids=order_from(form, priorities),
                expected_row_version=version,
            )
        except StaleRowVersion:
            workplan = Workplan.objects.get(pk=workplan.pk)
            priorities = priorities_counted(workplan)
            form = _order_again(workplan, priorities)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "The order of the priorities is saved.")
            return redirect("workplan-priorities", slug=slug)
    rows = [(priority, form[f"position_{priority.pk}"]) for priority in priorities]
    return render(
        request,
        "workstreams/chair/priorities.html",
        {
            "workstream": workplan.workstream,
            "workplan": workplan,
            "rows": rows,
            "form": form,
        },
    )


def _order_again(workplan, priorities):
    """The order form as the priorities are now, saying why nothing was saved."""
    data = {"row_version": str(workplan.row_version)}
    for position, priority in enumerate(priorities, start=1):
        data[f"position_{priority.pk}"] = str(position)
    form = order_form(priorities, data)
    form.is_valid()
    form.add_error(None, ORDER_CONFLICT)
    return form


@once_per_form_token
def workplan_priority_create(request, slug: str):
    workplan, denied = _editable_workplan(request, slug)
    if denied:
        return denied
    posted = request.method == "POST"
    form = PriorityForm(request.POST if posted else None)
    if posted and form.is_valid():
        try:
            priority = services.workplan_priority_create(
                workplan=workplan,
                title=form.cleaned_data["title"],
                description=form.cleaned_data["description"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"Priority added: {priority.title}")
            return redirect("workplan-priorities", slug=slug)
    return render(
        request,
        "workstreams/chair/priority_form.html",
        {
            "workstream": workplan.workstream,
            "workplan": workplan,
            "priority": None,
            "form": form,
        },
    )


def workplan_priority_edit(request, pk: int):
    """Rename a priority, or change its description."""
    priority, denied = _editable_priority(request, pk)
    if denied:
        return denied
    workplan = priority.workplan
    slug = workplan.workstream.slug
    if request.method != "POST":
        form = PriorityForm(initial=_priority_values(priority))
    else:
        form = PriorityForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.workplan_priority_update(
                    priority=priority,
                    expected_row_version=data["row_version"],
                    title=data["title"],
                    description=data["description"],
                )
            except StaleRowVersion:
                priority = priority_get(pk)
                form = PriorityForm(_priority_values(priority))
                form.is_valid()
                form.add_error(None, PRIORITY_CONFLICT)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, f"Priority saved: {data['title']}")
                return redirect("workplan-priorities", slug=slug)
    return render(
        request,
        "workstreams/chair/priority_form.html",
        {
            "workstream": workplan.workstream,
            "workplan": workplan,
            "priority": priority,
            "form": form,
        },
    )


def workplan_priority_remove(request, pk: int):
    """Remove a priority no action is under: a page that asks, and its button;
    one with actions says how many and where to move them."""
    priority, denied = _editable_priority(request, pk)
    if denied:
        return denied
    workplan = priority.workplan
    slug = workplan.workstream.slug
    if request.method == "POST":
        try:
            services.workplan_priority_delete(priority=priority)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("workplan-priority-remove", pk=pk)
        messages.success(request, f"Priority removed: {priority.title}")
        return redirect("workplan-priorities", slug=slug)
    actions = list(
        priority.actions.filter(archived_at__isnull=True).order_by("title")[:11]
    )
    in_use = priority.actions.count()
    return render(
        request,
        "workstreams/chair/priority_remove.html",
        {
            "workstream": workplan.workstream,
            "workplan": workplan,
            "priority": priority,
            "in_use": in_use,
            "actions": actions[:10],
            "form": RemoveForm(initial={"row_version": workplan.row_version}),
            "assign_url": reverse("workplan-assign", args=[slug])
            if workplan.pk == getattr(current_workplan(workplan.workstream), "pk", None)
            else None,
        },
    )


def workplan_assign(request, slug: str):
    """Which priority each action of the current workplan is under: a select
    per action, saved at once (all or nothing)."""
    workplan, denied = _editable_workplan(request, slug)
    if denied:
        return denied
    page = assign_page(workplan)
    posted = request.method == "POST"
    form = assign_form(page.actions, page.priorities, request.POST if posted else None)
    if posted and form.is_valid():
        data = form.cleaned_data
        assignments = [
            PriorityAssignment(
                action_id=action.pk,
                priority_id=int(data[f"priority_{action.pk}"])
                if data[f"priority_{action.pk}"] != NO_PRIORITY
                else None,
                expected_row_version=data[f"row_version_{action.pk}"],
            )
            for action in page.actions
            # An action added since the page was opened keeps its priority.
            if f"priority_{action.pk}" in request.POST
        ]
        try:
            moved = services.workplan_actions_prioritise(
                workplan=workplan, assignments=assignments, user=request.user
            )
        except AssignmentConflict as conflict:
            page, form = _assign_again(request, workplan, conflict.action_ids)
        except AssignmentErrors as error:
            for pk, message in error.rows.items():
                name = f"priority_{pk}"
                form.add_error(name if name in form.fields else None, message)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if moved:
                messages.success(
                    request,
                    f"Saved: {moved} action{'s' if moved != 1 else ''} moved to "
                    "another priority.",
                )
            else:
                messages.info(
                    request,
                    "Nothing changed: every action was already under the "
                    "priority chosen.",
                )
            return redirect("workplan-assign", slug=slug)
    rows = [(action, form[f"priority_{action.pk}"]) for action in page.actions]
    return render(
        request,
        "workstreams/chair/priorities_assign.html",
        {"page": page, "rows": rows, "form": form},
    )


def _assign_again(request, workplan, stale_ids):
    """The form as posted, but with the actions changed meanwhile as they are
    now (their priority and row version), each with an error saying so."""
    page = assign_page(workplan)
    data = request.POST.copy()
    for action in page.actions:
        if action.pk in stale_ids:
            data[f"priority_{action.pk}"] = str(action.priority_id or NO_PRIORITY)
            data[f"row_version_{action.pk}"] = str(action.row_version)
    form = assign_form(page.actions, page.priorities, data)
    form.is_valid()
    for action in page.actions:
        if action.pk in stale_ids:
            form.add_error(
                f"priority_{action.pk}", ASSIGN_CONFLICT.format(title=action.title)
            )
    return page, form


def _priority_values(priority) -> dict:
    """The priority form's values for ``priority`` as it is now."""
    return {
        "title": priority.title,
        "description": priority.description,
        "row_version": priority.workplan.row_version,
    }
