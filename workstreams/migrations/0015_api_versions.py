"""Every resource the API edits carries ``row_version`` (its ETag, ADR 40), and
milestones and priorities ``updated_at`` (priorities ``created_at`` too) for
``updated_since``. Existing rows take their dates from their history: created
at the first history entry, updated at the last (a priority without history
takes its workplan's dates, a milestone its own ``created_at``)."""

import django.utils.timezone
from django.db import migrations, models
from django.db.models import F, Max, Min, OuterRef, Subquery
from django.db.models.functions import Coalesce


def _first_or_last(history, aggregate):
    """The first or last history date of the row the outer query updates."""
    rows = history.objects.filter(id=OuterRef("pk")).order_by().values("id")
    return Subquery(rows.annotate(when=aggregate("history_date")).values("when"))


def fill(apps, schema_editor):
    """Portable (PostgreSQL and SQLite) UPDATEs through the historical models."""
    milestone = apps.get_model("workstreams", "Milestone")
    milestone_history = apps.get_model("workstreams", "HistoricalMilestone")
    milestone.objects.update(
        updated_at=Coalesce(_first_or_last(milestone_history, Max), F("created_at"))
    )
    milestone_history.objects.update(updated_at=F("history_date"))
    priority = apps.get_model("workstreams", "WorkplanPriority")
    priority_history = apps.get_model("workstreams", "HistoricalWorkplanPriority")
    workplan = apps.get_model("workstreams", "Workplan")
    plans = workplan.objects.filter(pk=OuterRef("workplan_id"))
    priority.objects.update(
        created_at=Coalesce(
            _first_or_last(priority_history, Min),
            Subquery(plans.values("created_at")),
        ),
        updated_at=Coalesce(
            _first_or_last(priority_history, Max),
            Subquery(plans.values("updated_at")),
        ),
    )
    earliest = priority_history.objects.filter(id=OuterRef("id")).order_by()
    priority_history.objects.update(
        created_at=Subquery(
            earliest.values("id").annotate(when=Min("history_date")).values("when")
        ),
        updated_at=F("history_date"),
    )


def row_version():
    return models.PositiveIntegerField(
        default=1, editable=False, help_text="Bumped on every change (ETag)."
    )


def timestamp(**kwargs):
    return models.DateTimeField(default=django.utils.timezone.now, **kwargs)


class Migration(migrations.Migration):
    dependencies = [("workstreams", "0014_admin_names_words")]

    operations = [
        *(
            migrations.AddField(
                model_name=model, name="row_version", field=row_version()
            )
            for model in (
                "organisation",
                "historicalorganisation",
                "workstream",
                "historicalworkstream",
                "recommendation",
                "historicalrecommendation",
                "milestone",
                "historicalmilestone",
                "workplanpriority",
                "historicalworkplanpriority",
            )
        ),
        migrations.AddField(
            model_name="milestone",
            name="updated_at",
            field=timestamp(auto_now=True),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="historicalmilestone",
            name="updated_at",
            field=timestamp(blank=True, editable=False),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="workplanpriority",
            name="created_at",
            field=timestamp(auto_now_add=True),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="workplanpriority",
            name="updated_at",
            field=timestamp(auto_now=True),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="historicalworkplanpriority",
            name="created_at",
            field=timestamp(blank=True, editable=False),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="historicalworkplanpriority",
            name="updated_at",
            field=timestamp(blank=True, editable=False),
            preserve_default=False,
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
