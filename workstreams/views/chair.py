"""Site pages where chairs work: an action and its progress timeline, adding and
editing actions, posting progress updates, and managing the current workplan.

Refusals, everywhere: an unknown id or slug is a 404; an object that exists
but the rules (`workstreams.rules`) keep from the visitor is refused with
`marmot.site.access.refuse` — anonymous visitors are sent to sign in,
signed-in users get the 403 page. Every form page is an edit URL: refused on
GET and POST alike.
"""

from django.shortcuts import render
from django.urls import path
from django.views.decorators.http import require_safe

from marmot.site.access import require
from workstreams import rules
from workstreams.page_selectors.chair import action_detail_page, action_with_links
from workstreams.views import (
    chair_actions,
    chair_next_year,
    chair_on_track,
    chair_priorities,
    chair_progress,
    chair_workplan,
)


@require_safe
def action_detail(request, pk: int):
    """The action and its progress updates, newest first.

    Visible per `rules.can_view_action`: anonymous visitors see only actions of
    published workplans (others: redirect to sign in); a signed-in user who may
    not see it gets 403. "Edit this action" and "Post a progress update" show
    only to those the rules allow.
    """
    action = action_with_links(pk)
    if denied := require(request, rules.can_view_action(request.user, action)):
        return denied
    page = action_detail_page(user=request.user, action=action)
    return render(request, "workstreams/chair/action_detail.html", {"page": page})


urlpatterns = [
    path(
        "workstreams/<slug:slug>/actions/new/",
        chair_actions.action_create,
        name="action-create",
    ),
    path(
        "workstreams/<slug:slug>/workplan/",
        chair_workplan.workplan_manage,
        name="workplan-manage",
    ),
    path(
        "workstreams/<slug:slug>/workplan/priorities/",
        chair_priorities.workplan_priorities,
        name="workplan-priorities",
    ),
    path(
        "workstreams/<slug:slug>/workplan/priorities/new/",
        chair_priorities.workplan_priority_create,
        name="workplan-priority-create",
    ),
    path(
        "priorities/<int:pk>/edit/",
        chair_priorities.workplan_priority_edit,
        name="workplan-priority-edit",
    ),
    path(
        "priorities/<int:pk>/remove/",
        chair_priorities.workplan_priority_remove,
        name="workplan-priority-remove",
    ),
    path(
        "workstreams/<slug:slug>/workplan/assign/",
        chair_priorities.workplan_assign,
        name="workplan-assign",
    ),
    path(
        "workplans/<int:pk>/next-year/",
        chair_next_year.workplan_next_year,
        name="workplan-next-year",
    ),
    path(
        "workstreams/<slug:slug>/on-track/",
        chair_on_track.workstream_on_track,
        name="workstream-on-track",
    ),
    path("actions/<int:pk>/", action_detail, name="action-detail"),
    path("actions/<int:pk>/edit/", chair_actions.action_edit, name="action-edit"),
    path(
        "actions/<int:pk>/archive/", chair_actions.action_archive, name="action-archive"
    ),
    path(
        "actions/<int:pk>/updates/new/",
        chair_progress.progress_update_create,
        name="progress-update-create",
    ),
]
