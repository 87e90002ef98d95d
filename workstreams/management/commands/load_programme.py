"""manage.py load_programme DIR: load any Marmot place's data directory."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from indicators import models as indicator_models
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
        try:
            programme_load(directory=directory, report=self.stdout.write)
        except (ProgrammeLoadError, MeasuresLoadError) as error:
            raise CommandError(f"{error}\nNothing was loaded.") from error
        self.stdout.write(self.style.SUCCESS("Loaded. The database now holds:"))
        for label, model in SUMMARY_MODELS:
            self.stdout.write(f"  {label}: {model.objects.count()}")
