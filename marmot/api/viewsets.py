"""What every API viewset shares: throttles, ETags, checked updates, deletes."""

from django.db import transaction
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics, mixins, status, viewsets
from rest_framework.response import Response

from marmot.api.concurrency import check_if_match, not_modified, representation_etag
from marmot.api.throttles import API_THROTTLES
from marmot.services import row_version_claim


def _versioned(instance) -> bool:
    return hasattr(instance, "row_version")


class VersionedMixin:
    """ETags from the representation (ADR 40), for a viewset's rows with a
    ``row_version``: what a detail GET answers is what the ETag hashes, and
    every write answers that, re-read, with its ETag.

    If-Match is required on PUT/PATCH and on the detail actions named in
    ``if_match_required``; optional (checked if sent) on DELETE and every
    other detail action."""

    if_match_required: tuple[str, ...] = ()

    def if_match_needed(self, action: str | None) -> bool:
        return action in ("update", "partial_update", *self.if_match_required)

    def representation(self, instance):
        """The JSON a detail GET answers for ``instance``."""
        action, self.action = getattr(self, "action", None), "retrieve"
        try:
            return self.get_serializer(instance).data
        finally:
            self.action = action

    def etag(self, instance, data=None) -> str:
        if data is None:
            data = self.representation(instance)
        return representation_etag(instance.row_version, data)

    def versioned(self, instance, status_code=status.HTTP_200_OK) -> Response:
        """A write's answer: the row re-read, as a GET shows it, with its ETag."""
        fresh = self.get_fresh(instance)
        data = self.representation(fresh)
        response = Response(data, status_code)
        if _versioned(fresh):
            response["ETag"] = self.etag(fresh, data)
        return response

    def if_match(self, request, instance) -> int | None:
        """The row version the client read (If-Match, or ``row_version`` in the
        body): 412 if stale, 428 if missing where it is needed."""
        return check_if_match(
            request,
            etag=lambda: self.etag(instance),
            row_version=instance.row_version,
            required=self.if_match_needed(self.action),
        )

    def guarded(self, request, instance, write, *, status_code=status.HTTP_200_OK):
        """A detail POST action (a decision, a move, an archive): If-Match is
        optional but, if sent, must be current (412), and the row is claimed
        at that version in the write's transaction. Answers the row and its
        ETag."""
        expected = self.if_match(request, instance)
        with transaction.atomic():
            row_version_claim(model=type(instance), pk=instance.pk, expected=expected)
            saved = write()
        return self.versioned(saved, status_code)

    def get_fresh(self, instance):
        """Re-read a written row through the queryset (prefetches included).

        A writer may be allowed to write a row they may not read back through
        the read rules (a partner's progress update on their action in a draft
        workplan, ``rules.can_add_progress_update``): they get the row the
        service saved, read again, never a 500 after the write."""
        fresh = self.get_queryset().filter(pk=instance.pk).first()
        if fresh is None:
            instance.refresh_from_db()
            return instance
        return fresh


class ApiViewSet(VersionedMixin, viewsets.GenericViewSet):
    throttle_classes = API_THROTTLES

    def check_permissions(self, request):
        """A row the signed-in user may not see is a 404 whatever the method
        (issue 14): a write to a detail address first looks the row up in the
        visible queryset (``get_queryset``), so a 403 is only ever said about
        a row the user can read. (A method the address never takes stays the
        same 405 for everyone.)"""
        lookup = self.lookup_url_kwarg or self.lookup_field
        method = request.method.lower()
        offered = method in self.http_method_names and hasattr(self, method)
        unsafe = offered and method not in ("get", "head", "options")
        if unsafe and lookup in self.kwargs and request.user.is_authenticated:
            generics.get_object_or_404(
                self.get_queryset(), **{self.lookup_field: self.kwargs[lookup]}
            )
        super().check_permissions(request)


class ReadViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ApiViewSet):
    """List and detail; writes come from the mixins a viewset adds."""


class ServiceDestroyMixin(mixins.DestroyModelMixin):
    """DELETE: the view's ``perform_destroy(instance)`` calls a ``*_delete``
    service, which refuses (400, nothing deleted) while the row is in use.
    If-Match is optional; if sent it must be current (412, nothing deleted)."""

    def destroy(self, request, *args, **kwargs):
        instance = self.get_object()
        expected = None
        if _versioned(instance):
            expected = self.if_match(request, instance)
        with transaction.atomic():
            if expected is not None:
                row_version_claim(
                    model=type(instance), pk=instance.pk, expected=expected
                )
            self.perform_destroy(instance)
        return Response(status=status.HTTP_204_NO_CONTENT)


def delete_schema(description: str, who: str = "Officers only.", responses=None):
    """The OpenAPI description of a DELETE that a service may refuse
    (``responses`` adds codes, e.g. a 409 of the published record)."""
    from marmot.api.schema import ERROR  # the schema module imports this one

    return extend_schema(
        description=f"{description}\n\n{who}",
        responses={
            204: OpenApiResponse(description="Deleted."),
            400: OpenApiResponse(
                ERROR,
                description="Refused, nothing deleted: the row is still in use. "
                "`error.fields.non_field_errors` says by what and what to do first.",
            ),
            403: OpenApiResponse(ERROR, description=f"Not allowed. {who}"),
            **(responses or {}),
        },
    )


class ETagRetrieveMixin:
    """GET detail sends the ETag; ``If-None-Match`` holding it is a 304."""

    def retrieve(self, request, *args, **kwargs):
        instance = self.get_object()
        data = self.representation(instance)
        etag = self.etag(instance, data)
        if not_modified(request, etag):
            return Response(status=status.HTTP_304_NOT_MODIFIED, headers={"ETag": etag})
        return Response(data, headers={"ETag": etag})


class CheckedUpdateMixin:
    """PUT/PATCH need the ETag (If-Match or ``row_version``): 428 without, 412
    when stale. The view's ``perform_checked_update(serializer, expected)``
    calls the service, which claims the row version atomically."""

    def update(self, request, *args, **kwargs):
        partial = kwargs.pop("partial", False)
        instance = self.get_object()
        expected = self.if_match(request, instance)
        serializer = self.get_serializer(instance, data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        return self.versioned(self.perform_checked_update(serializer, expected))

    def partial_update(self, request, *args, **kwargs):
        kwargs["partial"] = True
        return self.update(request, *args, **kwargs)


class ServiceCreateMixin:
    """POST: the view's ``perform_service_create(serializer)`` calls a service."""

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        saved = self.perform_service_create(serializer)
        response = self.versioned(saved, status.HTTP_201_CREATED)
        response["Location"] = detail_location(self, saved)
        return response


def detail_location(view, instance) -> str:
    """The absolute address of ``instance``'s detail, for the ``Location`` of
    a 201 (issue 18): the view's own ``<basename>-detail`` route, looked up by
    the view's lookup field (an id, or a workstream's slug)."""
    lookup = view.lookup_url_kwarg or view.lookup_field
    value = getattr(instance, view.lookup_field)
    return view.reverse_action("detail", kwargs={lookup: value})
