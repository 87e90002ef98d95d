"""Posting a progress update on an action: a note, dated today or earlier,
with the status and RAG the action is left at (each may stay unchanged, the
rating may be cleared) and evidence files and a link
(`services.progress_update_create` moves the action too and stores the files).

Allowed per `rules.can_add_progress_update`: the workstream's chairs,
officers, and partners for their own organisation's open actions.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render

from marmot.site.access import require
from marmot.site.once import once_per_form_token
from workstreams import rules, services
from workstreams.forms.actions import ProgressUpdateForm
from workstreams.forms.common import add_service_errors
from workstreams.page_selectors.chair import action_get
from workstreams.views.chair_actions import closed_message


@once_per_form_token
def progress_update_create(request, pk: int):
    """The form, dated today unless changed. After saving, back to the action
    (or, for a partner who may post on an action they may not read yet — its
    workplan still a draft — to the overview)."""
    action = action_get(pk)
    user = request.user
    if denied := require(request, rules.can_add_progress_update(user, action)):
        return denied
    if not rules.action_open(action):  # archived, or its workplan closed
        messages.error(request, closed_message(action))
        if rules.can_view_action(user, action):
            return redirect("action-detail", pk=action.pk)
        return redirect("home")
    posted = request.method == "POST"
    form = ProgressUpdateForm(
        request.POST if posted else None,
        request.FILES if posted else None,
        action=action,
    )
    if posted and form.is_valid():
        try:
            services.progress_update_create(
                action=action, author=user, **form.service_values()
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"Progress update posted: {action.title}")
            if rules.can_view_action(user, action):
                return redirect("action-detail", pk=action.pk)
            return redirect("home")
    return render(
        request,
        "workstreams/chair/progress_update_form.html",
        {
            "action": action,
            "form": form,
            "can_view": rules.can_view_action(user, action),
        },
    )
