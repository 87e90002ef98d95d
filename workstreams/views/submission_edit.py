"""Making a submission (`/submit/`, then checking the answers and sending at
`/submit/check/`), its confirmation, and editing one not yet decided
(`/submissions/<pk>/edit/`), which resubmits it (with the partner's reply to
the chair, added to the conversation).

Partners submit for their own organisation; officers choose the organisation.
Saved only through `services.submission_create` / `services.submission_update`
(which email the workstream's chairs); their ValidationErrors become form
errors and nothing is saved. The edit form carries the submission's
``row_version``: a save based on an out-of-date copy shows the current values
with a conflict message and overwrites nothing.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.datastructures import MultiValueDict
from django.views.decorators.http import require_http_methods, require_safe

from marmot.principals import principal_for
from marmot.site.access import require
from marmot.site.once import FIELD, once_per_form_token
from marmot.site.ratelimit import rate_limited
from workstreams import rules, services
from workstreams.forms.common import add_service_errors
from workstreams.forms.submissions import SubmissionForm
from workstreams.models import Organisation, Submission
from workstreams.page_selectors.submissions import (
    submission_form_choices,
    submission_get,
    submission_with_links,
)
from workstreams.services.submissions import STALE_CODE, STALE_MESSAGE

TEMPLATE = "workstreams/submissions/form.html"


DRAFT_KEY = "submission_draft"


def _draft_form(request, data=None):
    """The submission form for this user, bound to ``data`` when given."""
    return SubmissionForm(
        data,
        choices=submission_form_choices(),
        with_organisation=not principal_for(request.user).is_partner,
    )


def _draft(request) -> MultiValueDict | None:
    """What the user typed and has not sent yet (kept in their session
    between the form and the check-your-answers page), or None."""
    stored = request.session.get(DRAFT_KEY)
    if not isinstance(stored, dict):
        return None
    return MultiValueDict(
        {
            str(key): [str(value) for value in values]
            for key, values in stored.items()
            if isinstance(values, list)
        }
    )


def _organisation(request, form):
    principal = principal_for(request.user)
    if principal.is_partner:
        return Organisation.objects.get(pk=principal.organisation_id)
    return form.cleaned_data["organisation"]


def _check_services(form) -> bool:
    """The service's own checks (an activity of another workstream, a link
    that is not http(s)) as field errors before the answers are shown."""
    try:
        services.submission_check(
            workstream=form.cleaned_data["workstream"],
            supports_activity=form.cleaned_data["supports_activity"],
            evidence_url=form.cleaned_data["evidence_url"] or "",
        )
    except ValidationError as error:
        add_service_errors(form, error)
        return False
    return True


@require_http_methods(["GET", "HEAD", "POST"])
def submission_create(request):
    """The submission form. A valid answer goes to the check-your-answers
    page (kept in the session): nothing is saved until "Send" there. The
    "Change" links come back here with the answers kept (``?change``)."""
    user = request.user
    if denied := require(request, rules.can_create_submission(user)):
        return denied
    if request.method == "POST":
        form = _draft_form(request, request.POST)
        if form.is_valid() and _check_services(form):
            request.session[DRAFT_KEY] = {
                key: request.POST.getlist(key)
                for key in request.POST
                if key != "csrfmiddlewaretoken"
            }
            return redirect("submission-check")
    else:
        draft = _draft(request) if "change" in request.GET else None
        if draft is None:
            request.session.pop(DRAFT_KEY, None)
        form = _draft_form(request, draft)
    return render(request, TEMPLATE, {"form": form, "submission": None})


@require_http_methods(["GET", "HEAD", "POST"])
@once_per_form_token  # a double click on "Send" makes one submission (ADR 0028)
@rate_limited("submission")
def submission_check(request):
    """Check your answers, then "Send": the one place a submission is made
    (`services.submission_create`, which emails the workstream's chairs)."""
    user = request.user
    if denied := require(request, rules.can_create_submission(user)):
        return denied
    draft = _draft(request)
    if draft is None:
        messages.info(request, "Fill in the form to propose an action.")
        return redirect("submission-create")
    form = _draft_form(request, draft)
    if not (form.is_valid() and _check_services(form)):
        # Something changed since (a choice removed): back to the form.
        return render(request, TEMPLATE, {"form": form, "submission": None})
    if request.method == "POST":
        try:
            submission = services.submission_create(
                organisation=_organisation(request, form),
                submitted_by=user,
                **form.service_values(),
            )
        except ValidationError as error:
            add_service_errors(form, error)
            return render(request, TEMPLATE, {"form": form, "submission": None})
        request.session.pop(DRAFT_KEY, None)
        return redirect("submission-sent", pk=submission.pk)
    return render(
        request,
        "workstreams/submissions/check.html",
        {"form": form, "answers": form.answers(), "form_token": draft.get(FIELD, "")},
    )


@require_safe
def submission_sent(request, pk: int):
    """The confirmation: what happens next, and a link to the submission."""
    submission = submission_get(pk)
    if denied := require(request, rules.can_view_submission(request.user, submission)):
        return denied
    return render(
        request, "workstreams/submissions/sent.html", {"submission": submission}
    )


def submission_edit(request, pk: int):
    """Edit a submission not yet decided; saving resubmits it."""
    user = request.user
    submission = submission_with_links(pk)
    if denied := require(request, rules.can_edit_submission(user, submission)):
        return denied
    choices = submission_form_choices()
    asked = submission.status == Submission.Status.MORE_INFO
    if request.method != "POST":
        form = SubmissionForm(
            initial=SubmissionForm.initial_for(submission),
            choices=choices,
            with_organisation=False,
            with_reply=asked,
        )
        return render(request, TEMPLATE, {"form": form, "submission": submission})
    form = SubmissionForm(
        request.POST, choices=choices, with_organisation=False, with_reply=asked
    )
    if form.is_valid():
        was = submission.status
        try:
            services.submission_update(
                submission=submission,
                user=user,
                expected_row_version=form.cleaned_data["row_version"] or 0,
                reply=form.cleaned_data.get("reply", ""),
                **form.service_values(),
            )
        except ValidationError as error:
            if getattr(error, "code", None) != STALE_CODE:
                add_service_errors(form, error)
            else:
                submission = submission_with_links(pk)
                if not rules.can_edit_submission(user, submission):
                    messages.error(
                        request,
                        "This submission was decided while you were editing it; "
                        "your changes were not saved.",
                    )
                    return redirect("submission-detail", pk=pk)
                data = SubmissionForm.data_for(submission)
                data["reply"] = form.cleaned_data.get("reply", "")
                form = SubmissionForm(
                    data,
                    choices=choices,
                    with_organisation=False,
                    with_reply=submission.status == Submission.Status.MORE_INFO,
                )
                form.is_valid()
                form.add_error(None, STALE_MESSAGE)
        else:
            verb = "resubmitted" if was == Submission.Status.MORE_INFO else "saved"
            messages.success(
                request, f"Submission {verb}: {form.cleaned_data['title']}"
            )
            return redirect("submission-detail", pk=pk)
    return render(request, TEMPLATE, {"form": form, "submission": submission})
