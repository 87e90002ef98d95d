"""Overriding the rule's on-track judgement of a workstream (ADR 19): the
judgement the oversight group should read instead, and why; or clearing it so
the rule's judgement shows again.

Its chair, deputies and officers, per `rules.can_override_on_track`, on GET and
POST alike (other chairs, partners, the oversight group: 403; anonymous
visitors: sign in). Saved only through `services.workstream_on_track_set` and
`services.workstream_on_track_clear`.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse

from marmot.site.access import require
from workstreams import rules, services
from workstreams.forms.common import add_service_errors
from workstreams.forms.on_track import OnTrackOverrideForm
from workstreams.page_selectors.chair import workstream_get
from workstreams.page_selectors.on_track import on_track_judgement

CLEAR = "clear"


def _back(workstream):
    return redirect(reverse("workstream-detail", args=[workstream.slug]) + "#on-track")


def workstream_on_track(request, slug: str):
    """The judgement now (the rule's, and any override), the form to override
    it, and a button to clear an override."""
    workstream = workstream_get(slug)
    user = request.user
    if denied := require(request, rules.can_override_on_track(user, workstream.pk)):
        return denied
    on_track, workplan = on_track_judgement(user=user, workstream=workstream)
    override = on_track.override
    initial = {}
    if override is not None and override.applies:
        initial = {"judgement": override.judgement, "reason": override.reason}
    form = OnTrackOverrideForm(initial=initial)
    if request.method == "POST" and request.POST.get("form") == CLEAR:
        services.workstream_on_track_clear(workstream=workstream, user=user)
        messages.success(
            request, f"The rule's judgement of {workstream.name} shows again."
        )
        return _back(workstream)
    if request.method == "POST":
        form = OnTrackOverrideForm(request.POST)
        if form.is_valid():
            try:
                services.workstream_on_track_set(
                    workstream=workstream, user=user, **form.cleaned_data
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                label = dict(form.fields["judgement"].choices)[
                    form.cleaned_data["judgement"]
                ]
                messages.success(
                    request, f"{workstream.name} is now shown as “{label}”."
                )
                return _back(workstream)
    return render(
        request,
        "workstreams/chair/on_track_form.html",
        {
            "workstream": workstream,
            "workplan": workplan,
            "on_track": on_track,
            "form": form,
        },
    )
