"""History in words: one renderer for every django-simple-history record.

Officers read history in the admin (each record's history page) and on the
site's pages; both say what happened as sentences, never raw values:

- fields by their verbose names ("Status", "RAG", "Due date");
- choices by their labels ("In consultation with partners"), blank as
  "not set", yes/no for booleans, dates as "3 December 2026";
- foreign keys by the related row's name (``str``), a row deleted since as
  "a priority since deleted" (never simple-history's "Deleted workplan
  priority (pk=None)", which it also shows for an empty key);
- lists of links (many-to-many) as what was added and removed;
- a created or deleted row named by what it was ("Deleted the workplan
  priority “Housing conditions”");
- people by display name (full name, else username), and to the public
  "a programme user" (ADR 26), never an id or an address;
- an empty change reason left out (no "Change reason None").

The functions that take a field and values read no database; only
`record_sentences`, which diffs two history records (``diff_against``), reads
the rows it names. It works for any model with history: nothing here names
a model.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import models
from django.utils import dateformat, timezone
from django.utils.text import Truncator, capfirst
from simple_history.models import DeletedObject

from marmot.history import DATA_LOAD
from marmot.principals import principal_for

NOT_SET = "not set"
PUBLIC_PERSON = "a programme user"
PERSON_NOT_RECORDED = "someone not recorded"
#: Fields whose changes say nothing to a reader (bookkeeping, secrets).
UNSHOWN_FIELDS = frozenset({"row_version", "token_hash", "password", "sha256"})
#: Text longer than this is said to have changed, not quoted.
QUOTED_CHARS = 120
#: Change reasons written by code, in words.
REASON_WORDS = {DATA_LOAD: "Loaded from the place's data files"}
#: Reasons that mean "no reason" (simple-history can store the text "None").
EMPTY_REASONS = frozenset({"", "None", "none"})


# --- people -------------------------------------------------------------------


def shows_people(reader) -> bool:
    """Whether ``reader`` may read people's names: signed-in users only."""
    return principal_for(reader).authenticated


def person_name(reader, person, *, not_recorded: str = PERSON_NOT_RECORDED) -> str:
    """Who ``person`` (a user, or None when nobody was recorded) is, as
    ``reader`` may know: their full name, else their username, to signed-in
    readers; "a programme user" to the public; never an id or an address."""
    if person is None:
        return not_recorded
    if not shows_people(reader):
        return PUBLIC_PERSON
    return person.get_full_name() or person.get_username()


# --- values -------------------------------------------------------------------


def field_label(field) -> str:
    """A field's name as a reader knows it: its verbose name, capitalised."""
    return capfirst(str(field.verbose_name))


def _is_deleted(value) -> bool:
    """simple-history's ``DeletedObject``: a related row that is gone (or, with
    a pk of None, a key that was empty)."""
    return isinstance(value, DeletedObject)


def _model_name(model) -> str:
    return str(model._meta.verbose_name)


def is_blank(value) -> bool:
    if _is_deleted(value):
        return value.pk is None
    return value is None or value == "" or value == [] or value == ()


def value_words(field, value, *, reader=None) -> str:
    """One value of ``field`` in words (the blank value is `NOT_SET`)."""
    if is_blank(value):
        return NOT_SET
    if _is_deleted(value):
        return f"a {_model_name(value.model)} since deleted"
    if isinstance(value, DeletedRow):
        return f"{value.name} (since deleted)"
    if isinstance(value, AbstractBaseUser):
        return person_name(reader, value)
    if field is not None and field.choices:
        labels = dict(field.flatchoices)
        return str(labels.get(value, value))
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, dt.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return dateformat.format(value, "j F Y, H:i")
    if isinstance(value, dt.date):
        return dateformat.format(value, "j F Y")
    if isinstance(value, float | Decimal):
        return f"{value:,}" if value != int(value) else f"{int(value):,}"
    if (
        isinstance(field, models.ForeignKey)
        and not isinstance(value, models.Model)
        and field.related_model is not None
    ):
        # A bare key (no row to hand): say what it points at, not its number.
        return f"a {_model_name(field.related_model)}"
    return str(value)


def _quoted(words: str) -> str:
    return words if words == NOT_SET else f"“{words}”"


def change_sentence(field, old, new, *, reader=None) -> str:
    """One field's change as a sentence, e.g. 'Status changed from “In
    consultation with partners” to “Signed off”.'"""
    label = field_label(field)
    if isinstance(field, models.TextField):
        texts = [str(v) for v in (old, new) if not is_blank(v)]
        if any(len(text) > QUOTED_CHARS or "\n" in text for text in texts):
            return f"{label} changed."
    before = _quoted(value_words(field, old, reader=reader))
    after = _quoted(value_words(field, new, reader=reader))
    if before == NOT_SET:
        return f"{label} set to {after}."
    if after == NOT_SET:
        return f"{label} cleared (was {before})."
    return f"{label} changed from {before} to {after}."


def links_sentence(field, added: Iterable[str], removed: Iterable[str]) -> str:
    """A list of links changed: what was added and what was removed."""
    added, removed = sorted(added), sorted(removed)
    parts = []
    if added:
        parts.append("added " + ", ".join(f"“{name}”" for name in added))
    if removed:
        parts.append("removed " + ", ".join(f"“{name}”" for name in removed))
    return f"{field_label(field)}: {'; '.join(parts) or 'changed'}."


def object_words(obj) -> str:
    """A row as named in a sentence: its ``str``, shortened."""
    return Truncator(str(obj)).chars(QUOTED_CHARS)


def created_sentence(model, name: str) -> str:
    return f"Created the {_model_name(model)} “{name}”."


def deleted_sentence(model, name: str) -> str:
    return f"Deleted the {_model_name(model)} “{name}”."


def reason_words(reason) -> str:
    """A change reason worth showing, in words; "" when there is none."""
    text = "" if reason is None else str(reason).strip()
    if text in EMPTY_REASONS:
        return ""
    return REASON_WORDS.get(text, text)


# --- records ------------------------------------------------------------------


class DeletedRow:
    """A related row since deleted, named from its own history."""

    def __init__(self, name: str):
        self.name = name


def _named_if_deleted(value):
    """A related row since deleted, by its last name in its history (one
    query; deleted rows are few), else as it is."""
    if not _is_deleted(value) or value.pk is None:
        return value
    history = getattr(value.model, "history", None)
    if history is None:
        return value
    pk_name = value.model._meta.pk.attname
    last = history.filter(**{pk_name: value.pk}).order_by("-history_id").first()
    return DeletedRow(record_name(last)) if last is not None else value


def _link_words(row: dict, name: str) -> tuple[Any, str]:
    target = row[name]
    if _is_deleted(target):
        return target.pk, value_words(None, _named_if_deleted(target))
    return target.pk, object_words(target)


def _links_change(model, change, reader) -> str:
    field = model._meta.get_field(change.field)
    name = field.m2m_reverse_field_name()
    old = dict(_link_words(row, name) for row in change.old)
    new = dict(_link_words(row, name) for row in change.new)
    added = [new[key] for key in new.keys() - old.keys()]
    removed = [old[key] for key in old.keys() - new.keys()]
    return links_sentence(field, added, removed)


def record_name(record) -> str:
    """What a history record was a version of, named by its ``str``."""
    try:
        return object_words(record.instance)
    except Exception:  # noqa: BLE001 - a str() reaching a row since deleted
        return f"{_model_name(record.instance_type)} {record.pk}"


def links_of(records) -> dict[tuple[int, str], dict[Any, str]]:
    """Each record's lists of links, {(history_id, field name): {key: name}},
    in one query per list whatever the number of records."""
    records = list(records)
    if not records:
        return {}
    found: dict[tuple[int, str], dict[Any, str]] = {
        (record.pk, field.name): {}
        for record in records
        for field in record._history_m2m_fields
    }
    for field in records[0]._history_m2m_fields:
        rows_model = getattr(type(records[0]), field.name).model
        target = field.m2m_reverse_field_name()
        rows = rows_model.objects.filter(
            history_id__in=[record.pk for record in records]
        ).select_related(target)
        for row in rows:
            key = getattr(row, f"{target}_id")
            obj = getattr(row, target, None)
            if obj is None:
                name = value_words(
                    None, _named_if_deleted(DeletedObject(field.related_model, key))
                )
            else:
                name = object_words(obj)
            found[(row.history_id, field.name)][key] = name
    return found


def record_sentences(record, previous=None, *, reader=None, links=None) -> list[str]:
    """What one history record did, as sentences: created or deleted (named),
    or each field that changed since ``previous`` (the record before it).
    ``links`` (from `links_of` over both records) saves the queries that
    comparing their lists of links would otherwise make."""
    model = record.instance_type
    if record.history_type == "+":
        return [created_sentence(model, record_name(record))]
    if record.history_type == "-":
        return [deleted_sentence(model, record_name(record))]
    if previous is None:
        return ["Changed (the version before is not recorded)."]
    m2m_names = [field.name for field in record._history_m2m_fields]
    delta = record.diff_against(
        previous,
        excluded_fields=m2m_names if links is not None else None,
        foreign_keys_are_objs=True,
    )
    order = {f.name: i for i, f in enumerate(model._meta.get_fields())}
    sentences = []
    for change in sorted(delta.changes, key=lambda c: order.get(c.field, 0)):
        if change.field in UNSHOWN_FIELDS:
            continue
        field = model._meta.get_field(change.field)
        if field.many_to_many:
            sentences.append(_links_change(model, change, reader))
        else:
            old, new = _named_if_deleted(change.old), _named_if_deleted(change.new)
            sentences.append(change_sentence(field, old, new, reader=reader))
    if links is not None:
        for name in m2m_names:
            old = links.get((previous.pk, name), {})
            new = links.get((record.pk, name), {})
            if old.keys() != new.keys():
                added = [new[key] for key in new.keys() - old.keys()]
                removed = [old[key] for key in old.keys() - new.keys()]
                field = model._meta.get_field(name)
                sentences.append(links_sentence(field, added, removed))
    return sentences or ["Saved with no change to what is shown."]


def records_sentences(records, *, reader=None, before=None) -> list[list[str]]:
    """Sentences for each of ``records`` (newest first, as history pages list
    them), each compared with the record after it in the list; the last with
    ``before`` (the record before them all), if any. Lists of links cost one
    query each for the whole list."""
    records = list(records)
    previous = [*records[1:], before]
    links = links_of([*records, *([before] if before is not None else [])])
    return [
        record_sentences(record, prior, reader=reader, links=links)
        for record, prior in zip(records, previous, strict=True)
    ]
