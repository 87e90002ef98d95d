"""Serializers for partners' submissions and the chairs' decisions."""

from rest_framework import serializers

from marmot.api.fields import SlugRelatedField
from workstreams import rules
from workstreams.api.serializers.common import (
    WORKSTREAM_SLUG,
    VisibleChoicesMixin,
    principle_numbers,
)
from workstreams.models import Organisation, Submission, SubmissionMessage, Workplan


class SubmissionSerializer(serializers.ModelSerializer):
    workstream = SlugRelatedField(**WORKSTREAM_SLUG)
    organisation = serializers.PrimaryKeyRelatedField(
        queryset=Organisation.objects.all(),
        required=False,
        help_text="Set from a partner's account; only officers choose it.",
    )
    principles = principle_numbers(many=True, required=False)
    reply = serializers.CharField(
        write_only=True,
        required=False,
        allow_blank=True,
        max_length=5000,
        help_text="With a PATCH: the partner's reply to the chair's request for "
        "more information, added to the submission's conversation "
        "(`messages/`). Never changes the description.",
    )

    class Meta:
        model = Submission
        fields = [
            "id",
            "organisation",
            "submitted_by",
            "workstream",
            "principles",
            "title",
            "description",
            "start_date",
            "end_date",
            "lead_contact",
            "evidence_url",
            "supports_activity",
            "supports_recommendation",
            "status",
            "decision_reason",
            "decided_by",
            "decided_at",
            "action",
            "row_version",
            "created_at",
            "reply",
        ]
        read_only_fields = [
            "submitted_by",
            "status",
            "decision_reason",
            "decided_by",
            "decided_at",
            "action",
            "row_version",
            "created_at",
        ]


class SubmissionAcceptSerializer(VisibleChoicesMixin, serializers.Serializer):
    workplan = serializers.PrimaryKeyRelatedField(
        queryset=Workplan.objects.all(),
        required=False,
        allow_null=True,
        help_text="Default: the workstream's latest workplan that is not closed.",
    )
    confirm_outside_plan = serializers.BooleanField(
        required=False,
        default=False,
        help_text="Accept although the submission's start or end date falls "
        "outside the workplan's dates (without it, such an acceptance is a 409).",
    )


class SubmissionReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(help_text="Shown to the partner.")


class SubmissionMessageSerializer(serializers.ModelSerializer):
    """A message in a submission's conversation (append-only). Who writes it
    decides its kind: the submitting organisation's partner replies, a chair
    or officer notes; requests for information come from ``request-info``."""

    author_name = serializers.SerializerMethodField(
        help_text="The author's name, as the site shows it."
    )

    class Meta:
        model = SubmissionMessage
        fields = [
            "id",
            "submission",
            "kind",
            "author",
            "author_name",
            "body",
            "created_at",
        ]
        read_only_fields = [
            "id",
            "submission",
            "kind",
            "author",
            "author_name",
            "created_at",
        ]
        extra_kwargs = {"body": {"max_length": 5000}}

    def get_author_name(self, obj) -> str:
        request = self.context.get("request")
        return rules.person_label(request.user if request else None, obj.author)
