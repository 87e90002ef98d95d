"""What the workstreams API's serializers share."""

from rest_framework import serializers

from workstreams import rules
from workstreams.models import Workstream

WORKSTREAM_SLUG = {
    "slug_field": "slug",
    "queryset": Workstream.objects.all(),
}


def dates_in_order(attrs, instance, start: str, end: str, *, strict=False) -> None:
    first = attrs.get(start, getattr(instance, start, None))
    last = attrs.get(end, getattr(instance, end, None))
    if first and last and (last <= first if strict else last < first):
        raise serializers.ValidationError(
            {end: f"{end.replace('_', ' ')} must be after {start.replace('_', ' ')}."}
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
