"""The data version (ADR 15): a sequence on PostgreSQL, a one-row table on
SQLite. Not a model: only :mod:`marmot.site.data_version` reads and moves it."""

from django.db import migrations

SQL = {
    "postgresql": (
        "CREATE SEQUENCE marmot_data_version; SELECT nextval('marmot_data_version')",
        "DROP SEQUENCE marmot_data_version",
    ),
    "sqlite": (
        "CREATE TABLE marmot_data_version (id INTEGER PRIMARY KEY, value INTEGER"
        " NOT NULL); INSERT INTO marmot_data_version (id, value) VALUES (1, 1)",
        "DROP TABLE marmot_data_version",
    ),
}


def _run(index: int):
    def run(apps, schema_editor):
        for statement in SQL[schema_editor.connection.vendor][index].split("; "):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    initial = True
    dependencies = []
    operations = [migrations.RunPython(_run(0), _run(1), elidable=False)]
