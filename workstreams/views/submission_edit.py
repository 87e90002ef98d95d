"""Making a submission (`/submit/`), its confirmation, and editing one not yet
decided (`/submissions/<pk>/edit/`), which resubmits it.

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
from django.views.decorators.http import require_safe

from marmot.principals import principal_for
from marmot.site.access import require
from marmot.site.once import once_per_form_token
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


@once_per_form_token  # a double click makes one submission (ADR 0028)
@rate_limited("submission")
def submission_create(request):
    """The submission form; after saving, the confirmation page."""
    user = request.user
    if denied := require(request, rules.can_create_submission(user)):
        return denied
    principal = principal_for(user)
    data = request.POST if request.method == "POST" else None
    form = SubmissionForm(
        data,
        choices=submission_form_choices(),
        with_organisation=not principal.is_partner,
    )
    if data is not None and form.is_valid():
        if principal.is_partner:
            organisation = Organisation.objects.get(pk=principal.organisation_id)
        else:
            organisation = form.cleaned_data["organisation"]
        try:
            submission = services.submission_create(
                organisation=organisation, submitted_by=user, **form.service_values()
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return redirect("submission-sent", pk=submission.pk)
    return render(request, TEMPLATE, {"form": form, "submission": None})


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
    if request.method != "POST":
        form = SubmissionForm(
            initial=SubmissionForm.initial_for(submission),
            choices=choices,
            with_organisation=False,
        )
        return render(request, TEMPLATE, {"form": form, "submission": submission})
    form = SubmissionForm(request.POST, choices=choices, with_organisation=False)
    if form.is_valid():
        was = submission.status
        try:
            services.submission_update(
                submission=submission,
                user=user,
                expected_row_version=form.cleaned_data["row_version"] or 0,
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
                form = SubmissionForm(
                    SubmissionForm.data_for(submission),
                    choices=choices,
                    with_organisation=False,
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
