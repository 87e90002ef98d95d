"""Consultation on a workplan (`/workplans/<pk>/comments/`): its priorities and
actions, the comments so far, and a form to add one while it is in consultation.

Who sees the page is `rules.can_view_workplan_comments` (officers, oversight
members and the workstream's chairs; partners while they may read the
workplan); whose comments they read is `rules.visible_workplan_comments`
(partners: their own organisation's only); who may comment is
`rules.can_comment_on_workplan`. Saved only through
`services.workplan_comment_create`, which emails the chair and deputies.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import path, reverse

from marmot.site.access import refuse, require
from marmot.site.forms import GovukForm
from marmot.site.once import OnceFormMixin, once_per_form_token
from workstreams import rules, services
from workstreams.forms.common import add_service_errors
from workstreams.models import Workplan
from workstreams.page_selectors.consultation import comments_page, workplan_get
from workstreams.services.consultation import COMMENT_MAX_LENGTH


class CommentForm(OnceFormMixin, GovukForm):
    body = forms.CharField(
        label="Your comment",
        max_length=COMMENT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={
            "required": "Enter your comment",
            "max_length": f"Your comment must be {COMMENT_MAX_LENGTH:,} "
            "characters or fewer",
        },
    )

    def __init__(self, *args, hint: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["body"].help_text = hint


def _hint(sees_all: bool) -> str:
    if sees_all:
        return (
            "Seen by the workstream's chairs, the programme officers and the "
            "oversight group. Partners see only their own organisation's comments."
        )
    return (
        "Seen by the workstream's chairs, the programme officers, the oversight "
        "group and others from your organisation, not by other partners."
    )


@once_per_form_token
def workplan_comments(request, pk: int):
    """The workplan's priorities and actions, the comments the visitor may
    read (oldest first) and, while it is in consultation, the comment form.

    Partners see only their own organisation's comments; the workstream's
    chairs, officers and oversight members see all of them. Unknown workplan:
    404; anonymous: sign in; anyone else the rules refuse: 403.
    """
    workplan = workplan_get(pk)
    user = request.user
    if denied := require(request, rules.can_view_workplan_comments(user, workplan)):
        return denied
    page = comments_page(user=user, workplan=workplan)
    form = None
    if page.can_comment:
        form = CommentForm(
            request.POST if request.method == "POST" else None,
            hint=_hint(page.sees_all),
        )
    if request.method == "POST":
        if form is None and workplan.status == Workplan.Status.CONSULTATION:
            return refuse(request)  # in consultation, but not theirs to comment on
        if form is None:  # the page was opened before consultation ended
            messages.error(
                request,
                "This workplan is no longer in consultation, so it cannot take "
                "comments. Your comment has not been saved.",
            )
            return redirect("workplan-comments", pk=pk)
        if form.is_valid():
            try:
                services.workplan_comment_create(
                    workplan=workplan, author=user, body=form.cleaned_data["body"]
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, "Your comment has been added.")
                return redirect(reverse("workplan-comments", args=[pk]) + "#comments")
    return render(
        request,
        "workstreams/consultation/comments.html",
        {"page": page, "form": form},
    )


urlpatterns = [
    path("workplans/<int:pk>/comments/", workplan_comments, name="workplan-comments"),
]
