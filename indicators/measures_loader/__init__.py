"""Load a place's outcome measures: measures.json plus its published table.

:func:`measures_read` reads and checks both files without touching the database
and raises :class:`MeasuresLoadError` listing every problem (file, row, column).
:func:`measures_write` then writes indicators, periods, values, published
assessments and trends through the services; call it inside the load's
transaction. Nothing here knows which place it is loading.
"""

from indicators.measures_loader.reading import (
    DEFAULT_TABLE_FILE,
    FORMAT_VERSION,
    MEASURES_FILE,
    MeasuresData,
    MeasuresLoadError,
    measures_read,
    metadata_check,
    read_json,
    table_check,
)
from indicators.measures_loader.writing import measures_write, validation_messages

__all__ = [
    "DEFAULT_TABLE_FILE",
    "FORMAT_VERSION",
    "MEASURES_FILE",
    "MeasuresData",
    "MeasuresLoadError",
    "measures_read",
    "measures_write",
    "metadata_check",
    "read_json",
    "table_check",
    "validation_messages",
]
