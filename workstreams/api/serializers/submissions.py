"""Serializers for partners' submissions and the chairs' decisions."""

from rest_framework import serializers

from marmot.api.fields import SlugRelatedField
from workstreams.api.serializers.common import (
    WORKSTREAM_SLUG,
    VisibleChoicesMixin,
)
from workstreams.models import Organisation, Submission, Workplan


class SubmissionSerializer(serializers.ModelSerializer):
    workstream = SlugRelatedField(**WORKSTREAM_SLUG)
    organisation = serializers.PrimaryKeyRelatedField(
        queryset=Organisation.objects.all(),
        required=False,
        help_text="Set from a partner's account; only officers choose it.",
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
        extra_kwargs = {"principles": {"required": False}}


class SubmissionAcceptSerializer(VisibleChoicesMixin, serializers.Serializer):
    workplan = serializers.PrimaryKeyRelatedField(
        queryset=Workplan.objects.all(),
        required=False,
        allow_null=True,
        help_text="Default: the workstream's latest workplan that is not closed.",
    )


class SubmissionReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(help_text="Shown to the partner.")
