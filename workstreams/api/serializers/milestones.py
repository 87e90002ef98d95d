"""Milestones, % complete and evidence files as the API shows them."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.reverse import reverse

from workstreams.models import EvidenceFile, Milestone
from workstreams.page_selectors.milestones import action_percent
from workstreams.percent_complete import BY_HAND, MILESTONES, NOT_RECORDED


class MilestoneSerializer(serializers.ModelSerializer):
    done = serializers.BooleanField(read_only=True)

    class Meta:
        model = Milestone
        fields = ["id", "action", "title", "due_on", "done_on", "done", "position"]
        read_only_fields = ["position"]


class MilestoneUpdateSerializer(MilestoneSerializer):
    """The action a milestone belongs to never changes."""

    class Meta(MilestoneSerializer.Meta):
        read_only_fields = ["action"]


class NestedMilestoneSerializer(serializers.ModelSerializer):
    done = serializers.BooleanField(read_only=True)

    class Meta:
        model = Milestone
        fields = ["id", "title", "due_on", "done_on", "done", "position"]
        read_only_fields = fields


class PercentCompleteSerializer(serializers.Serializer):
    value = serializers.IntegerField(
        allow_null=True, help_text="0 to 100; null when not recorded."
    )
    source = serializers.ChoiceField(
        choices=[BY_HAND, MILESTONES, NOT_RECORDED],
        help_text="by_hand: set by hand (wins); milestones: done ÷ all, rounded; "
        "not_recorded: neither.",
    )
    words = serializers.CharField()


@extend_schema_field(PercentCompleteSerializer)
class PercentCompleteField(serializers.Field):
    """The action's % complete (`workstreams.percent_complete`), from its
    prefetched milestones."""

    def __init__(self, **kwargs):
        kwargs.update(source="*", read_only=True)
        super().__init__(**kwargs)

    def to_representation(self, action):
        shown = action_percent(action, list(action.milestones.all()))
        return {"value": shown.value, "source": shown.source, "words": shown.words}


class EvidenceFileSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="original_name", read_only=True)
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = EvidenceFile
        fields = ["id", "name", "content_type", "size", "download_url"]
        read_only_fields = fields

    def get_download_url(self, evidence) -> str:
        """The site's download address (the reader must be able to read the
        action; an attachment)."""
        return reverse(
            "evidence-download", args=[evidence.pk], request=self.context.get("request")
        )
