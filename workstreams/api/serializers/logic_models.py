"""Serializers for versioned logic models, their items and what they link to."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from indicators.models import Indicator
from marmot.api.fields import SlugRelatedField
from workstreams.api.serializers.common import WORKSTREAM_SLUG
from workstreams.models import LogicModel, LogicModelItem


class IndicatorLatestSerializer(serializers.Serializer):
    indicator = serializers.IntegerField(source="indicator.pk")
    name = serializers.CharField(source="indicator.name")
    period = serializers.SerializerMethodField()
    value = serializers.SerializerMethodField()
    assessments = serializers.SerializerMethodField()

    # Null for a measure with no value yet (an output KPI just added).
    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_period(self, entry):
        return str(entry.value.period) if entry.value else None

    @extend_schema_field(serializers.FloatField(allow_null=True))
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

    def validate(self, attrs):
        # A PATCH is partial, and DRF's partial reaches the items too; but the
        # items sent replace the items, so each needs its kind and text.
        missing = {
            name: [self.fields[name].error_messages["required"]]
            for name in ("kind", "text")
            if name not in attrs
        }
        if missing:
            raise serializers.ValidationError(missing)
        return attrs

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
    workstream = SlugRelatedField(**WORKSTREAM_SLUG)
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
        extra_kwargs = {
            "version": {
                "required": False,
                "help_text": "Left out when creating: the workstream's next "
                "version. Cannot change once made.",
            }
        }
        validators = []
