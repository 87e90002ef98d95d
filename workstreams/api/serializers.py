"""Serializers for the workstreams API: they shape data; services write it."""

from django.contrib.auth import get_user_model
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from indicators.models import Indicator
from workstreams.models import (
    Action,
    LogicModel,
    LogicModelItem,
    MarmotPrinciple,
    Organisation,
    ProgressUpdate,
    Recommendation,
    Submission,
    Workplan,
    WorkplanPriority,
    Workstream,
)

WORKSTREAM_SLUG = {
    "slug_field": "slug",
    "queryset": Workstream.objects.all(),
}


def _dates_in_order(attrs, instance, start: str, end: str, *, strict=False) -> None:
    first = attrs.get(start, getattr(instance, start, None))
    last = attrs.get(end, getattr(instance, end, None))
    if first and last and (last <= first if strict else last < first):
        raise serializers.ValidationError(
            {end: f"{end.replace('_', ' ')} must be after {start.replace('_', ' ')}."}
        )


class PrincipleSerializer(serializers.ModelSerializer):
    class Meta:
        model = MarmotPrinciple
        fields = ["id", "number", "title", "short_title"]


class OrganisationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Organisation
        fields = [
            "id",
            "name",
            "short_name",
            "kind",
            "is_anchor_institution",
            "website",
        ]


class UserSummarySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.SerializerMethodField()

    def get_name(self, user) -> str:
        return user.get_full_name() or user.get_username()


class ActionCountsSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="workplan.pk")
    year_label = serializers.CharField(source="workplan.year_label")
    status = serializers.CharField(source="workplan.status")
    action_count = serializers.IntegerField()
    by_status = serializers.DictField(child=serializers.IntegerField())
    by_rag = serializers.DictField(child=serializers.IntegerField())


class LogicModelSummarySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    version = serializers.IntegerField()
    dated = serializers.DateField(allow_null=True)
    item_count = serializers.IntegerField()


class WorkstreamSerializer(serializers.ModelSerializer):
    chair = UserSummarySerializer(read_only=True, allow_null=True)
    principles = PrincipleSerializer(many=True, read_only=True)
    current_logic_model = serializers.SerializerMethodField()
    current_workplan = serializers.SerializerMethodField()

    class Meta:
        model = Workstream
        fields = [
            "slug",
            "name",
            "purpose",
            "chair",
            "chair_role",
            "display_order",
            "principles",
            "current_logic_model",
            "current_workplan",
        ]

    def _summary(self, workstream):
        return self.context["summaries"][workstream.pk]

    @extend_schema_field(LogicModelSummarySerializer(allow_null=True))
    def get_current_logic_model(self, workstream):
        logic_model = self._summary(workstream).logic_model
        if logic_model is None:
            return None
        return LogicModelSummarySerializer(logic_model).data

    @extend_schema_field(ActionCountsSerializer(allow_null=True))
    def get_current_workplan(self, workstream):
        summary = self._summary(workstream).workplan
        return ActionCountsSerializer(summary).data if summary else None


class WorkstreamWriteSerializer(serializers.ModelSerializer):
    """What officers send to create or change a workstream: users and
    principles by id. Responses use `WorkstreamSerializer`."""

    chair = serializers.PrimaryKeyRelatedField(
        queryset=get_user_model().objects.all(), allow_null=True, required=False
    )
    deputies = serializers.PrimaryKeyRelatedField(
        queryset=get_user_model().objects.all(), many=True, required=False
    )
    principles = serializers.PrimaryKeyRelatedField(
        queryset=MarmotPrinciple.objects.all(), many=True, required=False
    )

    class Meta:
        model = Workstream
        fields = [
            "slug",
            "name",
            "purpose",
            "chair",
            "chair_role",
            "deputies",
            "principles",
            "display_order",
        ]


class IndicatorLatestSerializer(serializers.Serializer):
    indicator = serializers.IntegerField(source="indicator.pk")
    name = serializers.CharField(source="indicator.name")
    period = serializers.SerializerMethodField()
    value = serializers.SerializerMethodField()
    assessments = serializers.SerializerMethodField()

    @extend_schema_field(OpenApiTypes.STR)
    def get_period(self, entry):
        return str(entry.value.period) if entry.value else None

    @extend_schema_field(OpenApiTypes.FLOAT)
    def get_value(self, entry):
        return entry.value.value if entry.value else None

    @extend_schema_field({"type": "object", "additionalProperties": {"type": "string"}})
    def get_assessments(self, entry):
        return {
            benchmark: assessment.result
            for benchmark, assessment in entry.assessments.items()
            if assessment is not None
        }


class ActionStatusSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    status = serializers.CharField()


class LogicModelItemSerializer(serializers.ModelSerializer):
    indicators = serializers.PrimaryKeyRelatedField(
        many=True, queryset=Indicator.objects.all(), required=False
    )
    latest = serializers.SerializerMethodField()
    actions = serializers.SerializerMethodField()

    class Meta:
        model = LogicModelItem
        fields = ["id", "kind", "text", "position", "indicators", "latest", "actions"]
        read_only_fields = ["id", "position"]

    @extend_schema_field(IndicatorLatestSerializer(many=True))
    def get_latest(self, item):
        if item.kind not in LogicModelItem.LINKS_TO_INDICATORS:
            return []
        latest = self.context.get("indicator_latest", {})
        entries = [latest[i.pk] for i in item.indicators.all() if i.pk in latest]
        return IndicatorLatestSerializer(entries, many=True).data

    @extend_schema_field(ActionStatusSerializer(many=True))
    def get_actions(self, item):
        if item.kind != LogicModelItem.Kind.ACTIVITY:
            return []
        return ActionStatusSerializer(item.actions.all(), many=True).data


class LogicModelSerializer(serializers.ModelSerializer):
    workstream = serializers.SlugRelatedField(**WORKSTREAM_SLUG)
    items = LogicModelItemSerializer(many=True, required=False)

    class Meta:
        model = LogicModel
        fields = [
            "id",
            "workstream",
            "version",
            "status",
            "dated",
            "hypothesis",
            "context",
            "barriers",
            "items",
            "row_version",
            "updated_at",
        ]
        read_only_fields = ["row_version", "updated_at"]
        validators = []


class WorkplanPrioritySerializer(serializers.ModelSerializer):
    class Meta:
        model = WorkplanPriority
        fields = ["id", "title", "description", "position"]


class WorkplanSerializer(serializers.ModelSerializer):
    workstream = serializers.SlugRelatedField(**WORKSTREAM_SLUG)
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

    def validate(self, attrs):
        _dates_in_order(attrs, self.instance, "starts_on", "ends_on", strict=True)
        return attrs


class ActionSerializer(serializers.ModelSerializer):
    workstream = serializers.SlugRelatedField(
        source="workplan.workstream", slug_field="slug", read_only=True
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
            "row_version",
            "updated_at",
        ]
        read_only_fields = ["source", "row_version", "updated_at"]
        extra_kwargs = {
            "activities": {"required": False},
            "recommendations": {"required": False},
            "principles": {"required": False},
        }

    def validate(self, attrs):
        _dates_in_order(attrs, self.instance, "start_date", "due_date")
        workplan = attrs.get("workplan")
        moved = workplan is not None and self.instance is not None
        if moved and workplan.pk != self.instance.workplan_id:
            raise serializers.ValidationError(
                {"workplan": "An action cannot move to another workplan."}
            )
        return attrs


class ProgressUpdateSerializer(serializers.ModelSerializer):
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
            "created_at",
        ]
        read_only_fields = ["author", "created_at"]


class RecommendationSerializer(serializers.ModelSerializer):
    workstream = serializers.SlugRelatedField(
        **WORKSTREAM_SLUG, allow_null=True, required=False
    )
    action_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Recommendation
        fields = [
            "id",
            "source",
            "source_title",
            "number",
            "text",
            "workstream",
            "principle",
            "action_count",
        ]


class SubmissionSerializer(serializers.ModelSerializer):
    workstream = serializers.SlugRelatedField(**WORKSTREAM_SLUG)
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

    def validate(self, attrs):
        _dates_in_order(attrs, self.instance, "start_date", "end_date")
        return attrs


class SubmissionAcceptSerializer(serializers.Serializer):
    workplan = serializers.PrimaryKeyRelatedField(
        queryset=Workplan.objects.all(),
        required=False,
        allow_null=True,
        help_text="Default: the workstream's latest workplan that is not closed.",
    )


class SubmissionReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(help_text="Shown to the partner.")
