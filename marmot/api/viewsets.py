"""What every API viewset shares: throttles, ETags, checked updates, deletes."""

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics, mixins, status, viewsets
from rest_framework.response import Response

from marmot.api.concurrency import check_row_version, etag_for
from marmot.api.throttles import API_THROTTLES


class ApiViewSet(viewsets.GenericViewSet):
    throttle_classes = API_THROTTLES

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
    service, which refuses (400, nothing deleted) while the row is in use."""


def delete_schema(description: str, who: str = "Officers only.", responses=None):
    """The OpenAPI description of a DELETE that a service may refuse
    (``responses`` adds codes, e.g. a 409 of the published record)."""
    return extend_schema(
        description=f"{description}\n\n{who}",
        responses={
            204: OpenApiResponse(description="Deleted."),
            400: OpenApiResponse(
                description="Refused, nothing deleted: the row is still in use. "
                "`error.fields.non_field_errors` says by what and what to do first."
            ),
            403: OpenApiResponse(description=f"Not allowed. {who}"),
            **(responses or {}),
        },
    )


class ETagRetrieveMixin:
    """GET detail sends ``ETag: "<row_version>"``."""

    def retrieve(self, request, *args, **kwargs):
        instance = self.get_object()
        response = Response(self.get_serializer(instance).data)
        response["ETag"] = etag_for(instance)
        return response


class CheckedUpdateMixin:
    """PUT/PATCH need the ETag (If-Match or ``row_version``): 428 without, 412
    when stale. The view's ``perform_checked_update(serializer, expected)``
    calls the service, which claims the row version atomically."""

    def update(self, request, *args, **kwargs):
        partial = kwargs.pop("partial", False)
        instance = self.get_object()
        expected = check_row_version(request, instance)
        serializer = self.get_serializer(instance, data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        saved = self.get_fresh(self.perform_checked_update(serializer, expected))
        response = Response(self.get_serializer(saved).data)
        response["ETag"] = etag_for(saved)
        return response

    def partial_update(self, request, *args, **kwargs):
        kwargs["partial"] = True
        return self.update(request, *args, **kwargs)


class ServiceUpdateMixin:
    """PUT/PATCH without an ETag: the view's ``perform_service_update(serializer)``
    calls a service and returns the saved row, which is answered re-read (the
    service saves its own copy, so ``serializer.data`` would be the old one)."""

    def update(self, request, *args, **kwargs):
        partial = kwargs.pop("partial", False)
        serializer = self.get_serializer(
            self.get_object(), data=request.data, partial=partial
        )
        serializer.is_valid(raise_exception=True)
        saved = self.get_fresh(self.perform_service_update(serializer))
        return Response(self.get_serializer(saved).data)

    def partial_update(self, request, *args, **kwargs):
        kwargs["partial"] = True
        return self.update(request, *args, **kwargs)


class ServiceCreateMixin:
    """POST: the view's ``perform_service_create(serializer)`` calls a service."""

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        saved = self.get_fresh(self.perform_service_create(serializer))
        response = Response(self.get_serializer(saved).data, status.HTTP_201_CREATED)
        if hasattr(saved, "row_version"):
            response["ETag"] = etag_for(saved)
        return response
