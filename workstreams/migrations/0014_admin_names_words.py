"""Admin names that read well: "Reminders sent", not "Reminder sents"; an
action's fields named as officers know them (history reads them too)."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def _action_fields(model_name: str, historical: bool) -> list:
    if historical:
        lead_user = models.ForeignKey(
            blank=True,
            db_constraint=False,
            help_text="The account that receives reminders for this action.",
            null=True,
            on_delete=django.db.models.deletion.DO_NOTHING,
            related_name="+",
            to=settings.AUTH_USER_MODEL,
            verbose_name="lead user (receives reminders)",
        )
    else:
        lead_user = models.ForeignKey(
            blank=True,
            help_text="The account that receives reminders for this action.",
            null=True,
            on_delete=django.db.models.deletion.SET_NULL,
            related_name="led_actions",
            to=settings.AUTH_USER_MODEL,
            verbose_name="lead user (receives reminders)",
        )
    return [
        migrations.AlterField(
            model_name=model_name,
            name="completed_on",
            field=models.DateField(
                blank=True, null=True, verbose_name="date completed"
            ),
        ),
        migrations.AlterField(
            model_name=model_name,
            name="is_next_step",
            field=models.BooleanField(
                default=False,
                help_text="Published as a next step for the workstream.",
                verbose_name="published as a next step",
            ),
        ),
        migrations.AlterField(
            model_name=model_name,
            name="lead_person",
            field=models.CharField(
                blank=True, max_length=200, verbose_name="lead contact"
            ),
        ),
        migrations.AlterField(model_name=model_name, name="lead_user", field=lead_user),
    ]


class Migration(migrations.Migration):
    dependencies = [
        ("workstreams", "0013_programme_achievements"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="remindersent",
            options={
                "ordering": ["-sent_at"],
                "verbose_name": "reminder sent",
                "verbose_name_plural": "reminders sent",
            },
        ),
        *_action_fields("action", historical=False),
        *_action_fields("historicalaction", historical=True),
    ]
