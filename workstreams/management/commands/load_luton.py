"""manage.py load_luton: load_programme on the project's Luton data directory.

The only code that names the place: it is a shortcut to a data directory, and
holds no logic of its own. Another place needs a data directory, not code.
"""

from pathlib import Path

from django.conf import settings

from workstreams.management.commands.load_programme import (
    Command as LoadProgrammeCommand,
)

PLACE_DIRECTORY = Path(settings.BASE_DIR) / "data" / "places" / "luton"


class Command(LoadProgrammeCommand):
    help = (
        f"Load Luton's Marmot programme and outcome measures from {PLACE_DIRECTORY} "
        "(the same as load_programme on that directory). Idempotent; all or nothing."
    )

    def add_arguments(self, parser) -> None:
        pass

    def handle(self, *args, **options) -> None:
        super().handle(*args, directory=PLACE_DIRECTORY, **options)
