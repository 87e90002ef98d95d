"""The fixed parameters of the synthetic programme (`bench.synthetic`).

The prefixes that mark every synthetic row, the sizes per factor 1, the choices
and words rows are drawn from, and `scale_data_counts`: how many rows of each
kind a factor gives. Nothing here touches the database.
"""

from collections.abc import Callable

from workstreams.models import Action, Organisation, Workplan

PREFIX = "synthetic-"
AREA_PREFIX = "SYN"
BATCH = 5000
PERIODS = 15
AREAS_PER_INDICATOR = 20
WARDS = 20
DECILES = 10
BREAKDOWNS_FROM_FACTOR = 3
YEARS = (
    ("2023/24", 2023, Workplan.Status.CLOSED),
    ("2024/25", 2024, Workplan.Status.SIGNED_OFF),
)
ACTION_STATUSES = [s for s, _ in Action.Status.choices]
RAGS = [r for r, _ in Action.Rag.choices]
KINDS = [k for k, _ in Organisation.Kind.choices]
WORDS = [
    "housing",
    "warm",
    "homes",
    "employment",
    "skills",
    "schools",
    "early",
    "years",
    "food",
    "poverty",
    "debt",
    "advice",
    "green",
    "spaces",
    "transport",
    "smoking",
    "physical",
    "activity",
    "mental",
    "health",
    "community",
    "safety",
    "apprenticeships",
    "childcare",
    "benefits",
    "outreach",
]

Progress = Callable[[str, int], None]


def scaled(base: float, factor: float) -> int:
    """``base × factor`` rounded, never below one."""
    return max(1, round(base * factor))


def scale_data_counts(*, factor: float) -> dict[str, int]:
    """How many rows of each kind `scale_data_generate` writes at ``factor``."""
    workstreams = scaled(4, factor)
    workplans = workstreams * len(YEARS)
    actions_per_workplan = max(1, round(scaled(1000, factor) / workplans))
    actions = workplans * actions_per_workplan
    indicators = scaled(50, factor)
    areas = min(300, max(AREAS_PER_INDICATOR, scaled(30, factor)))
    whole = indicators * AREAS_PER_INDICATOR * PERIODS
    breakdowns = (
        indicators * 3 * (WARDS + DECILES) if factor >= BREAKDOWNS_FROM_FACTOR else 0
    )
    return {
        "workstreams": workstreams,
        "workplans": workplans,
        "actions": actions,
        "progress_updates": actions * 10,
        "indicators": indicators,
        "areas": areas,
        "values": whole + breakdowns,
        "assessments": indicators * PERIODS,
    }
