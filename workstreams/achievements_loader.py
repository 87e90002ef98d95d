"""Loading the programme as a whole from ``programme.json`` (ADR 0003).

The keys beside the workstreams (see data/README.md): ``system_programmes``
with their ``deliverables``, ``programme_next_steps``, the ``timeline``, the
``evaluation`` (aims, opportunities, challenges), and the place's insight:
``context_measures`` (measures the outcome-measure table does not hold) and
``insight_values`` (values and breakdowns of any measure, as published, an
empty value where the source gives only words). :class:`AchievementsLoading`
is mixed into the programme loader; every problem is reported with its JSON
path, and the load writes through the services, so loading again changes
nothing.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_slug

from indicators.models import Indicator
from indicators.services import indicator_upsert
from indicators.services.values import indicator_value_upsert, period_get_or_create
from workstreams.models import (
    EvaluationFinding,
    ProgrammeAction,
    ProgrammeMilestone,
    SystemProgramme,
)
from workstreams.services import achievements as services

MONTH = re.compile(r"^(\d{4})-(\d{2})$")
YEAR = re.compile(r"^(\d{4})$")
FINDING_LISTS = {
    "aims": EvaluationFinding.Kind.AIM,
    "opportunities": EvaluationFinding.Kind.OPPORTUNITY,
    "challenges": EvaluationFinding.Kind.CHALLENGE,
}


class AchievementsLoading:
    """The programme-wide stages of a load (mixed into the programme loader,
    a :class:`workstreams.programme_format.ProgrammeReader`)."""

    # --- small readers -----------------------------------------------------

    def _when(self, value: Any, where: str) -> tuple[dt.date, str] | None:
        """A ``YYYY-MM`` or ``YYYY`` as (first day, precision)."""
        if isinstance(value, str) and (match := MONTH.match(value)):
            year, month = int(match[1]), int(match[2])
            if 1 <= month <= 12:
                return dt.date(year, month, 1), ProgrammeMilestone.Precision.MONTH
        elif isinstance(value, str) and (match := YEAR.match(value)):
            return dt.date(int(match[1]), 1, 1), ProgrammeMilestone.Precision.YEAR
        self.problem(where, f"{value!r} is not a month (YYYY-MM) or a year (YYYY)")
        return None

    def _strings(self, obj: dict, key: str, where: str, *, required: bool) -> list:
        value = obj.get(key, [])
        if not isinstance(value, list) or not all(
            isinstance(v, str) and v.strip() for v in value
        ):
            self.problem(f"{where}.{key}", "expected a list of non-empty strings")
            return []
        if required and not value:
            self.problem(f"{where}.{key}", "must not be empty")
        return value

    def _programme_action_fields(self, entry: dict, where: str) -> dict | None:
        """The keys the entry gives, as the service takes them (None if any
        is wrong: the problems are reported)."""
        problems = len(self.problems)
        fields: dict[str, Any] = {}
        if "status" in entry:
            fields["status"] = self.choice(
                entry, "status", ProgrammeAction.Status, where, ""
            )
        if "rag" in entry and entry["rag"] != "":
            fields["rag"] = self.choice(entry, "rag", ProgrammeAction.Rag, where, "")
        elif "rag" in entry:
            fields["rag"] = ""
        for key, max_length in (
            ("lead_person", 200),
            ("progress_note", 10_000),
            ("due_label", 100),
        ):
            if key in entry:
                fields[key] = self.text(entry, key, where, max_length=max_length)
        dates = [key for key in ("due_date", "completed_on") if key in entry]
        if dates:
            fields.update(self.dates(entry, tuple(dates), where) or {})
        if entry.get("lead_organisation") is not None:
            fields["lead_organisation"] = self.organisation_named(
                entry, "lead_organisation", where
            )
        elif "lead_organisation" in entry:
            fields["lead_organisation"] = None
        if len(self.problems) > problems:
            return None
        return fields

    def _programme_action(
        self, entry: dict, where: str, *, kind: str, position: int, seen: dict, **kw
    ) -> bool:
        title = self.text(entry, "title", where, max_length=300, blank=False)
        fields = self._programme_action_fields(entry, where)
        if title is None or fields is None:
            return False
        if title in seen:
            self.problem(f"{where}.title", f"the same title as {seen[title]}")
            return False
        seen[title] = where
        with self.at(where):
            services.programme_action_upsert(
                kind=kind, title=title, position=position, **kw, **fields
            )
            return True
        return False

    # --- stages -------------------------------------------------------------

    def load_system_programmes(self, programme: dict) -> None:
        """System programmes and their deliverables, then the programme's own
        next steps."""
        counts = {"programmes": 0, "deliverables": 0, "next steps": 0}
        seen: dict[str, str] = {}
        pairs = self.each(programme, "system_programmes", "$", "system_programme")
        for position, (where, entry) in enumerate(pairs, start=1):
            slug = entry["slug"]
            try:
                validate_slug(slug)
                if len(slug) > SystemProgramme._meta.get_field("slug").max_length:
                    raise ValueError
            except (TypeError, ValueError, ValidationError):
                self.problem(f"{where}.slug", f"{slug!r} is not a slug")
                continue
            name = self.text(entry, "name", where, max_length=200, blank=False)
            description = self.text(entry, "description", where, max_length=10_000)
            if name is None or description is None:
                continue
            row = None
            with self.at(where):
                row = services.system_programme_upsert(
                    slug=slug,
                    name=name,
                    description=description,
                    display_order=position,
                )
                counts["programmes"] += 1
            if row is None:
                continue
            deliverables = self.each(entry, "deliverables", where, "programme_action")
            for d_position, (d_where, deliverable) in enumerate(deliverables, 1):
                counts["deliverables"] += self._programme_action(
                    deliverable,
                    d_where,
                    kind=ProgrammeAction.Kind.DELIVERABLE,
                    position=d_position,
                    seen=seen,
                    programme=row,
                )
        steps = self.each(programme, "programme_next_steps", "$", "programme_action")
        seen = {}
        for position, (where, entry) in enumerate(steps, start=1):
            counts["next steps"] += self._programme_action(
                entry,
                where,
                kind=ProgrammeAction.Kind.NEXT_STEP,
                position=position,
                seen=seen,
            )
        self.report(
            "  system programmes: {programmes} ({deliverables} deliverables); "
            "programme next steps: {next steps}".format(**counts)
        )

    def load_timeline(self, programme: dict) -> None:
        count = 0
        seen: dict[str, str] = {}
        for where, entry in self.each(programme, "timeline", "$", "milestone"):
            label = self.text(entry, "when", where, max_length=60, blank=False)
            starts = self._when(entry["starts"], f"{where}.starts")
            ends = None
            if entry.get("ends") is not None:
                ends = self._when(entry["ends"], f"{where}.ends")
                if ends and starts and ends[1] != starts[1]:
                    self.problem(f"{where}.ends", "must be given as starts is")
                    ends = None
                elif ends and starts and ends[0] < starts[0]:
                    self.problem(f"{where}.ends", "must not be before starts")
                    ends = None
            items = self._strings(entry, "items", where, required=True)
            highlight = entry.get("highlight", False)
            if not isinstance(highlight, bool):
                self.problem(f"{where}.highlight", "expected true or false")
                continue
            if label is None or starts is None or not items:
                continue
            if label in seen:
                self.problem(f"{where}.when", f"the same as {seen[label]}")
                continue
            seen[label] = where
            with self.at(where):
                services.programme_milestone_upsert(
                    label=label,
                    starts_on=starts[0],
                    precision=starts[1],
                    ends_on=ends[0] if ends else None,
                    items=items,
                    is_highlight=highlight,
                )
                count += 1
        self.report(f"  timeline: {count} milestones")

    def load_evaluation(self, programme: dict) -> None:
        if programme.get("evaluation") is None:
            return
        entry = self.shape(programme["evaluation"], "evaluation", "$.evaluation")
        if entry is None:
            return
        if self.text(entry, "title", "$.evaluation", max_length=200) is None:
            return
        count = 0
        for key, kind in FINDING_LISTS.items():
            pairs = self.each(entry, key, "$.evaluation", "finding")
            for position, (where, finding) in enumerate(pairs, start=1):
                text = self.text(finding, "text", where, max_length=10_000, blank=False)
                details = self._strings(finding, "details", where, required=False)
                if text is None:
                    continue
                with self.at(where):
                    services.evaluation_finding_upsert(
                        kind=kind, text=text, position=position, details=details
                    )
                    count += 1
        self.report(f"  evaluation: {count} aims and findings")

    def load_context_measures(self, programme: dict) -> None:
        """Measures the outcome-measure table does not hold, for the place's
        published insight (no workstream: they are context)."""
        count = 0
        for where, entry in self.each(
            programme, "context_measures", "$", "context_measure"
        ):
            problems = len(self.problems)
            code = entry["code"]
            try:
                validate_slug(code)
                if len(code) > Indicator._meta.get_field("code").max_length:
                    raise ValueError
            except (TypeError, ValueError, ValidationError):
                self.problem(f"{where}.code", f"{code!r} is not a code (a slug)")
                continue
            if code in self.measure_codes:
                self.problem(
                    f"{where}.code",
                    f"{code!r} is a measure of the outcome-measure table: give "
                    "its values in insight_values instead",
                )
            elif code in self.indicators and (
                self.indicators[code].kind != Indicator.Kind.OUTCOME
            ):
                self.problem(f"{where}.code", f"{code!r} is the code of an output KPI")
            fields = {
                "value_type": self.choice(
                    entry, "value_type", Indicator.ValueType, where, ""
                ),
                "polarity": self.choice(
                    entry, "polarity", Indicator.Polarity, where, ""
                ),
                "name": self.text(entry, "name", where, max_length=300, blank=False),
                "unit": self.text(entry, "unit", where, max_length=40),
                "definition": self.text(entry, "definition", where, max_length=10_000),
                "source": self.text(entry, "source", where, max_length=300),
            }
            multiplier = entry.get("multiplier", 1)
            if isinstance(multiplier, bool) or not isinstance(multiplier, int):
                self.problem(f"{where}.multiplier", "expected a whole number")
            principle, number = None, entry.get("principle")
            if isinstance(number, bool) or not isinstance(number, int | None):
                self.problem(f"{where}.principle", "expected a principle's number")
            elif number is not None:
                principle = self.find(
                    self.principles, number, f"{where}.principle", "principle"
                )
            if len(self.problems) > problems:
                continue
            with self.at(where):
                self.indicators[code] = indicator_upsert(
                    code=code,
                    **fields,
                    multiplier=multiplier,
                    principle=principle,
                    kind=Indicator.Kind.OUTCOME,
                )
                count += 1
        if count:
            self.report(f"  context measures: {count}")

    def load_insight_values(self, programme: dict, place) -> None:
        """Values of any measure for the place, breakdowns among them, as
        published: an empty value with the published words where the source
        gives no figure."""
        count = 0
        seen: dict[tuple, str] = {}
        for where, entry in self.each(
            programme, "insight_values", "$", "insight_value"
        ):
            problems = len(self.problems)
            code = entry["indicator"]
            if not isinstance(code, str) or code not in self.indicators:
                self.problem(
                    f"{where}.indicator",
                    f"no measure {code!r} in measures.json or context_measures",
                )
            fields = {
                key: self.text(entry, key, where, max_length=max_length)
                for key, max_length in (
                    ("category_type", 120),
                    ("category", 200),
                    ("published_text", 100),
                    ("value_note", 300),
                    ("source", 300),
                )
            }
            value = entry.get("value")
            if isinstance(value, bool) or not isinstance(value, int | float | None):
                self.problem(f"{where}.value", "expected a number or null")
            elif value is None and not fields["published_text"]:
                self.problem(
                    where, "give a value, or the published text when there is none"
                )
            if bool(fields["category_type"]) != bool(fields["category"]):
                self.problem(where, "category_type and category go together")
            if not isinstance(entry["period"], str):
                self.problem(f"{where}.period", "expected a period label")
            if place is None or len(self.problems) > problems:
                continue
            key = (code, entry["period"], fields["category_type"], fields["category"])
            if key in seen:
                self.problem(where, f"the same value as {seen[key]}")
                continue
            seen[key] = where
            with self.at(where):
                indicator_value_upsert(
                    indicator=self.indicators[code],
                    area=place.area,
                    period=period_get_or_create(label=entry["period"]),
                    value=value,
                    **fields,
                )
                count += 1
        if count:
            self.report(f"  insight values: {count}")

    def load_programme_whole(self, programme: dict, place) -> None:
        """Every programme-wide stage, in order."""
        self.load_system_programmes(programme)
        self.load_timeline(programme)
        self.load_evaluation(programme)
        self.load_context_measures(programme)
        self.load_insight_values(programme, place)
