"""Site pages: a workstream's logic model (`/workstreams/<slug>/logic-model/`)."""

from django import forms
from django.shortcuts import get_object_or_404, render
from django.urls import path
from django.utils.formats import date_format
from django.views.decorators.http import require_safe

from marmot.site.access import refuse
from marmot.site.forms import GovukForm
from workstreams.models import Workstream
from workstreams.page_selectors.logic_model import (
    LogicModelPage,
    VersionHidden,
    logic_model_page,
)


class VersionForm(GovukForm):
    """Which version to show and which to compare it with (a GET form)."""

    version = forms.ChoiceField(label="Show version")
    compare = forms.ChoiceField(label="Compare with version", required=False)

    def __init__(self, *args, page: LogicModelPage, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(str(v.version), _describe(v)) for v in page.versions]
        self.fields["version"].choices = choices
        self.fields["compare"].choices = [("", "Do not compare"), *choices]


def _describe(logic_model) -> str:
    text = f"Version {logic_model.version} ({logic_model.get_status_display().lower()}"
    if logic_model.dated:
        text += f", {date_format(logic_model.dated, 'j F Y')}"
    return text + ")"


@require_safe
def workstream_logic_model(request, slug):
    """The current logic model (``?version=N`` another one the visitor may see;
    ``?compare=M`` what changed between the two). Unknown workstream or
    version: 404; a version the visitor may not see: sign in / 403."""
    workstream = get_object_or_404(Workstream, slug=slug)
    try:
        page = logic_model_page(
            user=request.user, workstream=workstream, params=request.GET
        )
    except VersionHidden:
        return refuse(request)
    version_form = None
    if len(page.versions) > 1 and page.logic_model is not None:
        version_form = VersionForm(
            page=page,
            initial={
                "version": str(page.logic_model.version),
                "compare": str(page.compared_with.version)
                if page.compared_with
                else "",
            },
        )
    return render(
        request,
        "workstreams/logic_model.html",
        {"page": page, "version_form": version_form},
    )


urlpatterns = [
    path(
        "workstreams/<slug:slug>/logic-model/",
        workstream_logic_model,
        name="workstream-logic-model",
    ),
]
