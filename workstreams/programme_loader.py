"""Load a Marmot place's data directory into the database (ADR 0003).

A data directory holds ``programme.json`` (the place, its areas, organisations,
workstreams, logic models, workplans with priorities and actions, and
recommendations), ``measures.json`` and the outcome-measure table as published
(see :mod:`indicators.measures_loader`). The Marmot principles come from the
programme's own ``principles`` list if it has one, else from the shared
``data/marmot-principles.json``. Keys called ``note`` document the data and are
ignored.

:func:`programme_load` checks the measures first, then writes everything through
the services in one transaction, collecting every problem; if there is any, it
raises :class:`ProgrammeLoadError` and nothing is written. Loading again writes
nothing new. No place is named here: the place is data.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction

from indicators import models as indicator_models
from indicators.measures_loader import (
    measures_read,
    measures_write,
    read_json,
    validation_messages,
)
from indicators.services import area_upsert
from workstreams import models, services

PROGRAMME_FILE = "programme.json"
SHARED_PRINCIPLES_FILE = Path(settings.BASE_DIR) / "data" / "marmot-principles.json"
FORMAT_VERSION = 1
NOTE = "note"

# Per kind of object: "required keys | optional keys".
SHAPES = {
    kind: tuple(set(keys.split()) for keys in spec.split("|"))
    for kind, spec in {
        "programme": "format_version place workstreams | principles organisations "
        "logic_models workplans recommendations",
        "principle": "number title | short_title",
        "place": "name service_name area country region | description "
        "nearest_neighbours",
        "area": "code name area_type | members",
        "organisation": "name | short_name kind is_anchor_institution website",
        "workstream": "slug name | purpose chair_role principles display_order",
        "logic_model": "workstream version | status dated hypothesis context "
        "barriers assumptions inputs activities outputs outcomes",
        "item": "text | indicators",
        "workplan": "workstream year_label starts_on ends_on | status signed_off_on "
        "signed_off_at priorities actions",
        "priority": "title | description",
        "action": "title | description priority lead_organisation lead_person status "
        "rag is_next_step start_date due_date completed_on activities "
        "recommendations principles",
        "recommendation": "source number text | source_title workstream principle",
    }.items()
}
# Kinds that may be written as a bare string, and the key the string fills.
SHORTHANDS = {"item": "text", "priority": "title"}
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


class _Loader:
    """One load: the file being read, the problems found, what was written."""

    def __init__(self, path: Path, report: Callable[[str], None]):
        self.path = path
        self.report = report
        self.problems: list[str] = []
        self.principles: dict[int, models.MarmotPrinciple] = {}
        self.organisations: dict[str, models.Organisation] = {}
        self.workstreams: dict[str, models.Workstream] = {}
        self.recommendations: dict[str, models.Recommendation] = {}
        self.activities: dict[str, dict[str, models.LogicModelItem]] = {}
        self.indicators: dict[str, indicator_models.Indicator] = {}

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

    # --- stages ----------------------------------------------------------

    def load_principles(self, principles: list) -> None:
        for where, entry in self.each(
            {"principles": principles}, "principles", "$", "principle"
        ):
            with self.at(where):
                principle = services.principle_upsert(**self.plain(entry))
                self.principles[principle.number] = principle
        self.report(f"  principles: {len(self.principles)}")

    def area(self, entry: Any, where: str, parent=None) -> Any:
        if not (entry := self.shape(entry, "area", where)):
            return None
        members = None
        if "members" in entry:
            pairs = self.each(entry, "members", where, "area")
            members = [m for w, e in pairs if (m := self.area(e, w))]
        with self.at(where):
            return area_upsert(
                **self.plain(entry, "members"), parent=parent, members=members
            )

    def load_place(self, entry: Any) -> models.Place | None:
        if not (entry := self.shape(entry, "place", "$.place")):
            return None
        country = self.area(entry["country"], "$.place.country")
        region = self.area(entry["region"], "$.place.region", parent=country)
        areas = {
            "country": country,
            "region": region,
            "area": self.area(entry["area"], "$.place.area", parent=region),
            "nearest_neighbours": None,
        }
        if entry.get("nearest_neighbours") is not None:
            neighbours = entry["nearest_neighbours"]
            areas["nearest_neighbours"] = self.area(
                neighbours, "$.place.nearest_neighbours"
            )
        with self.at("$.place"):
            place = services.place_upsert(**{**self.plain(entry), **areas})
            count = sum(area is not None for area in areas.values())
            self.report(f"  place: {place.name} ({count} areas)")
            return place
        return None

    def load_organisations(self, programme: dict) -> None:
        for where, entry in self.each(programme, "organisations", "$", "organisation"):
            with self.at(where):
                organisation = services.organisation_upsert(**self.plain(entry))
                self.organisations[organisation.name] = organisation
                if organisation.short_name:
                    self.organisations[organisation.short_name] = organisation
        count = len({o.pk for o in self.organisations.values()})
        self.report(f"  organisations: {count}")

    def load_workstreams(self, programme: dict) -> None:
        pairs = self.each(programme, "workstreams", "$", "workstream")
        for position, (where, entry) in enumerate(pairs, start=1):
            numbers = entry.get("principles", [])
            principles = self.find(
                self.principles, numbers, f"{where}.principles", "principle"
            )
            with self.at(where):
                workstream = services.workstream_upsert(
                    **{"display_order": position, **self.plain(entry, "principles")},
                    principles=principles,
                )
                self.workstreams[workstream.slug] = workstream
        self.report(f"  workstreams: {len(self.workstreams)}")

    def load_logic_models(self, programme: dict) -> None:
        count = items = 0
        for where, entry in self.each(programme, "logic_models", "$", "logic_model"):
            slug = entry["workstream"]
            workstream = self.find(
                self.workstreams, slug, f"{where}.workstream", "workstream"
            )
            data = []
            for key, kind in ITEM_LISTS.items():
                for item_where, item in self.each(entry, key, where, "item"):
                    codes = item.get("indicators", [])
                    links = self.find(
                        self.indicators, codes, f"{item_where}.indicators", "indicator"
                    )
                    data.append(services.LogicModelItemData(kind, item["text"], links))
            fields = self.plain(entry, "workstream", *ITEM_LISTS)
            dates = self.dates(entry, ("dated",), where)
            if workstream is None or dates is None:
                continue
            fields.update(dates)
            with self.at(where):
                logic_model = services.logic_model_upsert(
                    workstream=workstream, items=data, **fields
                )
                count, items = count + 1, items + len(data)
                if logic_model.status == models.LogicModel.Status.CURRENT:
                    activities = logic_model.items.filter(kind=ITEM_LISTS["activities"])
                    self.activities[slug] = {item.text: item for item in activities}
        self.report(f"  logic models: {count} ({items} items)")

    def load_recommendations(self, programme: dict) -> None:
        for where, entry in self.each(
            programme, "recommendations", "$", "recommendation"
        ):
            links = {"workstream": None, "principle": None}
            for key, table in (
                ("workstream", self.workstreams),
                ("principle", self.principles),
            ):
                if entry.get(key) is not None:
                    links[key] = self.find(table, entry[key], f"{where}.{key}", key)
            with self.at(where):
                recommendation = services.recommendation_upsert(
                    **{**self.plain(entry), **links}
                )
                key = f"{recommendation.source}:{recommendation.number}"
                self.recommendations[key] = recommendation
        self.report(f"  recommendations: {len(self.recommendations)}")

    def load_workplans(self, programme: dict) -> None:
        counts = dict.fromkeys(("workplans", "priorities", "actions", "next steps"), 0)
        for where, entry in self.each(programme, "workplans", "$", "workplan"):
            slug = entry["workstream"]
            workstream = self.find(
                self.workstreams, slug, f"{where}.workstream", "workstream"
            )
            fields = self.plain(entry, "workstream", "priorities", "actions")
            dates = self.dates(entry, ("starts_on", "ends_on", "signed_off_on"), where)
            if workstream is None or dates is None:
                continue
            fields.update(dates)
            workplan = None
            with self.at(where):
                workplan = services.workplan_upsert(workstream=workstream, **fields)
                counts["workplans"] += 1
            if workplan is None:
                continue
            priorities = {}
            pairs = self.each(entry, "priorities", where, "priority")
            for position, (p_where, priority) in enumerate(pairs, start=1):
                with self.at(p_where):
                    row = services.workplan_priority_upsert(
                        workplan=workplan, position=position, **self.plain(priority)
                    )
                    priorities[row.title] = row
                    counts["priorities"] += 1
            for a_where, action in self.each(entry, "actions", where, "action"):
                if self.load_action(action, a_where, workplan, slug, priorities):
                    counts["actions"] += 1
                    counts["next steps"] += bool(action.get("is_next_step"))
        self.report(
            "  workplans: {workplans} ({priorities} priorities, {actions} actions, "
            "{next steps} of them next steps)".format(**counts)
        )

    def load_action(
        self, entry: dict, where: str, workplan, slug: str, priorities
    ) -> bool:
        references = {
            "priority": (priorities, "priority of this workplan"),
            "lead_organisation": (self.organisations, "organisation"),
            "activities": (
                self.activities.get(slug, {}),
                "activity of the current logic model",
            ),
            "recommendations": (self.recommendations, "recommendation (source:number)"),
            "principles": (self.principles, "principle"),
        }
        fields = self.plain(entry, *references)
        dates = self.dates(entry, ACTION_DATES, where)
        if dates is None:
            return False
        fields.update(dates)
        for key, (table, what) in references.items():
            if entry.get(key) is not None:
                fields[key] = self.find(table, entry[key], f"{where}.{key}", what)
        with self.at(where):
            services.action_upsert(workplan=workplan, **fields)
            return True
        return False


def programme_load(
    *, directory: Path, report: Callable[[str], None] = lambda message: None
) -> None:
    """Load a place's data directory; all or nothing, and idempotent.

    Raise ProgrammeLoadError or MeasuresLoadError listing every problem found,
    each naming its file and where in it (JSON path, or row and column).
    """
    directory = Path(directory)
    if not directory.is_dir():
        raise ProgrammeLoadError([f"{directory}: no such data directory"])
    path = directory / PROGRAMME_FILE
    try:
        programme = read_json(path)
        principles_path = path
        if not isinstance(programme, dict):
            raise ValueError(f"{path}: expected a JSON object")
        principles = programme.get("principles")
        if principles is None:
            principles_path = SHARED_PRINCIPLES_FILE
            principles = read_json(principles_path).get("principles", [])
    except ValueError as error:
        raise ProgrammeLoadError([str(error)]) from error
    if programme.get("format_version") != FORMAT_VERSION:
        raise ProgrammeLoadError([f"{path}: format_version must be {FORMAT_VERSION}"])
    place = programme.get("place") if isinstance(programme.get("place"), dict) else {}
    workstream_slugs = {
        w.get("slug") for w in programme.get("workstreams", []) if isinstance(w, dict)
    }
    principle_numbers = {p.get("number") for p in principles if isinstance(p, dict)}
    measures = measures_read(
        directory=directory,
        place_name=place.get("name", ""),
        country_name=(place.get("country") or {}).get("name", ""),
        principle_numbers=principle_numbers,
        workstream_slugs=workstream_slugs,
    )
    report(f"Checked {measures.table_path.name}: {len(measures.table.rows)} measures")

    with transaction.atomic():
        loader = _Loader(principles_path, report)
        loader.load_principles(principles)
        loader.path = path
        loader.shape(programme, "programme", "$")
        the_place = loader.load_place(programme.get("place"))
        loader.load_organisations(programme)
        loader.load_workstreams(programme)
        if the_place is not None and not loader.problems:
            measures_write(
                data=measures,
                place=the_place,
                principles=loader.principles,
                workstreams=loader.workstreams,
                report=report,
            )
        loader.indicators = {
            i.code: i for i in indicator_models.Indicator.objects.all()
        }
        loader.load_logic_models(programme)
        loader.load_recommendations(programme)
        loader.load_workplans(programme)
        if loader.problems:
            raise ProgrammeLoadError(loader.problems)
