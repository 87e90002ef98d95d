"""The place and the Marmot principles now belong to indicators (ADR 30): the
links to them point there, and workstreams forgets the models. State only."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("indicators", "0009_place_and_principles_from_workstreams"),
        ("workstreams", "0006_action_archived_at"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.AlterField(
                    model_name="recommendation",
                    name="principle",
                    field=models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="recommendations",
                        to="indicators.marmotprinciple",
                    ),
                ),
                migrations.AlterField(
                    model_name="historicalaction_principles",
                    name="marmotprinciple",
                    field=models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        db_tablespace="",
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="indicators.marmotprinciple",
                    ),
                ),
                migrations.AlterField(
                    model_name="historicalsubmission_principles",
                    name="marmotprinciple",
                    field=models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        db_tablespace="",
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="indicators.marmotprinciple",
                    ),
                ),
                migrations.AlterField(
                    model_name="historicalworkstream_principles",
                    name="marmotprinciple",
                    field=models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        db_tablespace="",
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="indicators.marmotprinciple",
                    ),
                ),
                migrations.AlterField(
                    model_name="historicalrecommendation",
                    name="principle",
                    field=models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="indicators.marmotprinciple",
                    ),
                ),
                migrations.RemoveField(
                    model_name="place",
                    name="area",
                ),
                migrations.RemoveField(
                    model_name="place",
                    name="country",
                ),
                migrations.RemoveField(
                    model_name="place",
                    name="nearest_neighbours",
                ),
                migrations.RemoveField(
                    model_name="place",
                    name="region",
                ),
                migrations.AlterField(
                    model_name="action",
                    name="principles",
                    field=models.ManyToManyField(
                        blank=True,
                        related_name="actions",
                        to="indicators.marmotprinciple",
                    ),
                ),
                migrations.AlterField(
                    model_name="submission",
                    name="principles",
                    field=models.ManyToManyField(
                        blank=True,
                        related_name="submissions",
                        to="indicators.marmotprinciple",
                    ),
                ),
                migrations.AlterField(
                    model_name="workstream",
                    name="principles",
                    field=models.ManyToManyField(
                        blank=True,
                        related_name="workstreams",
                        to="indicators.marmotprinciple",
                    ),
                ),
                migrations.DeleteModel(
                    name="MarmotPrinciple",
                ),
                migrations.DeleteModel(
                    name="Place",
                ),
            ],
        ),
    ]
