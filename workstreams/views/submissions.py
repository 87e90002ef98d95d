"""Partner submissions on the site: the list (`/submissions/`), one submission
with the chair's decision form (`/submissions/<pk>/`), and a workstream's
moderation queue (`/workstreams/<slug>/submissions/`). Making and editing
submissions: `workstreams.views.submission_edit`.

Refusals as everywhere (`marmot.site.access`): an unknown id or slug is a 404;
anonymous visitors are sent to sign in; a signed-in user the rules keep out
(another organisation's submission, another workstream's queue) gets 403.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.views.decorators.http import (
    require_http_methods,
    require_POST,
    require_safe,
)

from marmot.site.access import require
from workstreams import rules, services
from workstreams.forms.common import add_service_errors
from workstreams.forms.submissions import (
    DecisionForm,
    MessageForm,
    SubmissionFilterForm,
)
from workstreams.page_selectors.chair import workstream_get
from workstreams.page_selectors.submissions import (
    open_workplans,
    outside_plan_warnings,
    submission_detail_page,
    submission_list_page,
    submission_queue_page,
    submission_with_links,
)
from workstreams.views import submission_edit


@require_safe
def submission_list(request):
    """Partners: their organisation's submissions and open actions; chairs:
    their workstreams' submissions and queues; officers and oversight: all."""
    user = request.user
    if denied := require(request, rules.can_list_submissions(user)):
        return denied
    filters = SubmissionFilterForm(request.GET or None)
    status = filters.cleaned_data["status"] if filters.is_valid() else ""
    page = submission_list_page(
        user=user, status=status, page_number=request.GET.get("page")
    )
    return render(
        request,
        "workstreams/submissions/list.html",
        {"page": page, "filters": filters, "form": filters},
    )


def _decide(request, submission, form):
    """Apply a valid decision through the services; True when saved."""
    decision = form.cleaned_data["decision"]
    user = request.user
    try:
        if decision == "accept":
            decided = services.submission_accept(
                submission=submission,
                user=user,
                workplan=form.cleaned_data["workplan"],
                confirm_outside_plan=form.cleaned_data.get(
                    "confirm_outside_plan", False
                ),
            )
            note = (
                f"Submission accepted: it is now an action in the "
                f"{decided.action.workplan.year_label} workplan"
            )
        elif decision == "reject":
            services.submission_reject(
                submission=submission, user=user, reason=form.cleaned_data["reason"]
            )
            note = "Submission rejected: the partner has been emailed the reason"
        else:
            services.submission_request_info(
                submission=submission, user=user, reason=form.cleaned_data["reason"]
            )
            note = "More information requested: the partner has been emailed"
    except ValidationError as error:
        add_service_errors(form, error)
        return False
    messages.success(request, note)
    return True


def _decision_form(submission, data=None):
    workplans = open_workplans(submission.workstream_id)
    outside = outside_plan_warnings(submission, workplans)
    if data is not None:
        return DecisionForm(data, workplans=workplans, outside_plan=outside)
    return DecisionForm(
        initial={"workplan": workplans.values_list("pk", flat=True).first()},
        workplans=workplans,
        outside_plan=outside,
    )


def _detail(request, submission, *, form=None, message_form=None):
    """The submission's page, with the forms the visitor may use."""
    page = submission_detail_page(user=request.user, submission=submission)
    if form is None and page.can_decide:
        form = _decision_form(submission)
    if message_form is None and page.can_message:
        message_form = MessageForm()
    return render(
        request,
        "workstreams/submissions/detail.html",
        {"page": page, "form": form, "message_form": message_form},
    )


@require_http_methods(["GET", "HEAD", "POST"])
def submission_detail(request, pk: int):
    """The submission, its conversation (oldest first), what changed since
    the chair last asked for more information, and its decision; the
    decision form for the workstream's chairs and officers while it is
    undecided; "Edit and resubmit" for the submitting organisation's
    partners."""
    user = request.user
    submission = submission_with_links(pk)
    if denied := require(request, rules.can_view_submission(user, submission)):
        return denied
    form = None
    if request.method == "POST":
        if denied := require(request, rules.can_decide_submission(user, submission)):
            return denied
        form = _decision_form(submission, request.POST)
        if form.is_valid() and _decide(request, submission, form):
            return redirect("submission-detail", pk=pk)
    return _detail(request, submission, form=form)


@require_POST
def submission_message_create(request, pk: int):
    """Post a message in the submission's conversation (the partner's reply,
    the chair's note) without changing the proposal."""
    user = request.user
    submission = submission_with_links(pk)
    if denied := require(request, rules.can_post_submission_message(user, submission)):
        return denied
    message_form = MessageForm(request.POST)
    if message_form.is_valid():
        try:
            services.submission_message_post(
                submission=submission, user=user, body=message_form.cleaned_data["body"]
            )
        except ValidationError as error:
            add_service_errors(message_form, error)
        else:
            messages.success(request, "Message added to the conversation")
            return redirect(f"{reverse('submission-detail', args=[pk])}#conversation")
    return _detail(request, submission, message_form=message_form)


@require_safe
def submission_queue(request, slug: str):
    """The workstream's moderation queue, with counts: its chairs and
    officers decide from it; oversight members read it."""
    workstream = workstream_get(slug)
    if denied := require(
        request, rules.can_view_submission_queue(request.user, workstream.pk)
    ):
        return denied
    page = submission_queue_page(user=request.user, workstream=workstream)
    return render(request, "workstreams/submissions/queue.html", {"page": page})


urlpatterns = [
    path("submit/", submission_edit.submission_create, name="submission-create"),
    path("submit/check/", submission_edit.submission_check, name="submission-check"),
    path("submissions/", submission_list, name="submission-list"),
    path("submissions/<int:pk>/", submission_detail, name="submission-detail"),
    path(
        "submissions/<int:pk>/messages/",
        submission_message_create,
        name="submission-message-create",
    ),
    path(
        "submissions/<int:pk>/sent/",
        submission_edit.submission_sent,
        name="submission-sent",
    ),
    path(
        "submissions/<int:pk>/edit/",
        submission_edit.submission_edit,
        name="submission-edit",
    ),
    path(
        "workstreams/<slug:slug>/submissions/",
        submission_queue,
        name="submission-queue",
    ),
]
