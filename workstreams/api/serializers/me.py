"""The signed-in user's own record (`GET /api/v1/me/`): who they are, their
roles, the workstreams they chair or deputise and their organisation.

Only ever the caller's own record: what the public may know about other
people (ADR 26) is unchanged, and nothing here names anyone else.
"""

from rest_framework import serializers

from marmot import roles
from workstreams.selectors import CHAIR, DEPUTY


class MyWorkstreamSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    slug = serializers.CharField()
    name = serializers.CharField()
    role = serializers.ChoiceField(
        choices=[CHAIR, DEPUTY], help_text="Whether you chair it or deputise."
    )


class MyOrganisationSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    short_name = serializers.CharField()


class MeSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    username = serializers.CharField()
    full_name = serializers.CharField(help_text="Blank when not recorded.")
    email = serializers.EmailField(allow_blank=True)
    roles = serializers.ListField(
        child=serializers.ChoiceField(choices=list(roles.ALL_ROLES)),
        help_text="Your roles (`marmot.roles`): what the API lets you do. "
        "A workstream chair's workstreams are in `workstreams`; a partner's "
        "organisation in `organisation`.",
    )
    workstreams = MyWorkstreamSerializer(
        many=True, help_text="The workstreams you chair or deputise, in order."
    )
    organisation = MyOrganisationSerializer(
        allow_null=True,
        help_text="The organisation you belong to as a partner; null otherwise.",
    )
