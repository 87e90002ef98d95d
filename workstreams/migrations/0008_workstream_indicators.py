"""Workstream.indicators: the link table indicators kept, under this side's
name (same columns, same rows), and the workstream's history snapshots it."""

import django.db.models.deletion
import simple_history.models
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("indicators", "0011_workstream_links_move_to_workstreams"),
        ("workstreams", "0007_place_and_principles_to_indicators"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[
                migrations.RunSQL(
                    "ALTER TABLE indicators_indicator_workstreams "
                    "RENAME TO workstreams_workstream_indicators",
                    reverse_sql="ALTER TABLE workstreams_workstream_indicators "
                    "RENAME TO indicators_indicator_workstreams",
                ),
            ],
            state_operations=[
                migrations.AddField(
                    model_name="workstream",
                    name="indicators",
                    field=models.ManyToManyField(
                        blank=True,
                        related_name="workstreams",
                        to="indicators.indicator",
                    ),
                ),
            ],
        ),
        migrations.CreateModel(
            name="HistoricalWorkstream_indicators",
            fields=[
                (
                    "id",
                    models.BigIntegerField(
                        auto_created=True, blank=True, db_index=True, verbose_name="ID"
                    ),
                ),
                ("m2m_history_id", models.AutoField(primary_key=True, serialize=False)),
                (
                    "history",
                    models.ForeignKey(
                        db_constraint=False,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        to="workstreams.historicalworkstream",
                    ),
                ),
                (
                    "indicator",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        db_tablespace="",
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="indicators.indicator",
                    ),
                ),
                (
                    "workstream",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        db_tablespace="",
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="workstreams.workstream",
                    ),
                ),
            ],
            options={
                "verbose_name": "HistoricalWorkstream_indicators",
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
    ]
