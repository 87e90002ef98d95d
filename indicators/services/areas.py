"""Writes for areas: places, their wards and deciles, and comparator groups."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction

from indicators.models import Area
from marmot.services import m2m_set, record_upsert


@transaction.atomic
def area_upsert(
    *,
    code: str,
    name: str,
    area_type: str,
    parent: Area | None = None,
    members: Iterable[Area] | None = None,
) -> Area:
    """Create or update an area, keyed by its code (the ONS GSS code if any).

    ``members`` (for a comparator group) replaces the group's areas; None leaves
    them alone.
    """
    area, _ = record_upsert(
        model=Area,
        lookup={"code": code},
        values={"name": name, "area_type": area_type, "parent": parent},
    )
    if members is not None:
        members = list(members)
        if any(member.pk == area.pk for member in members):
            raise ValidationError({"members": "An area cannot be its own member."})
    m2m_set(area.members, members)
    return area
