"""Managing a workstream's current workplan: its priorities in order (changed
on the priorities pages, `workstreams.views.chair_priorities`), links to
assign actions to them and to start next year's workplan, and its status
(draft → consultation → signed off, and back to draft). Signing off a
workplan whose year has ended asks for confirmation. Once next year's plan is
started, the earlier one (still open) is managed at ``?workplan=<id>`` so the
chair can close it; any other ``workplan`` value is a 404.

Chairs of the workstream and officers, per `rules.can_edit_workstream`, on GET
and POST alike. Saved only through `services.workplan_status_change`, whose
rule decides which moves are allowed; a status change based on an out-of-date
page is refused, nothing overwritten.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render

from marmot.services import StaleRowVersion
from marmot.site.access import require
from workstreams import rules, services
from workstreams.forms.common import add_service_errors
from workstreams.forms.workplans import WorkplanStatusForm
from workstreams.models import Workplan
from workstreams.page_selectors.chair import (
    open_workplans,
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
    open_plans = open_workplans(workstream)
    if not open_plans:
        return render(
            request,
            "workstreams/chair/no_workplan.html",
            {"workstream": workstream, "managing": True},
        )
    workplan = _chosen(request, open_plans)
    page = workplan_manage_page(user=user, workplan=workplan, open_plans=open_plans)
    status_form = WorkplanStatusForm(
        moves=page.moves,
        workplan=workplan,
        initial={"row_version": workplan.row_version},
    )
    if request.method == "POST":
        status_form = WorkplanStatusForm(
            request.POST, moves=page.moves, workplan=workplan
        )
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
                    user=user,
                    workplan=Workplan.objects.get(pk=workplan.pk),
                    open_plans=open_plans,
                )
                status_form = _conflict_form(page)
            except ValidationError as error:
                add_service_errors(status_form, error)
            else:
                words = saved.get_status_display().lower()
                messages.success(
                    request, f"Workplan {saved.year_label} is now {words}."
                )
                response = redirect("workplan-manage", slug=slug)
                if not page.is_current and saved.status != Workplan.Status.CLOSED:
                    response["Location"] += f"?workplan={saved.pk}"
                return response
    return render(
        request,
        "workstreams/chair/workplan_manage.html",
        {"page": page, "form": status_form, "status_form": status_form},
    )


def _chosen(request, open_plans: list[Workplan]) -> Workplan:
    """The open workplan ``?workplan=<id>`` names (404 for any other value),
    else the current one."""
    chosen = request.GET.get("workplan")
    if chosen is None:
        return open_plans[0]
    for workplan in open_plans:
        if str(workplan.pk) == chosen:
            return workplan
    raise Http404("No open workplan of this workstream has that id.")


def _conflict_form(page) -> WorkplanStatusForm:
    """A status form at the workplan's current version, saying why."""
    form = WorkplanStatusForm(
        {"row_version": str(page.workplan.row_version)},
        moves=page.moves,
        workplan=page.workplan,
    )
    form.is_valid()
    form.errors.clear()
    form.add_error(None, WORKPLAN_CONFLICT)
    return form
