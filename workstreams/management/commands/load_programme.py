"""manage.py load_programme DIR: load any Marmot place's data directory.

Each load, succeeded or failed, is recorded as an ImportRun (kind "Programme
data directory") that officers see in the admin's data imports: rows read is
the rows of the models below the directory now holds, values created the rows
the load added, values unchanged the rows that were there before it.
"""

import hashlib
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from indicators import models as indicator_models
from indicators.import_runs import import_run_record
from indicators.measures.reading import MeasuresLoadError
from workstreams import models
from workstreams.programme_loader import ProgrammeLoadError, programme_load

SUMMARY_MODELS = (
    ("principles", indicator_models.MarmotPrinciple),
    ("places", indicator_models.Place),
    ("areas", indicator_models.Area),
    ("organisations", models.Organisation),
    ("workstreams", models.Workstream),
    ("logic models", models.LogicModel),
    ("logic model items", models.LogicModelItem),
    ("workplans", models.Workplan),
    ("workplan priorities", models.WorkplanPriority),
    ("actions", models.Action),
    ("recommendations", models.Recommendation),
    ("system programmes", models.SystemProgramme),
    ("programme deliverables and next steps", models.ProgrammeAction),
    ("timeline milestones", models.ProgrammeMilestone),
    ("evaluation findings", models.EvaluationFinding),
    ("indicators", indicator_models.Indicator),
    ("output KPIs", models.Kpi),
    ("periods", indicator_models.Period),
    ("indicator values", indicator_models.IndicatorValue),
    ("assessments", indicator_models.Assessment),
    ("trends", indicator_models.Trend),
)


class Command(BaseCommand):
    help = (
        "Load a Marmot place's data directory: programme.json (the place, its "
        "areas, partner organisations, workstreams, logic models, workplans, "
        "actions and recommendations), measures.json (metadata for each published "
        "outcome measure) and the outcome-measure table as published. Every file "
        "is checked and the whole load runs in one transaction: any problem stops "
        "it, names the file and where in it (row and column for the table), and "
        "nothing is written. Running it again changes nothing."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "directory",
            type=Path,
            help="The place's data directory, e.g. data/places/<place>.",
        )

    def handle(self, *args, directory: Path, **options) -> None:
        self.stdout.write(f"Loading the data directory {directory}")
        started_at, before = timezone.now(), _counts()
        try:
            programme_load(directory=directory, report=self.stdout.write)
        except (ProgrammeLoadError, MeasuresLoadError) as error:
            _record(directory, started_at, before, before, error.problems)
            raise CommandError(f"{error}\nNothing was loaded.") from error
        after = _counts()
        _record(directory, started_at, before, after, [])
        self.stdout.write(self.style.SUCCESS("Loaded. The database now holds:"))
        for label, _model in SUMMARY_MODELS:
            self.stdout.write(f"  {label}: {after[label]}")


def _counts() -> dict[str, int]:
    return {label: model.objects.count() for label, model in SUMMARY_MODELS}


@dataclass
class _DirectoryLoad:
    """What one load did, in the shape `import_run_record` reads."""

    file_name: str
    sha256: str
    status: str
    rows_read: int
    values_created: int
    values_updated: int
    values_unchanged: int


def _shown_path(directory: Path) -> str:
    """The directory as officers know it: within the project, from its root."""
    try:
        return str(directory.resolve().relative_to(Path(settings.BASE_DIR)))
    except ValueError:
        return str(directory)


def _record(directory: Path, started_at, before, after, problems: list[str]) -> None:
    programme = Path(directory) / "programme.json"
    digest = (
        hashlib.sha256(programme.read_bytes()).hexdigest()
        if programme.is_file()
        else ""
    )
    status = indicator_models.ImportRun.Status
    load = _DirectoryLoad(
        file_name=_shown_path(Path(directory)),
        sha256=digest,
        status=status.FAILED if problems else status.SUCCEEDED,
        rows_read=sum(after.values()),
        values_created=sum(max(after[k] - before[k], 0) for k in after),
        values_updated=0,
        values_unchanged=sum(min(after[k], before[k]) for k in after),
    )
    import_run_record(
        kind=indicator_models.ImportRun.Kind.PROGRAMME,
        result=load,
        errors=[{"line": None, "column": None, "message": p} for p in problems],
        user=None,
        started_at=started_at,
    )
