"""Serializer fields shared by the API's serializers."""

from rest_framework import serializers


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
