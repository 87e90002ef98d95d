"""The logic model page (`/workstreams/<slug>/logic-model/`): one version of a
workstream's logic model laid out as inputs → activities → outputs → outcomes,
with the golden thread live (each activity's actions by status, each output's
and outcome's measures with their latest value and assessment), and what
changed since another version. A fixed number of queries whatever the size."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Prefetch
from django.http import Http404

from indicators.formatting import value_display
from indicators.models import Assessment, Indicator, IndicatorValue
from indicators.rules import visible_indicators
from indicators.selectors import IndicatorLatest, place_get
from marmot.whole_numbers import whole_number
from workstreams import rules, selectors
from workstreams.logic_model_diff import (
    ItemSnapshot,
    LogicModelDiff,
    ModelSnapshot,
    logic_model_diff,
)
from workstreams.models import Action, LogicModel, LogicModelItem, Workstream

Kind = LogicModelItem.Kind
FLOW = (
    (Kind.INPUT, "Inputs", "What the workstream puts in"),
    (Kind.ACTIVITY, "Activities", "What it does"),
    (Kind.OUTPUT, "Outputs", "What that produces"),
    (Kind.OUTCOME, "Outcomes", "What should change"),
)
STATUS_ORDER = {value: n for n, value in enumerate(Action.Status.values)}


class VersionHidden(Exception):
    """The version asked for exists but the visitor may not see it."""


@dataclass(frozen=True)
class Tally:
    value: str
    label: str
    count: int


@dataclass
class Measure:
    indicator: Indicator
    latest: IndicatorLatest | None
    value_text: str
    national: Assessment | None


@dataclass
class Entry:
    item: LogicModelItem
    actions: list[Action] = field(default_factory=list)
    tallies: list[Tally] = field(default_factory=list)
    measures: list[Measure] = field(default_factory=list)


@dataclass
class Column:
    kind: str
    label: str
    description: str
    step: int
    entries: list[Entry]


@dataclass
class LogicModelPage:
    workstream: Workstream
    national_name: str
    versions: list[LogicModel]
    reads_drafts: bool = False
    logic_model: LogicModel | None = None
    columns: list[Column] = field(default_factory=list)
    assumptions: list[LogicModelItem] = field(default_factory=list)
    compared_with: LogicModel | None = None
    diff: LogicModelDiff | None = None

    @property
    def steps(self) -> int:
        return len(self.columns)

    @property
    def other_versions(self) -> list[LogicModel]:
        return [v for v in self.versions if v != self.logic_model]

    @property
    def is_unwritten(self) -> bool:
        """The version shown holds nothing yet (a model said to exist whose
        content is not published): the page says "not yet written"
        and who can write it, not "version 1" of an empty model."""
        model = self.logic_model
        return (
            model is not None
            and not (model.hypothesis or model.context or model.barriers)
            and not any(column.entries for column in self.columns)
            and not self.assumptions
        )


def value_text(value: IndicatorValue | None) -> str:
    """A value with its indicator's decimals and unit (ADR 0017)."""
    return value_display(value, blank="No value yet")


def _version_number(params, name: str) -> int | None:
    raw = (params.get(name) or "").strip()
    if not raw:
        return None
    number = whole_number(raw)
    if number is None:
        raise Http404(f"There is no version {raw[:20]}.")
    return number


def _pick(user, versions: list[LogicModel], number: int) -> LogicModel:
    found = next((v for v in versions if v.version == number), None)
    if found is None:
        raise Http404(f"This workstream has no version {number} of its logic model.")
    if not rules.can_view_logic_model(user, found):
        raise VersionHidden
    return found


def choose_versions(
    *, user, versions: list[LogicModel], params
) -> tuple[list[LogicModel], LogicModel | None, LogicModel | None]:
    """The versions the user may see, the one to show (``?version=``, else the
    current one, else the newest the user may see) and the one to compare it
    with (``?compare=``). Unknown versions: 404; hidden ones: VersionHidden."""
    visible = [v for v in versions if rules.can_view_logic_model(user, v)]
    number = _version_number(params, "version")
    other = _version_number(params, "compare")
    if number is not None:
        shown = _pick(user, versions, number)
    else:
        current = [v for v in visible if v.status == LogicModel.Status.CURRENT]
        shown = (current or visible or [None])[0]
    compared = _pick(user, versions, other) if other is not None else None
    if shown is None or compared == shown:
        compared = None
    return visible, shown, compared


def _loaded(user, pks: list[int]) -> dict[int, LogicModel]:
    indicators = visible_indicators(user, Indicator.objects.all()).order_by(
        "display_order", "name"
    )
    actions = rules.visible_actions(
        user, Action.objects.select_related("workplan").order_by("title", "pk")
    )
    items = LogicModelItem.objects.order_by("kind", "position", "id").prefetch_related(
        Prefetch("indicators", queryset=indicators),
        Prefetch("actions", queryset=actions),
    )
    rows = LogicModel.objects.filter(pk__in=pks).prefetch_related(
        Prefetch("items", queryset=items)
    )
    return {row.pk: row for row in rows}


def _tallies(actions: list[Action]) -> list[Tally]:
    counts = selectors.action_status_counts(actions)
    return [
        Tally(value, label, counts[value])
        for value, label in Action.Status.choices
        if counts.get(value)
    ]


def _entry(item: LogicModelItem, latest: dict[int, IndicatorLatest]) -> Entry:
    entry = Entry(item)
    if item.kind == Kind.ACTIVITY:
        entry.actions = sorted(
            item.actions.all(), key=lambda a: (STATUS_ORDER.get(a.status, 99), a.title)
        )
        entry.tallies = _tallies(entry.actions)
    elif item.kind in LogicModelItem.LINKS_TO_INDICATORS:
        for indicator in item.indicators.all():
            found = latest.get(indicator.pk)
            value = found.value if found else None
            entry.measures.append(
                Measure(
                    indicator=indicator,
                    latest=found,
                    value_text=value_text(value),
                    national=(
                        found.assessments.get(Assessment.Benchmark.NATIONAL)
                        if found
                        else None
                    ),
                )
            )
    return entry


def snapshot(logic_model: LogicModel) -> ModelSnapshot:
    """A loaded logic model (items prefetched) as the diff reads it."""
    items: dict[str, list[ItemSnapshot]] = {}
    for item in logic_model.items.all():
        names = tuple(i.name for i in item.indicators.all())
        items.setdefault(item.kind, []).append(ItemSnapshot(item.text, names))
    return ModelSnapshot(
        version=logic_model.version,
        hypothesis=logic_model.hypothesis,
        context=logic_model.context,
        barriers=logic_model.barriers,
        items=items,
    )


def logic_model_page(*, user, workstream: Workstream, params) -> LogicModelPage:
    """The page for ``workstream`` as ``user`` may see it, for the GET ``params``
    (``version``, ``compare``). Ten queries at most, whatever the data size."""
    versions = list(
        LogicModel.objects.filter(workstream=workstream)
        .only("pk", "workstream_id", "version", "status", "dated")
        .order_by("-version")
    )
    visible, shown, compared = choose_versions(
        user=user, versions=versions, params=params
    )
    place = place_get()
    page = LogicModelPage(
        workstream=workstream,
        national_name=place.country.name if place else "England",
        versions=visible,
        reads_drafts=rules.can_read_drafts_of(user, workstream.pk),
    )
    if shown is None:
        return page
    loaded = _loaded(user, [m.pk for m in (shown, compared) if m is not None])
    page.logic_model = loaded[shown.pk]
    latest = selectors.indicator_latest_by_id(
        user=user, logic_models=[page.logic_model]
    )
    by_kind: dict[str, list[LogicModelItem]] = {}
    for item in page.logic_model.items.all():
        by_kind.setdefault(item.kind, []).append(item)
    page.columns = [
        Column(
            kind,
            label,
            description,
            step,
            [_entry(item, latest) for item in by_kind.get(kind, [])],
        )
        for step, (kind, label, description) in enumerate(FLOW, start=1)
    ]
    page.assumptions = by_kind.get(Kind.ASSUMPTION, [])
    if compared is not None:
        page.compared_with = loaded[compared.pk]
        page.diff = logic_model_diff(
            snapshot(page.logic_model), snapshot(page.compared_with)
        )
    return page
