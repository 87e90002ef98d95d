"""Load a Marmot place's data directory into the database (ADR 0003).

A data directory holds ``programme.json`` (the place, its areas, organisations,
workstreams, logic models, workplans with priorities and actions, and
recommendations), ``measures.json`` and the outcome-measure table as published
(see :mod:`indicators.measures.reading`). The Marmot principles come from the
programme's own ``principles`` list if it has one, else from the shared
``data/marmot-principles.json``. Keys called ``note`` document the data and are
ignored.

:func:`programme_load` checks the measures first, then writes everything through
the services in one transaction, collecting every problem; if there is any, it
raises :class:`ProgrammeLoadError` and nothing is written. Loading again writes
nothing new. No place is named here: the place is data. Every history row the
load writes is marked "data load" (:mod:`marmot.history`): setting a place up is
not activity, so the changes page leaves it out.

The format (the keys each kind of object allows) and the reader that checks
it are in :mod:`workstreams.programme_format`.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction

from indicators import models as indicator_models
from indicators.measures.reading import measures_read, read_json
from indicators.measures.writing import measures_write
from indicators.services import area_upsert
from marmot.history import DATA_LOAD, history_change_reason
from workstreams import models, services
from workstreams.programme_format import (
    ACTION_DATES,
    FORMAT_VERSION,
    ITEM_LISTS,
    ProgrammeLoadError,
    ProgrammeReader,
)

PROGRAMME_FILE = "programme.json"
SHARED_PRINCIPLES_FILE = Path(settings.BASE_DIR) / "data" / "marmot-principles.json"


class _Loader(ProgrammeReader):
    """One load: the file being read, the problems found, what was written."""

    def __init__(self, path: Path, report: Callable[[str], None]):
        super().__init__(path)
        self.report = report
        self.principles: dict[int, indicator_models.MarmotPrinciple] = {}
        self.organisations: dict[str, models.Organisation] = {}
        self.workstreams: dict[str, models.Workstream] = {}
        self.recommendations: dict[str, models.Recommendation] = {}
        self.activities: dict[str, dict[str, models.LogicModelItem]] = {}
        self.indicators: dict[str, indicator_models.Indicator] = {}

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

    def load_place(self, entry: Any) -> indicator_models.Place | None:
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

    with transaction.atomic(), history_change_reason(DATA_LOAD):
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
