"""Load a Marmot place's data directory into the database (ADR 0003).

A data directory holds ``programme.json`` (the place, its areas, organisations,
workstreams, logic models, workplans with priorities and actions,
recommendations, and the workstreams' output KPIs), ``measures.json`` and the
outcome-measure table as published (see :mod:`indicators.measures.reading`).
The Marmot principles come from the programme's own ``principles`` list if it
has one, else from the shared ``data/marmot-principles.json``. Keys called
``note`` document the data and are ignored. A logic-model outcome with no
measure yet may carry an ``awaiting_measure``: an outcome measure is made for
it, with no values, so pages show it as awaiting data. Output KPIs are written through
:mod:`workstreams.services.kpis` (the load is not a user: no permission check);
they carry no values or targets, which chairs and partners record on the site.

:func:`programme_load` checks the measures first, then writes everything through
the services in one transaction, collecting every problem; if there is any, it
raises :class:`ProgrammeLoadError` and nothing is written. Loading again writes
nothing new. No place is named here: the place is data. Every history row the
load writes is marked "data load" (:mod:`marmot.history`): setting a place up is
not activity, so the changes page leaves it out.

The programme as a whole (system programmes, next steps, timeline,
evaluation, context measures and insight values) is loaded by
:mod:`workstreams.achievements_loader`, mixed in here.

The format (the keys each kind of object allows) and the reader that checks
it are in :mod:`workstreams.programme_format`.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_slug
from django.db import transaction

from indicators import models as indicator_models
from indicators.measures.reading import measures_read, read_json
from indicators.measures.writing import measures_write
from indicators.reporting_periods import PERIODS_IN_YEAR
from indicators.services import area_upsert, indicator_upsert
from marmot.history import DATA_LOAD, history_change_reason
from workstreams import models, services
from workstreams.achievements_loader import AchievementsLoading
from workstreams.programme_format import (
    ACTION_DATES,
    FORMAT_VERSION,
    ITEM_LISTS,
    ProgrammeLoadError,
    ProgrammeReader,
)
from workstreams.services import kpis as kpi_services

PROGRAMME_FILE = "programme.json"
Indicator = indicator_models.Indicator
OUTCOME = models.LogicModelItem.Kind.OUTCOME
OUTPUT = models.LogicModelItem.Kind.OUTPUT
#: A KPI's ``frequency``: one with a calendar of reporting periods.
KPI_FREQUENCIES = [f for f in Indicator.Frequency.values if f in PERIODS_IN_YEAR]
#: A KPI entry's keys that are its measure's fields, by the service's names.
KPI_MEASURE_KEYS = {
    "name": "name",
    "definition": "definition",
    "unit": "unit",
    "value_type": "value_type",
    "polarity": "polarity",
    "frequency": "update_frequency",
    "year_to_date": "year_to_date",
    "values_expected_from": "values_expected_from",
    "source": "source",
}
SHARED_PRINCIPLES_FILE = Path(settings.BASE_DIR) / "data" / "marmot-principles.json"


class _Loader(AchievementsLoading, ProgrammeReader):
    """One load: the file being read, the problems found, what was written."""

    def __init__(self, path: Path, report: Callable[[str], None]):
        super().__init__(path)
        self.report = report
        self.principles: dict[int, indicator_models.MarmotPrinciple] = {}
        self.organisations: dict[str, models.Organisation] = {}
        self.workstreams: dict[str, models.Workstream] = {}
        self.recommendations: dict[str, models.Recommendation] = {}
        self.activities: dict[str, dict[str, models.LogicModelItem]] = {}
        self.outputs: dict[str, dict[str, models.LogicModelItem]] = {}
        self.indicators: dict[str, indicator_models.Indicator] = {}
        #: Codes of the outcome-measure table's measures (measures.json).
        self.measure_codes: set[str] = set()
        self.awaiting: dict[str, str] = {}  # code -> where it was first given

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
            kpi_links = self.kpi_links(workstream, entry.get("version"))
            data = []
            for key, kind in ITEM_LISTS.items():
                for position, (item_where, item) in enumerate(
                    self.each(entry, key, where, "item"), start=1
                ):
                    codes = item.get("indicators", [])
                    links = self.find(
                        self.indicators, codes, f"{item_where}.indicators", "indicator"
                    )
                    if "awaiting_measure" in item:
                        measure = self.awaiting_measure(
                            item["awaiting_measure"],
                            f"{item_where}.awaiting_measure",
                            kind=kind,
                            workstream=workstream,
                        )
                        links += [measure] if measure is not None else []
                    if kind == OUTPUT:
                        links += kpi_links.get(position, [])
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
                    outputs = logic_model.items.filter(kind=OUTPUT)
                    self.outputs[slug] = {item.text: item for item in outputs}
        self.report(f"  logic models: {count} ({items} items)")
        if self.awaiting:
            self.report(f"  outcomes awaiting a measure: {len(self.awaiting)}")

    @staticmethod
    def kpi_links(workstream, version) -> dict[int, list]:
        """By output position: the measures of the KPIs that count the output
        of this logic model version now, so that writing the model again keeps
        its outputs linked to them (the KPIs link themselves; see load_kpis)."""
        if workstream is None or not isinstance(version, int):
            return {}
        found: dict[int, list] = {}
        for kpi in models.Kpi.objects.filter(
            output__logic_model__workstream=workstream,
            output__logic_model__version=version,
        ).select_related("output", "indicator"):
            found.setdefault(kpi.output.position, []).append(kpi.indicator)
        return found

    def awaiting_measure(self, entry: Any, where: str, *, kind: str, workstream):
        """The outcome's measure awaiting data: an outcome measure with no
        values yet, linked to the outcome and the workstream (None if wrong)."""
        if kind != OUTCOME:
            self.problem(where, "only an outcome can await a measure")
            return None
        if not (entry := self.shape(entry, "awaiting_measure", where)):
            return None
        code = entry["code"]
        problems = len(self.problems)
        try:
            validate_slug(code)
            if len(code) > Indicator._meta.get_field("code").max_length:
                raise ValueError
        except (TypeError, ValueError, ValidationError):
            self.problem(f"{where}.code", f"{code!r} is not a code (a slug)")
            return None
        if code in self.measure_codes:
            self.problem(
                f"{where}.code",
                f"{code!r} is a measure of the outcome-measure table: list it "
                "in the outcome's indicators instead",
            )
        elif code in self.awaiting:
            self.problem(
                f"{where}.code", f"{code!r} is also given at {self.awaiting[code]}"
            )
        elif (
            code in self.indicators
            and self.indicators[code].kind != Indicator.Kind.OUTCOME
        ):
            self.problem(f"{where}.code", f"{code!r} is the code of an output KPI")
        self.awaiting.setdefault(code, where)
        fields = {
            "value_type": self.choice(
                entry, "value_type", Indicator.ValueType, where, ""
            ),
            "polarity": self.choice(entry, "polarity", Indicator.Polarity, where, ""),
            "name": self.text(entry, "name", where, max_length=300, blank=False),
            "unit": self.text(entry, "unit", where, max_length=40),
            "definition": self.text(entry, "definition", where, max_length=10_000),
        }
        principle, number = None, entry.get("principle")
        if isinstance(number, bool) or not isinstance(number, int | None):
            self.problem(f"{where}.principle", "expected a principle's number")
        elif number is not None:
            principle = self.find(
                self.principles, number, f"{where}.principle", "principle"
            )
        if workstream is None or len(self.problems) > problems:
            return None
        with self.at(where):
            indicator = indicator_upsert(
                code=code,
                **fields,
                principle=principle,
                workstreams=[workstream],
                kind=Indicator.Kind.OUTCOME,
            )
            self.indicators[code] = indicator
            return indicator
        return None

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

    def organisation_named(self, entry: dict, key: str, where: str):
        """The organisation ``entry[key]`` names (name or short name); a
        problem at ``where.key`` (and None) if it is not a name or names none."""
        name = entry[key]
        if not isinstance(name, str):
            self.problem(f"{where}.{key}", "expected a name")
            return None
        return self.find(self.organisations, name, f"{where}.{key}", "organisation")

    # --- output KPIs ------------------------------------------------------

    def kpi_fields(self, entry: dict, where: str, slug: str) -> dict | None:
        """The KPI entry's fields as the KPI services take them, only the keys
        the entry gives (None if any is wrong: the problems are reported)."""
        problems = len(self.problems)
        fields: dict[str, Any] = {}
        for key, choices, default in (
            ("value_type", Indicator.ValueType, Indicator.ValueType.COUNT),
            ("polarity", Indicator.Polarity, Indicator.Polarity.HIGH_IS_GOOD),
            ("year_to_date", Indicator.YearToDate, None),
        ):
            if key in entry:
                fields[key] = self.choice(entry, key, choices, where, default)
        if "frequency" in entry and entry["frequency"] not in KPI_FREQUENCIES:
            self.problem(
                f"{where}.frequency",
                f"{entry['frequency']!r} is not one of: {', '.join(KPI_FREQUENCIES)}",
            )
        elif "frequency" in entry:
            fields["frequency"] = entry["frequency"]
        for key, max_length, blank in (
            ("name", 300, False),
            ("unit", 40, False),
            ("definition", 10_000, True),
            ("source", 300, True),
        ):
            if key in entry:
                fields[key] = self.text(
                    entry, key, where, max_length=max_length, blank=blank
                )
        if "values_expected_from" in entry:
            dates = self.dates(entry, ("values_expected_from",), where)
            fields.update(dates or {})
        if "code" in entry:
            code = entry["code"]
            try:
                validate_slug(code)
                if len(code) > Indicator._meta.get_field("code").max_length:
                    raise ValueError
            except (TypeError, ValueError, ValidationError):
                self.problem(f"{where}.code", f"{code!r} is not a code (a slug)")
        output = entry["output"]
        outputs = self.outputs.get(slug, {})
        if not isinstance(output, str) or output not in outputs:
            self.problem(
                f"{where}.output",
                f"no output {output!r} in the current logic model of {slug!r}",
            )
        else:
            fields["output"] = outputs[output]
        if "activities" in entry:
            texts = entry["activities"]
            if not isinstance(texts, list) or not all(
                isinstance(t, str) for t in texts
            ):
                self.problem(f"{where}.activities", "expected a list of activity texts")
            else:
                fields["activities"] = self.find(
                    self.activities.get(slug, {}),
                    texts,
                    f"{where}.activities",
                    f"activity of the current logic model of {slug!r}",
                )
        if entry.get("reporting_organisation") is not None:
            fields["reporting_organisation"] = self.organisation_named(
                entry, "reporting_organisation", where
            )
        if len(self.problems) > problems:
            return None
        return {KPI_MEASURE_KEYS.get(key, key): value for key, value in fields.items()}

    def kpi_existing(self, workstream, fields: dict, code: str | None, where: str):
        """The KPI this entry describes, if loaded before: by its code, or by
        its workstream and output (the one named as the entry names it first)."""
        if code is not None:
            indicator = Indicator.objects.filter(code=code).first()
            if indicator is None:
                return None
            kpi = models.Kpi.objects.filter(indicator=indicator).first()
            if kpi is None or kpi.workstream_id != workstream.pk:
                self.problem(
                    f"{where}.code",
                    f"{code!r} is already the code of another measure"
                    if kpi is None
                    else f"{code!r} is a KPI of another workstream",
                )
            return kpi
        name = fields.get("name", fields["output"].text)
        candidates = models.Kpi.objects.filter(
            workstream=workstream, output=fields["output"]
        ).select_related("indicator")
        return min(
            candidates,
            key=lambda kpi: (kpi.indicator.name != name, kpi.pk),
            default=None,
        )

    def load_kpis(self, programme: dict) -> None:
        """The workstreams' output KPIs: each counts an output of the current
        logic model and the activities whose results it counts. A KPI loaded
        before (same code, or same workstream and output) is updated with the
        keys the entry gives; the others keep what chairs set on the site."""
        counts = {"kpis": 0, "new": 0}
        seen: dict[tuple, str] = {}
        positions: dict[str, int] = {}
        for where, entry in self.each(programme, "kpis", "$", "kpi"):
            slug = entry["workstream"]
            workstream = self.find(
                self.workstreams, slug, f"{where}.workstream", "workstream"
            )
            if workstream is None:
                continue
            positions[slug] = positions.get(slug, 0) + 1
            fields = self.kpi_fields(entry, where, slug)
            if fields is None:
                continue
            code = entry.get("code")
            key = ("code", code) if code else (slug, fields["output"].pk)
            if key in seen:
                what = f"code {code!r}" if code else "output"
                self.problem(where, f"the same {what} as {seen[key]}")
                continue
            seen[key] = where
            activities = fields.pop("activities", None)
            problems = len(self.problems)
            with self.at(where):
                kpi = self.kpi_existing(workstream, fields, code, where)
                if len(self.problems) > problems:
                    continue
                if kpi is not None:
                    kpi_services.kpi_update(
                        kpi=kpi, user=None, activities=activities, **fields
                    )
                else:
                    kpi_services.kpi_create(
                        workstream=workstream,
                        user=None,
                        name=fields.pop("name", fields["output"].text),
                        activities=activities,
                        display_order=positions[slug],
                        code=code,
                        **fields,
                    )
                    counts["new"] += 1
                counts["kpis"] += 1
        self.report("  output KPIs: {kpis} ({new} new)".format(**counts))


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
        loader.measure_codes = {
            entry.get("code") for entry in measures.metadata.values()
        }
        loader.load_logic_models(programme)
        loader.load_recommendations(programme)
        loader.load_workplans(programme)
        loader.load_kpis(programme)
        loader.load_programme_whole(programme, the_place)
        if loader.problems:
            raise ProgrammeLoadError(loader.problems)
