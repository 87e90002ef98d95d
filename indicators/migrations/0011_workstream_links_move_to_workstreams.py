"""The indicator <-> workstream link moves to the workstream (ADR 30). The link
table is kept (workstreams 0008 renames it); the indicator's history no longer
snapshots its workstreams (the workstream's history records its indicators from
now on), so that snapshot table goes."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("indicators", "0010_place_and_principles_tables"),
        ("workstreams", "0007_place_and_principles_to_indicators"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.RemoveField(model_name="indicator", name="workstreams"),
            ],
        ),
        migrations.DeleteModel(name="HistoricalIndicator_workstreams"),
    ]
