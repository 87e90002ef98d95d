"""Is the workstream on track? (ADR 19) The judgement in force, the rule's own
with its reasons, and the override: read-only, as the site's pages show them.
Who set an override is named to signed-in users only ("a programme user" to
anonymous callers), as on the site."""

from rest_framework import serializers

from workstreams.on_track import Judgement


class OnTrackOverrideSerializer(serializers.Serializer):
    judgement = serializers.ChoiceField(choices=Judgement.choices)
    label = serializers.CharField()
    reason = serializers.CharField()
    set_by = serializers.CharField(help_text="As the caller may see them.")
    set_at = serializers.DateTimeField()
    rule_said = serializers.ChoiceField(
        choices=Judgement.choices, help_text="The rule's judgement when it was set."
    )
    applies = serializers.BooleanField(
        help_text="False once the rule has changed its judgement: the override "
        "has lapsed and the rule's judgement is in force."
    )


class OnTrackSerializer(serializers.Serializer):
    judgement = serializers.ChoiceField(
        choices=Judgement.choices, help_text="In force: the override's, if it applies."
    )
    label = serializers.CharField()
    overridden = serializers.BooleanField()
    rule_judgement = serializers.ChoiceField(
        choices=Judgement.choices, source="computed.judgement"
    )
    rule_label = serializers.CharField(source="computed.label")
    rule_reasons = serializers.ListField(
        child=serializers.CharField(), source="computed.reasons"
    )
    override = OnTrackOverrideSerializer(allow_null=True)
