"""Serializers for the programme: principles, organisations, workstreams and
recommendations."""

from django.contrib.auth import get_user_model
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from indicators.models import MarmotPrinciple
from marmot.api.fields import SlugRelatedField
from workstreams.api.serializers.common import (
    WORKSTREAM_SLUG,
    PersonSummaryField,
    PersonSummarySerializer,
    principle_numbers,
)
from workstreams.api.serializers.on_track import OnTrackSerializer
from workstreams.models import Organisation, Recommendation, Workstream


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


#: A user's id and name, as signed-in callers read them (`PersonSummaryField`).
UserSummarySerializer = PersonSummarySerializer


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
    chair = PersonSummaryField(
        help_text="The chair's id and name to signed-in callers; null to the "
        "public, who read the chair's role as published (`chair_role`, ADR 26)."
    )
    principles = PrincipleSerializer(many=True, read_only=True)
    current_logic_model = serializers.SerializerMethodField()
    current_workplan = serializers.SerializerMethodField()
    on_track = serializers.SerializerMethodField()

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
            "on_track",
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

    @extend_schema_field(OnTrackSerializer)
    def get_on_track(self, workstream):
        """Is it on track? The rule's judgement of the current workplan and any
        override (ADR 19)."""
        return OnTrackSerializer(self.context["on_track"][workstream.pk]).data


class WorkstreamWriteSerializer(serializers.ModelSerializer):
    """What officers send to create or change a workstream: users by id,
    principles by number. Responses use `WorkstreamSerializer`."""

    chair = serializers.PrimaryKeyRelatedField(
        queryset=get_user_model().objects.all(), allow_null=True, required=False
    )
    deputies = serializers.PrimaryKeyRelatedField(
        queryset=get_user_model().objects.all(), many=True, required=False
    )
    principles = principle_numbers(many=True, required=False)

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


class RecommendationSerializer(serializers.ModelSerializer):
    workstream = SlugRelatedField(**WORKSTREAM_SLUG, allow_null=True, required=False)
    principle = principle_numbers(
        allow_null=True,
        required=False,
        help_text="Marmot principle number (1-8); null for overarching.",
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
