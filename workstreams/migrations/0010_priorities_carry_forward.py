"""Carrying a workplan forward (issue 17): an action and a priority remember the
one of an earlier workplan they were carried forward from. Nullable, SET_NULL:
adding them changes no row, and removing them loses only the links."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("workstreams", "0009_output_kpis"),
    ]

    operations = [
        migrations.AddField(
            model_name="action",
            name="carried_from",
            field=models.ForeignKey(
                blank=True,
                help_text="The action of an earlier workplan this one was carried "
                "forward from (its progress updates stay there).",
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="carried_to",
                to="workstreams.action",
            ),
        ),
        migrations.AddField(
            model_name="historicalaction",
            name="carried_from",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                help_text="The action of an earlier workplan this one was carried "
                "forward from (its progress updates stay there).",
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="workstreams.action",
            ),
        ),
        migrations.AddField(
            model_name="historicalworkplanpriority",
            name="carried_from",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                help_text="The priority of an earlier workplan this one was carried "
                "forward from.",
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="workstreams.workplanpriority",
            ),
        ),
        migrations.AddField(
            model_name="workplanpriority",
            name="carried_from",
            field=models.ForeignKey(
                blank=True,
                help_text="The priority of an earlier workplan this one was carried "
                "forward from.",
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="carried_to",
                to="workstreams.workplanpriority",
            ),
        ),
    ]
