"""What the workstreams API's serializers share."""

from rest_framework import serializers

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
