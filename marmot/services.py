"""Helpers every service uses: idempotent upserts, many-to-many updates and
deletes that refuse to lose data.

Rows with a ``row_version`` (the API's ETag) get it bumped on every change to an
existing row, here, so no entry point can forget.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, ProtectedError, RestrictedError
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


class StateConflict(ValidationError):
    """The record's state refuses the change, whoever asks: a closed workplan,
    an action with a public record, a submission decided or moved meanwhile.
    Nothing is written. A ValidationError, so forms and the admin show it as
    one; the API answers 409 Conflict (``marmot.api.errors``)."""


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


# --- deletes ----------------------------------------------------------------

Uses = Mapping[tuple[str, str], int]  # (singular, plural) noun → how many


def _counted(count: int, nouns: tuple[str, str]) -> str:
    return f"{count} {nouns[0] if count == 1 else nouns[1]}"


def row_lock(instance: M) -> M:
    """The row again, locked until the transaction ends (FOR UPDATE).

    A delete service locks first and counts what uses the row after: on
    PostgreSQL a concurrent insert that references the row waits for the lock
    (its foreign-key check), so nothing can start using it unseen.
    """
    return type(instance)._default_manager.select_for_update().get(pk=instance.pk)


def row_delete(*, instance: models.Model, name: str, uses: Uses, advice: str) -> None:
    """Delete ``instance`` unless something in ``uses`` still refers to it.

    ``uses`` counts, per kind of row, what would be lost (or lose its link) if
    the row went: any non-zero count refuses the delete with a ValidationError
    (400 through the API) that names them, followed by ``advice``. Call it
    inside the service's transaction, on a row from :func:`row_lock`. A
    ``ProtectedError`` the counts missed is refused the same way, never a 500.
    """
    in_use = [_counted(count, nouns) for nouns, count in uses.items() if count]
    if in_use:
        raise ValidationError(
            f"{name} is still used by {_listed(in_use)}, so it cannot be deleted. "
            f"{advice}"
        )
    try:
        instance.delete()
    except (ProtectedError, RestrictedError) as error:
        raise ValidationError(
            f"{name} is still used by other records, so it cannot be deleted. {advice}"
        ) from error


def _listed(parts: list[str]) -> str:
    return parts[0] if len(parts) == 1 else f"{', '.join(parts[:-1])} and {parts[-1]}"
