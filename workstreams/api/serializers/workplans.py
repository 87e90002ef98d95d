"""Serializers for workplans, their priorities and status, actions and
progress updates."""

from rest_framework import serializers

from marmot.api.fields import SlugRelatedField
from workstreams.api.serializers.common import (
    WORKSTREAM_SLUG,
    PersonField,
    VisibleChoicesMixin,
    principle_numbers,
)
from workstreams.api.serializers.milestones import (
    EvidenceFileSerializer,
    NestedMilestoneSerializer,
    PercentCompleteField,
)
from workstreams.models import Action, ProgressUpdate, Workplan, WorkplanPriority


class WorkplanPrioritySerializer(serializers.ModelSerializer):
    class Meta:
        model = WorkplanPriority
        fields = ["id", "title", "description", "position"]


class WorkplanSerializer(serializers.ModelSerializer):
    workstream = SlugRelatedField(**WORKSTREAM_SLUG)
    priorities = WorkplanPrioritySerializer(many=True, read_only=True)

    class Meta:
        model = Workplan
        fields = [
            "id",
            "workstream",
            "year_label",
            "starts_on",
            "ends_on",
            "status",
            "signed_off_on",
            "signed_off_at",
            "priorities",
            "row_version",
            "updated_at",
        ]
        read_only_fields = ["row_version", "updated_at"]
        validators = []
        extra_kwargs = {
            "status": {
                "help_text": "A new workplan is a draft. A change obeys the status "
                "rule (see POST /workplans/{id}/status/): draft → consultation → "
                "signed off → closed; back from consultation to draft; signed off "
                "back to draft by officers only."
            }
        }


class WorkplanStatusSerializer(serializers.Serializer):
    status = serializers.ChoiceField(
        choices=Workplan.Status.choices, help_text="The status to move to."
    )
    signed_off_on = serializers.DateField(
        required=False,
        allow_null=True,
        help_text="When signing off (required then, and not in the future); "
        "for no other move.",
    )
    signed_off_at = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=200,
        help_text='When signing off: the meeting or body that agreed it, e.g. "the '
        'Health and Wellbeing Board".',
    )
    row_version = serializers.IntegerField(
        required=False,
        help_text="The version you read, if you do not send its ETag in If-Match.",
    )


class PrioritySerializer(VisibleChoicesMixin, serializers.ModelSerializer):
    """A workplan's priority as its own resource (``priorities/``)."""

    workstream = SlugRelatedField(
        source="workplan.workstream", slug_field="slug", read_only=True
    )
    action_count = serializers.IntegerField(
        read_only=True, help_text="Actions under it; one with any cannot be deleted."
    )

    class Meta:
        model = WorkplanPriority
        fields = [
            "id",
            "workplan",
            "workstream",
            "title",
            "description",
            "position",
            "action_count",
        ]
        read_only_fields = ["position"]
        extra_kwargs = {
            "position": {
                "help_text": "1 for the first; new priorities go last. Change the "
                "order with POST /workplans/{id}/reorder-priorities/."
            }
        }
        validators = []  # a repeated title is the service's field error

    def validate(self, attrs):
        workplan = attrs.get("workplan")
        moved = workplan is not None and self.instance is not None
        if moved and workplan.pk != self.instance.workplan_id:
            raise serializers.ValidationError(
                {"workplan": "A priority cannot move to another workplan."}
            )
        return attrs


class PriorityReorderSerializer(serializers.Serializer):
    priority_ids = serializers.ListField(
        child=serializers.IntegerField(),
        allow_empty=True,
        help_text="Each of the workplan's priority ids exactly once, in the new "
        "order; they are numbered 1..n.",
    )


class ActionSerializer(VisibleChoicesMixin, serializers.ModelSerializer):
    workstream = SlugRelatedField(
        source="workplan.workstream", slug_field="slug", read_only=True
    )
    milestones = NestedMilestoneSerializer(many=True, read_only=True)
    percent_complete = PercentCompleteField()
    principles = principle_numbers(many=True, required=False)
    percent_complete_by_hand = serializers.IntegerField(
        source="percent_complete",
        read_only=True,
        allow_null=True,
        help_text="The figure set by hand on the site, if any (it wins).",
    )

    class Meta:
        model = Action
        fields = [
            "id",
            "workstream",
            "workplan",
            "priority",
            "title",
            "description",
            "lead_organisation",
            "lead_person",
            "status",
            "rag",
            "is_next_step",
            "start_date",
            "due_date",
            "completed_on",
            "source",
            "activities",
            "recommendations",
            "principles",
            "archived_at",
            "carried_from",
            "milestones",
            "percent_complete",
            "percent_complete_by_hand",
            "row_version",
            "updated_at",
        ]
        read_only_fields = [
            "source",
            "archived_at",
            "carried_from",
            "row_version",
            "updated_at",
        ]
        extra_kwargs = {
            "activities": {"required": False},
            "recommendations": {"required": False},
        }

    def validate(self, attrs):
        workplan = attrs.get("workplan")
        moved = workplan is not None and self.instance is not None
        if moved and workplan.pk != self.instance.workplan_id:
            raise serializers.ValidationError(
                {"workplan": "An action cannot move to another workplan."}
            )
        return attrs


class ProgressUpdateSerializer(VisibleChoicesMixin, serializers.ModelSerializer):
    author = PersonField(help_text="The author's id; null to the public (ADR 26).")
    clear_rag = serializers.BooleanField(
        write_only=True,
        required=False,
        help_text="true: clear the action's rating (with rag left blank).",
    )
    evidence_files = EvidenceFileSerializer(many=True, read_only=True)

    class Meta:
        model = ProgressUpdate
        fields = [
            "id",
            "action",
            "author",
            "reported_on",
            "text",
            "status",
            "rag",
            "clear_rag",
            "rag_cleared",
            "evidence_link",
            "evidence_files",
            "created_at",
        ]
        read_only_fields = ["author", "rag_cleared", "created_at"]
