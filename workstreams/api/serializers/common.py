"""What the workstreams API's serializers share."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.fields import get_attribute

from indicators.models import MarmotPrinciple
from marmot.api.fields import SlugRelatedField
from workstreams import rules
from workstreams.models import Workstream

WORKSTREAM_SLUG = {
    "slug_field": "slug",
    "queryset": Workstream.objects.all(),
}


def principle_numbers(**kwargs) -> SlugRelatedField:
    """Marmot principles by number (1-8), in requests and responses alike, as
    indicators, the dashboard and the ``principle`` query parameters name
    them (issue 18): one way to refer to a principle."""
    kwargs.setdefault(
        "help_text", "Marmot principle numbers (1-8); none for overarching."
    )
    return SlugRelatedField(
        slug_field="number", queryset=MarmotPrinciple.objects.all(), **kwargs
    )


# The rows a write may name by id, by field name: what the caller may see (and,
# for a progress update's action, what they may post updates on).
VISIBLE_CHOICES = {
    "workplan": lambda user, rows: rules.visible_workplans(user, rows),
    "priority": lambda user, rows: rules.visible_workplans(
        user, rows, prefix="workplan__"
    ),
    "action": rules.actions_a_write_may_name,
}


class VisibleChoicesMixin:
    """A write names other rows by id (its workplan, priority or action). One
    the caller may not see is answered exactly as an id that does not exist,
    a 400 on that field, never a 403 that tells them it exists (issue 14,
    ADR 28)."""

    def get_fields(self):
        fields = super().get_fields()
        request = self.context.get("request")
        if request is None:
            return fields
        for name, scope in VISIBLE_CHOICES.items():
            field = fields.get(name)
            if isinstance(field, serializers.RelatedField) and not field.read_only:
                field.queryset = scope(request.user, field.queryset)
        return fields


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
