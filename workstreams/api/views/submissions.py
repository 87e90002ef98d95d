"""Viewset for partners' submissions, their edits (resubmissions) and the
chairs' decisions."""

from django.core.exceptions import ValidationError
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import status
from rest_framework.decorators import action as route
from rest_framework.response import Response

from marmot.api.errors import Conflict, PreconditionFailed
from marmot.api.schema import ERROR
from marmot.api.viewsets import (
    CheckedUpdateMixin,
    ETagRetrieveMixin,
    ReadViewSet,
    ServiceCreateMixin,
)
from marmot.principals import principal_for
from marmot.services import StateConflict
from workstreams import filters, rules, selectors, services
from workstreams.api import permissions
from workstreams.api import serializers as s
from workstreams.models import Organisation
from workstreams.page_selectors.submissions import submission_messages
from workstreams.services.submissions import STALE_CODE


class SubmissionEditPermission(permissions.SubmissionPermission):
    """As `SubmissionPermission`, except that a PATCH is the submitting
    organisation's partners' (and officers') while the submission is
    undecided (`rules.can_edit_submission`), and methods the view does not
    take (PUT) are a 405 for everyone. A PATCH of a decided submission is a
    409 (the service's `SubmissionConflict`)."""

    def has_permission(self, request, view) -> bool:
        if request.method.lower() not in view.http_method_names:
            return True
        return super().has_permission(request, view)

    def has_object_permission(self, request, view, obj) -> bool:
        if getattr(view, "action", None) == "messages" and request.method == "POST":
            # Whether it is still undecided the service checks (409).
            return rules.can_decide_submission(request.user, obj) or rules.submits_for(
                request.user, obj
            )
        if request.method == "PATCH":
            # Whether it is still undecided the service checks under its row
            # lock: a decided one is a 409 (marmot.api.errors), not a 403.
            return rules.submits_for(request.user, obj)
        return super().has_object_permission(request, view, obj)


CONFLICT = OpenApiResponse(
    ERROR,
    description="The submission was decided, or moved to another workstream, "
    "since you read it; nothing was changed.",
)
DECIDED = {200: s.SubmissionSerializer, 409: CONFLICT}


@extend_schema_view(
    partial_update=extend_schema(
        responses=DECIDED,
        description="Change a submission not yet decided (the submitting "
        "organisation's partners, and officers); send its ETag in If-Match "
        "(412 when stale, 428 without). One with more information requested "
        "goes back to `submitted` (a resubmission) and the workstream's chairs "
        "are emailed. The organisation cannot change. A decided submission is "
        "a 409.",
    ),
)
class SubmissionViewSet(
    ServiceCreateMixin, CheckedUpdateMixin, ETagRetrieveMixin, ReadViewSet
):
    """Partners' proposed actions and the chairs' decisions. Partners see and
    make their own organisation's, and edit them until decided; chairs decide
    their workstream's."""

    serializer_class = s.SubmissionSerializer
    permission_classes = [SubmissionEditPermission]
    filterset_class = filters.SubmissionFilter
    ordering_fields = ["created_at", "status", "decided_at"]
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        return selectors.submission_list(user=self.request.user)

    def perform_service_create(self, serializer):
        user = self.request.user
        permissions.check_can_create_submission(user)
        data = dict(serializer.validated_data)
        data.pop("reply", None)  # a new submission has no conversation yet
        chosen = data.pop("organisation", None)
        principal = principal_for(user)
        if principal.is_partner:
            organisation = Organisation.objects.get(pk=principal.organisation_id)
        elif chosen is None:
            raise ValidationError({"organisation": "Choose the organisation."})
        else:
            organisation = chosen
        return services.submission_create(
            organisation=organisation, submitted_by=user, **data
        )

    def perform_checked_update(self, serializer, expected):
        submission = serializer.instance
        data = dict(serializer.validated_data)
        organisation = data.pop("organisation", None)
        if organisation is not None and organisation.pk != submission.organisation_id:
            raise ValidationError(
                {"organisation": "A submission's organisation cannot be changed."}
            )
        try:
            return services.submission_update(
                submission=submission,
                user=self.request.user,
                expected_row_version=expected,
                **data,
            )
        except ValidationError as error:
            if getattr(error, "code", None) == STALE_CODE:
                raise PreconditionFailed() from error
            raise

    def _decided(self, request, submission, decide, **kwargs):
        """A decision: If-Match optional (412 if stale), the answer has the
        submission's new ETag."""
        return self.guarded(
            request,
            submission,
            lambda: decide(submission=submission, user=request.user, **kwargs),
        )

    @extend_schema(request=s.SubmissionAcceptSerializer, responses=DECIDED)
    @route(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        submission = self.get_object()
        body = s.SubmissionAcceptSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        try:
            return self._decided(
                request,
                submission,
                services.submission_accept,
                workplan=body.validated_data.get("workplan"),
                confirm_outside_plan=body.validated_data["confirm_outside_plan"],
            )
        except StateConflict as error:
            if "confirm_outside_plan" not in getattr(error, "error_dict", {}):
                raise
            message = " ".join(error.messages)
            raise Conflict(
                f'{message} To accept it anyway, send "confirm_outside_plan": true.'
            ) from error

    @extend_schema(
        methods=["GET"],
        responses=s.SubmissionMessageSerializer(many=True),
        description="The submission's conversation, oldest first: the chair's "
        "requests for information, the partner's replies and notes.",
    )
    @extend_schema(
        methods=["POST"],
        request=s.SubmissionMessageSerializer,
        responses={201: s.SubmissionMessageSerializer, 409: CONFLICT},
        description="Add a message to an undecided submission's conversation "
        "without changing the proposal: the submitting organisation's partners "
        "reply, the workstream's chairs and officers note. A decided "
        "submission is a 409.",
    )
    @route(detail=True, methods=["get", "post"], pagination_class=None)
    def messages(self, request, pk=None):
        submission = self.get_object()
        if request.method == "GET":
            rows = submission_messages(submission)
            serializer = s.SubmissionMessageSerializer(
                rows, many=True, context=self.get_serializer_context()
            )
            return Response(serializer.data)
        body = s.SubmissionMessageSerializer(
            data=request.data, context=self.get_serializer_context()
        )
        body.is_valid(raise_exception=True)
        message = services.submission_message_post(
            submission=submission, user=request.user, body=body.validated_data["body"]
        )
        output = s.SubmissionMessageSerializer(
            message, context=self.get_serializer_context()
        )
        # A message has no address of its own: the conversation it joined.
        location = self.reverse_action("messages", args=[submission.pk])
        return Response(
            output.data, status=status.HTTP_201_CREATED, headers={"Location": location}
        )

    @extend_schema(request=s.SubmissionReasonSerializer, responses=DECIDED)
    @route(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        submission = self.get_object()
        body = s.SubmissionReasonSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        return self._decided(
            request,
            submission,
            services.submission_reject,
            reason=body.validated_data["reason"],
        )

    @extend_schema(request=s.SubmissionReasonSerializer, responses=DECIDED)
    @route(detail=True, methods=["post"], url_path="request-info")
    def request_info(self, request, pk=None):
        submission = self.get_object()
        body = s.SubmissionReasonSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        return self._decided(
            request,
            submission,
            services.submission_request_info,
            reason=body.validated_data["reason"],
        )
