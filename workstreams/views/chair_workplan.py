"""Managing a workstream's current workplan: the order of its priorities ("Move
up" / "Move down", each a form of its own, so it works without JavaScript) and
its status (draft → consultation → signed off, and back to draft).

Chairs of the workstream and officers, per `rules.can_edit_workstream`, on GET
and POST alike. Saved only through `services.workplan_priorities_reorder` and
`services.workplan_status_change`, whose rule decides which moves are allowed;
a status change based on an out-of-date page is refused, nothing overwritten.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render

from marmot.services import StaleRowVersion
from marmot.site.access import require
from workstreams import rules, services
from workstreams.forms.common import add_service_errors
from workstreams.forms.workplans import PriorityMoveForm, WorkplanStatusForm
from workstreams.models import Workplan
from workstreams.page_selectors.chair import (
    current_workplan,
    workplan_manage_page,
    workstream_get,
)

WORKPLAN_CONFLICT = (
    "Someone else changed this workplan since you opened it. It is shown below "
    "as it is now; make your change again."
)


def workplan_manage(request, slug: str):
    workstream = workstream_get(slug)
    user = request.user
    if denied := require(request, rules.can_edit_workstream(user, workstream.pk)):
        return denied
    workplan = current_workplan(workstream)
    if workplan is None:
        return render(
            request,
            "workstreams/chair/no_workplan.html",
            {"workstream": workstream, "managing": True},
        )
    page = workplan_manage_page(user=user, workplan=workplan)
    status_form = WorkplanStatusForm(
        moves=page.moves, initial={"row_version": workplan.row_version}
    )
    shown = status_form  # the form whose errors the error summary lists
    if request.method == "POST" and request.POST.get("form") == "move":
        shown = PriorityMoveForm(request.POST)
        if shown.is_valid() and _move(request, shown, page):
            return redirect("workplan-manage", slug=slug)
    elif request.method == "POST":
        shown = status_form = WorkplanStatusForm(request.POST, moves=page.moves)
        if status_form.is_valid():
            data = status_form.cleaned_data
            try:
                saved = services.workplan_status_change(
                    workplan=workplan,
                    status=data["status"],
                    user=user,
                    signed_off_on=data["signed_off_on"],
                    signed_off_at=data["signed_off_at"],
                    expected_row_version=data["row_version"] or 0,
                )
            except StaleRowVersion:
                page = workplan_manage_page(
                    user=user, workplan=Workplan.objects.get(pk=workplan.pk)
                )
                shown = status_form = _conflict_form(page)
            except ValidationError as error:
                add_service_errors(status_form, error)
            else:
                words = saved.get_status_display().lower()
                messages.success(
                    request, f"Workplan {saved.year_label} is now {words}."
                )
                return redirect("workplan-manage", slug=slug)
    return render(
        request,
        "workstreams/chair/workplan_manage.html",
        {"page": page, "form": shown, "status_form": status_form},
    )


def _conflict_form(page) -> WorkplanStatusForm:
    """A status form at the workplan's current version, saying why."""
    form = WorkplanStatusForm(
        {"row_version": str(page.workplan.row_version)}, moves=page.moves
    )
    form.is_valid()
    form.errors.clear()
    form.add_error(None, WORKPLAN_CONFLICT)
    return form


def _move(request, form: PriorityMoveForm, page) -> bool:
    """Swap a priority with its neighbour; True (with a message) if saved."""
    order = [priority.pk for priority in page.priorities]
    titles = {priority.pk: priority.title for priority in page.priorities}
    pk, up = form.cleaned_data["priority"], form.cleaned_data["direction"] == "up"
    if pk not in order:
        form.add_error(
            None, "That priority is no longer in this workplan: the list is up to date."
        )
        return False
    here = order.index(pk)
    there = here - 1 if up else here + 1
    if not 0 <= there < len(order):
        where = "first" if up else "last"
        form.add_error(None, f"“{titles[pk]}” is already {where}.")
        return False
    order[here], order[there] = order[there], order[here]
    try:
        services.workplan_priorities_reorder(workplan=page.workplan, priority_ids=order)
    except ValidationError as error:
        add_service_errors(form, error)
        return False
    messages.success(
        request,
        f"Moved “{titles[pk]}” {'up' if up else 'down'} to number {there + 1}.",
    )
    return True
