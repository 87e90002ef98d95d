"""Helpers every service uses: idempotent upserts and many-to-many updates.

Rows with a ``row_version`` (the API's ETag) get it bumped on every change to an
existing row, here, so no entry point can forget.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, TypeVar

from django.db import models
from django.db.models import F
from django.utils import timezone

M = TypeVar("M", bound=models.Model)


def record_upsert(
    *, model: type[M], lookup: Mapping[str, Any], values: Mapping[str, Any]
) -> tuple[M, bool]:
    """Apply ``values`` to the row matching ``lookup`` (a new one if none).

    ``full_clean()`` and ``save()`` only if the row is new or a value changed, so
    repeating an upsert writes nothing. Returns the row and whether it was saved.
    """
    instance = model.objects.filter(**lookup).first()
    if instance is None:
        instance = model(**lookup)
    changed = instance._state.adding
    for name, value in values.items():
        if changed or _current(instance, name) != _comparable(value):
            setattr(instance, name, value)
            changed = True
    if changed:
        if not instance._state.adding and _has_row_version(model):
            instance.row_version += 1
        instance.full_clean()
        instance.save()
    return instance, changed


def _current(instance: models.Model, name: str) -> Any:
    """A field's value; for a foreign key its id, so no query is made."""
    field = instance._meta.get_field(name)
    if field.many_to_one or field.one_to_one:
        return getattr(instance, field.attname)
    return getattr(instance, name)


def _comparable(value: Any) -> Any:
    return value.pk if isinstance(value, models.Model) else value


def _has_row_version(model: type[models.Model]) -> bool:
    return any(f.name == "row_version" for f in model._meta.concrete_fields)


def row_version_bump(*, instance: models.Model) -> None:
    """Record that a row changed through its links (many-to-many) alone.

    Bumps ``row_version`` and ``updated_at`` in one UPDATE, without a history row
    (the link change has its own); a no-op for models without ``row_version``.
    """
    model = type(instance)
    if not _has_row_version(model):
        return
    model.objects.filter(pk=instance.pk).update(
        row_version=F("row_version") + 1, updated_at=timezone.now()
    )
    instance.refresh_from_db(fields=["row_version", "updated_at"])


def m2m_set(manager, objects: Iterable[models.Model] | None) -> bool:
    """Set a many-to-many relation (None leaves it alone); True if it changed."""
    if objects is None:
        return False
    wanted = {obj.pk for obj in objects}
    if set(manager.values_list("pk", flat=True)) == wanted:
        return False
    manager.set(wanted)
    return True


class StaleRowVersion(Exception):
    """The row changed since the caller read it (the API answers 412)."""


def row_version_claim(
    *, model: type[models.Model], pk: int, expected: int | None
) -> None:
    """Lock the row if it is still at ``expected``; raise StaleRowVersion if not.

    A conditional UPDATE: on PostgreSQL a second writer waits for the first to
    commit, then matches no row (its version moved on), so two writers racing
    past the API's check can never both win. ``expected=None`` checks nothing.
    Call it inside the writing service's transaction, before reading the row.
    """
    if expected is None:
        return
    claimed = model.objects.filter(pk=pk, row_version=expected).update(
        row_version=F("row_version")
    )
    if not claimed:
        raise StaleRowVersion(f"{model.__name__} {pk} is no longer at {expected}.")
