"""The place and the Marmot principles move from workstreams to indicators
(ADR 30: arrows run one way). State only: the tables keep their rows and,
until 0010 renames them, their names."""

import django.core.validators
import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("indicators", "0008_indicator_definition_parts"),
        ("workstreams", "0006_action_archived_at"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name="MarmotPrinciple",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        (
                            "number",
                            models.PositiveSmallIntegerField(
                                unique=True,
                                validators=[
                                    django.core.validators.MinValueValidator(1),
                                    django.core.validators.MaxValueValidator(8),
                                ],
                            ),
                        ),
                        ("title", models.CharField(max_length=200)),
                        ("short_title", models.CharField(blank=True, max_length=80)),
                    ],
                    options={
                        "db_table": "workstreams_marmotprinciple",
                        "ordering": ["number"],
                        "constraints": [
                            models.CheckConstraint(
                                condition=models.Q(
                                    ("number__gte", 1), ("number__lte", 8)
                                ),
                                name="principle_number_1_to_8",
                            )
                        ],
                    },
                ),
                migrations.AlterField(
                    model_name="historicalindicator",
                    name="principle",
                    field=models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        help_text="Empty for overarching measures such as life expectancy.",
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="indicators.marmotprinciple",
                    ),
                ),
                migrations.AlterField(
                    model_name="indicator",
                    name="principle",
                    field=models.ForeignKey(
                        blank=True,
                        help_text="Empty for overarching measures such as life expectancy.",
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="indicators",
                        to="indicators.marmotprinciple",
                    ),
                ),
                migrations.CreateModel(
                    name="Place",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        ("created_at", models.DateTimeField(auto_now_add=True)),
                        ("updated_at", models.DateTimeField(auto_now=True)),
                        (
                            "singleton",
                            models.BooleanField(
                                default=True, editable=False, unique=True
                            ),
                        ),
                        ("name", models.CharField(max_length=120)),
                        (
                            "service_name",
                            models.CharField(
                                help_text="Shown in the site header, e.g. the programme name.",
                                max_length=200,
                            ),
                        ),
                        ("description", models.TextField(blank=True)),
                        (
                            "area",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to="indicators.area",
                            ),
                        ),
                        (
                            "country",
                            models.ForeignKey(
                                help_text="The national benchmark (England for an English place).",
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to="indicators.area",
                            ),
                        ),
                        (
                            "nearest_neighbours",
                            models.ForeignKey(
                                blank=True,
                                help_text="The comparator group (e.g. CIPFA nearest neighbours).",
                                null=True,
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to="indicators.area",
                            ),
                        ),
                        (
                            "region",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to="indicators.area",
                            ),
                        ),
                    ],
                    options={
                        "db_table": "workstreams_place",
                        "constraints": [
                            models.CheckConstraint(
                                condition=models.Q(("singleton", True)),
                                name="place_singleton",
                            )
                        ],
                    },
                ),
            ],
        ),
    ]
