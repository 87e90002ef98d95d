"""Viewset for partners' submissions and the chairs' decisions."""

from django.core.exceptions import ValidationError
from drf_spectacular.utils import extend_schema
from rest_framework.decorators import action as route
from rest_framework.response import Response

from marmot.api.viewsets import ETagRetrieveMixin, ReadViewSet, ServiceCreateMixin
from workstreams import filters, rules, selectors, services
from workstreams.api import permissions
from workstreams.api import serializers as s
from workstreams.models import Organisation


class SubmissionViewSet(ServiceCreateMixin, ETagRetrieveMixin, ReadViewSet):
    """Partners' proposed actions and the chairs' decisions. Partners see and
    make their own organisation's; chairs decide their workstream's."""

    serializer_class = s.SubmissionSerializer
    permission_classes = [permissions.SubmissionPermission]
    filterset_class = filters.SubmissionFilter
    ordering_fields = ["created_at", "status", "decided_at"]

    def get_queryset(self):
        return selectors.submission_list(user=self.request.user)

    def perform_service_create(self, serializer):
        user = self.request.user
        permissions.check_can_create_submission(user)
        data = dict(serializer.validated_data)
        chosen = data.pop("organisation", None)
        principal = rules.principal_for(user)
        if principal.is_partner:
            organisation = Organisation.objects.get(pk=principal.organisation_id)
        elif chosen is None:
            raise ValidationError({"organisation": "Choose the organisation."})
        else:
            organisation = chosen
        return services.submission_create(
            organisation=organisation, submitted_by=user, **data
        )

    def _decided(self, submission):
        return Response(self.get_serializer(self.get_fresh(submission)).data)

    @extend_schema(
        request=s.SubmissionAcceptSerializer, responses=s.SubmissionSerializer
    )
    @route(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        submission = self.get_object()
        body = s.SubmissionAcceptSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        return self._decided(
            services.submission_accept(
                submission=submission,
                user=request.user,
                workplan=body.validated_data.get("workplan"),
            )
        )

    @extend_schema(
        request=s.SubmissionReasonSerializer, responses=s.SubmissionSerializer
    )
    @route(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        submission = self.get_object()
        body = s.SubmissionReasonSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        return self._decided(
            services.submission_reject(
                submission=submission,
                user=request.user,
                reason=body.validated_data["reason"],
            )
        )

    @extend_schema(
        request=s.SubmissionReasonSerializer, responses=s.SubmissionSerializer
    )
    @route(detail=True, methods=["post"], url_path="request-info")
    def request_info(self, request, pk=None):
        submission = self.get_object()
        body = s.SubmissionReasonSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        return self._decided(
            services.submission_request_info(
                submission=submission,
                user=request.user,
                reason=body.validated_data["reason"],
            )
        )
