"""Serializer fields shared by the API's serializers."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.fields import get_attribute

from workstreams import rules


class SlugRelatedField(serializers.SlugRelatedField):
    """DRF's SlugRelatedField, refusing a NUL character with a 400 before it
    reaches the database: PostgreSQL cannot compare text holding NUL, and the
    lookup would fail with a server error (found by the API fuzz test)."""

    default_error_messages = {
        **serializers.SlugRelatedField.default_error_messages,
        "null_character": "Null characters are not allowed.",
    }

    def to_internal_value(self, data):
        if isinstance(data, str) and "\x00" in data:
            self.fail("null_character")
        return super().to_internal_value(data)


# --- people (ADR 26) ----------------------------------------------------------


class PersonSummarySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


@extend_schema_field(
    {
        "type": "integer",
        "nullable": True,
        "readOnly": True,
        "description": "The user's id; null to anonymous callers (ADR 26).",
    }
)
class PersonField(serializers.Field):
    """A user as the caller may know them (`rules.shows_people`, ADR 26): their
    id to signed-in callers, null to the public. Read-only; the id is read from
    the foreign key, so the user is not loaded."""

    def __init__(self, **kwargs):
        kwargs["read_only"] = True
        kwargs.setdefault("allow_null", True)
        super().__init__(**kwargs)

    def reader(self):
        request = self.context.get("request")
        return getattr(request, "user", None)

    def get_attribute(self, instance):
        if not rules.shows_people(self.reader()):
            return None
        *path, last = self.source_attrs
        owner = get_attribute(instance, path) if path else instance
        if owner is not None and hasattr(owner, f"{last}_id"):
            return getattr(owner, f"{last}_id")
        return super().get_attribute(instance)

    def to_representation(self, value):
        return getattr(value, "pk", value)


@extend_schema_field(PersonSummarySerializer(allow_null=True, read_only=True))
class PersonSummaryField(PersonField):
    """A user as the caller may know them: ``{"id", "name"}`` to signed-in
    callers, null to the public (ADR 26)."""

    def get_attribute(self, instance):
        if not rules.shows_people(self.reader()):
            return None
        return serializers.Field.get_attribute(self, instance)

    def to_representation(self, value):
        return {"id": value.pk, "name": rules.person_label(self.reader(), value)}
