"""Downloading an evidence file (ADR 35): only through this view, which checks
the reader may read the action (`rules.can_view_action`), and always as an
attachment under its original (safe) name, with the type found in its content
and ``nosniff``, so a browser never renders it as a page of this site.
"""

from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404
from django.urls import path
from django.views.decorators.http import require_safe

from marmot.site.access import require
from workstreams import rules
from workstreams.models import EvidenceFile


@require_safe
def evidence_download(request, pk: int):
    evidence = get_object_or_404(
        EvidenceFile.objects.select_related(
            "progress_update__action__workplan__workstream"
        ),
        pk=pk,
    )
    action = evidence.progress_update.action
    if denied := require(request, rules.can_view_action(request.user, action)):
        return denied
    try:
        handle = evidence.file.open("rb")
    except (FileNotFoundError, OSError) as error:
        raise Http404("The file is no longer stored.") from error
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=evidence.original_name,
        content_type=evidence.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response


urlpatterns = [
    path("evidence/<int:pk>/", evidence_download, name="evidence-download"),
]
