"""The ``programme.json`` format and a reader that checks it (ADR 0003).

:data:`SHAPES` says which keys each kind of object requires and allows;
:class:`ProgrammeReader` checks objects against them, reads lists, dates and
references to rows written earlier, and collects every problem with its JSON
path instead of stopping at the first. :class:`ProgrammeLoadError` reports them.
The loading itself (what is written, in which order) is in
:mod:`workstreams.programme_loader`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError

from indicators.measures.writing import validation_messages
from workstreams import models

FORMAT_VERSION = 1
NOTE = "note"

# Per kind of object: "required keys | optional keys".
SHAPES = {
    kind: tuple(set(keys.split()) for keys in spec.split("|"))
    for kind, spec in {
        "programme": "format_version place workstreams | principles organisations "
        "logic_models workplans recommendations kpis system_programmes "
        "programme_next_steps timeline evaluation context_measures insight_values",
        "principle": "number title | short_title",
        "place": "name service_name area country region | description "
        "nearest_neighbours",
        "area": "code name area_type | members",
        "organisation": "name | short_name kind is_anchor_institution website",
        "workstream": "slug name | purpose chair_role principles display_order",
        "logic_model": "workstream version | status dated hypothesis context "
        "barriers assumptions inputs activities outputs outcomes",
        "item": "text | indicators awaiting_measure",
        "awaiting_measure": "code name value_type polarity | unit definition principle",
        "workplan": "workstream year_label starts_on ends_on | status signed_off_on "
        "signed_off_at priorities actions",
        "priority": "title | description",
        "action": "title | description priority lead_organisation lead_person status "
        "rag is_next_step start_date due_date completed_on activities "
        "recommendations principles",
        "recommendation": "source number text | source_title workstream principle",
        "kpi": "workstream output unit | code name definition value_type polarity "
        "frequency year_to_date values_expected_from reporting_organisation source "
        "activities",
        # The programme as a whole (workstreams.achievements_loader).
        "system_programme": "slug name | description deliverables",
        "programme_action": "title | status rag lead_organisation lead_person "
        "progress_note due_date due_label completed_on",
        "milestone": "when starts items | ends highlight",
        "evaluation": "aims | title opportunities challenges",
        "finding": "text | details",
        "context_measure": "code name value_type polarity | unit multiplier "
        "definition principle source",
        "insight_value": "indicator period | category_type category value "
        "published_text value_note source",
    }.items()
}
# Kinds that may be written as a bare string, and the key the string fills.
SHORTHANDS = {"item": "text", "priority": "title", "finding": "text"}
ITEM_LISTS = {
    "assumptions": models.LogicModelItem.Kind.ASSUMPTION,
    "inputs": models.LogicModelItem.Kind.INPUT,
    "activities": models.LogicModelItem.Kind.ACTIVITY,
    "outputs": models.LogicModelItem.Kind.OUTPUT,
    "outcomes": models.LogicModelItem.Kind.OUTCOME,
}
ACTION_DATES = ("start_date", "due_date", "completed_on")


class ProgrammeLoadError(Exception):
    """The data directory could not be loaded; the message lists every problem."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        noun = "problem" if len(problems) == 1 else "problems"
        lines = "\n".join(f"  - {problem}" for problem in problems)
        super().__init__(f"{len(problems)} {noun} in the programme:\n{lines}")


class ProgrammeReader:
    """Checks the objects of one file, collecting the problems found."""

    def __init__(self, path: Path):
        self.path = path
        self.problems: list[str] = []

    def problem(self, where: str, message: str) -> None:
        self.problems.append(f"{self.path}: {where}: {message}")

    @contextmanager
    def at(self, where: str) -> Iterator[None]:
        """Record a service's ValidationError as a problem at ``where``; go on."""
        try:
            yield
        except ValidationError as error:
            self.problem(where, validation_messages(error))
        except (TypeError, ValueError) as error:
            self.problem(where, str(error))

    def shape(self, obj: Any, kind: str, where: str) -> dict | None:
        """The object, if it is a JSON object with the keys ``kind`` allows."""
        if not isinstance(obj, dict):
            self.problem(where, f"expected an object ({kind})")
            return None
        required, optional = SHAPES[kind]
        for key in sorted(required - obj.keys()):
            self.problem(where, f"{key} is missing")
        for key in sorted(obj.keys() - required - optional - {NOTE}):
            self.problem(where, f"unknown key {key}")
        return obj if required <= obj.keys() else None

    def each(self, obj: dict, key: str, where: str, kind: str = "") -> list:
        """(path, element) for each element of the list ``obj[key]`` (if any).

        With ``kind``, elements not of that shape are reported and dropped; a
        bare string stands for an item's text or a priority's title.
        """
        value = obj.get(key) or []
        if not isinstance(value, list):
            self.problem(f"{where}.{key}", "expected a list")
            return []
        found = []
        for index, element in enumerate(value):
            path = f"{where}.{key}[{index}]"
            if kind in SHORTHANDS and isinstance(element, str):
                element = {SHORTHANDS[kind]: element}
            if not kind or (element := self.shape(element, kind, path)):
                found.append((path, element))
        return found

    def dates(self, obj: dict, keys: tuple[str, ...], where: str) -> dict | None:
        """The dates at ``keys`` (None if absent); None if any is not a date."""
        found = {}
        for key in keys:
            value = obj.get(key)
            try:
                found[key] = None if value is None else dt.date.fromisoformat(value)
            except (TypeError, ValueError):
                self.problem(f"{where}.{key}", f"{value!r} is not a date (YYYY-MM-DD)")
                return None
        return found

    def choice(
        self, obj: dict, key: str, choices: Any, where: str, default: str
    ) -> str | None:
        """``obj[key]`` (``default`` if absent) if it is one of the TextChoices
        ``choices``' values; None (a problem reported) if not."""
        value = obj.get(key, default)
        if value in choices.values:
            return value
        allowed = ", ".join(choices.values)
        self.problem(f"{where}.{key}", f"{value!r} is not one of: {allowed}")
        return None

    def text(
        self, obj: dict, key: str, where: str, *, max_length: int, blank: bool = True
    ) -> str | None:
        """``obj[key]`` ("" if absent) if it is a string of at most
        ``max_length`` characters (and not blank unless ``blank``); None (a
        problem reported) if not."""
        value = obj.get(key, "")
        if not isinstance(value, str):
            self.problem(f"{where}.{key}", "expected a string")
            return None
        if not blank and not value.strip():
            self.problem(f"{where}.{key}", "must not be empty")
            return None
        if len(value) > max_length:
            self.problem(
                f"{where}.{key}", f"is {len(value)} characters; at most {max_length}"
            )
            return None
        return value

    def find(self, table: dict, keys: Any, where: str, what: str) -> Any:
        """Resolve a reference (or a list of them) to rows written earlier."""
        if isinstance(keys, list):
            return [row for key in keys if (row := self.find(table, key, where, what))]
        if keys not in table:
            self.problem(where, f"no {what} {keys!r} in this programme")
        return table.get(keys)

    @staticmethod
    def plain(entry: dict, *special: str) -> dict:
        """The entry's keys that pass straight to a service."""
        return {k: v for k, v in entry.items() if k not in {NOTE, *special}}
