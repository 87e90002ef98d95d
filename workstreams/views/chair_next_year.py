"""Starting next year's workplan from a workplan (issue 17): the chair chooses
which unfinished actions and which priorities carry forward (all ticked at
first) and the new year's label and dates (a year on); one service,
`services.workplan_carry_forward`, makes the new draft workplan.

Chairs and deputies of the workstream and officers (`rules.can_edit_workstream`),
on GET and POST alike. When the workstream already has next year's workplan the
page says so and links to it instead of showing the form.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render

from marmot.site.access import require
from marmot.site.once import once_per_form_token
from workstreams import rules, services
from workstreams.forms.common import add_service_errors
from workstreams.forms.priorities import CarryForwardForm
from workstreams.page_selectors.priorities import next_year_page, workplan_get

TEMPLATE = "workstreams/chair/next_year.html"


@once_per_form_token
def workplan_next_year(request, pk: int):
    workplan = workplan_get(pk)
    if denied := require(
        request, rules.can_edit_workstream(request.user, workplan.workstream_id)
    ):
        return denied
    page = next_year_page(workplan)
    context = {"page": page, "workstream": page.workstream}
    if page.existing is not None:
        return render(request, TEMPLATE, context)
    posted = request.method == "POST"
    form = CarryForwardForm(
        request.POST if posted else None,
        initial=page.initial,
        actions=page.actions,
        priorities=page.priorities,
    )
    if posted and form.is_valid():
        data = form.cleaned_data
        try:
            new = services.workplan_carry_forward(
                workplan=workplan,
                year_label=data["year_label"],
                starts_on=data["starts_on"],
                ends_on=data["ends_on"],
                action_ids=data["actions"],
                priority_ids=data["priorities"],
                user=request.user,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            count = len(data["actions"])
            messages.success(
                request,
                f"The {new.year_label} workplan is started as a draft, with "
                f"{count} action{'s' if count != 1 else ''} and "
                f"{len(data['priorities'])} "
                f"priorit{'ies' if len(data['priorities']) != 1 else 'y'} carried "
                f"forward from {workplan.year_label}.",
            )
            return redirect("workplan-manage", slug=page.workstream.slug)
    return render(request, TEMPLATE, {**context, "form": form})
