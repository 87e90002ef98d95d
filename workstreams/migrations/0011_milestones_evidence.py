import django.core.validators
import django.db.models.deletion
import simple_history.models
from django.conf import settings
from django.db import migrations, models

import workstreams.models.evidence


class Migration(migrations.Migration):
    dependencies = [
        ("workstreams", "0010_priorities_carry_forward"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="EvidenceFile",
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
                    "file",
                    models.FileField(
                        max_length=200,
                        storage=workstreams.models.evidence.evidence_storage,
                        upload_to="",
                    ),
                ),
                (
                    "original_name",
                    models.CharField(
                        help_text="The uploaded file's name, made safe.", max_length=150
                    ),
                ),
                (
                    "content_type",
                    models.CharField(
                        help_text="The type found in the file's content.",
                        max_length=100,
                    ),
                ),
                ("size", models.PositiveIntegerField(help_text="In bytes.")),
                ("created_at", models.DateTimeField(auto_now_add=True)),
            ],
            options={
                "ordering": ["progress_update", "id"],
            },
        ),
        migrations.CreateModel(
            name="HistoricalMilestone",
            fields=[
                (
                    "id",
                    models.BigIntegerField(
                        auto_created=True, blank=True, db_index=True, verbose_name="ID"
                    ),
                ),
                ("title", models.CharField(max_length=200)),
                (
                    "due_on",
                    models.DateField(blank=True, null=True, verbose_name="due date"),
                ),
                (
                    "done_on",
                    models.DateField(
                        blank=True,
                        help_text="The date it was done; empty while it is still to do.",
                        null=True,
                        verbose_name="done on",
                    ),
                ),
                ("position", models.PositiveSmallIntegerField(default=0)),
                ("created_at", models.DateTimeField(blank=True, editable=False)),
                ("history_id", models.AutoField(primary_key=True, serialize=False)),
                ("history_date", models.DateTimeField(db_index=True)),
                ("history_change_reason", models.CharField(max_length=100, null=True)),
                (
                    "history_type",
                    models.CharField(
                        choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")],
                        max_length=1,
                    ),
                ),
            ],
            options={
                "verbose_name": "historical milestone",
                "verbose_name_plural": "historical milestones",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="Milestone",
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
                ("title", models.CharField(max_length=200)),
                (
                    "due_on",
                    models.DateField(blank=True, null=True, verbose_name="due date"),
                ),
                (
                    "done_on",
                    models.DateField(
                        blank=True,
                        help_text="The date it was done; empty while it is still to do.",
                        null=True,
                        verbose_name="done on",
                    ),
                ),
                ("position", models.PositiveSmallIntegerField(default=0)),
                ("created_at", models.DateTimeField(auto_now_add=True)),
            ],
            options={
                "ordering": ["action", "position", "due_on", "id"],
            },
        ),
        migrations.AddField(
            model_name="action",
            name="percent_complete",
            field=models.PositiveSmallIntegerField(
                blank=True,
                help_text="Set by hand, 0 to 100; empty: worked out from the milestones.",
                null=True,
                validators=[django.core.validators.MaxValueValidator(100)],
                verbose_name="% complete",
            ),
        ),
        migrations.AddField(
            model_name="historicalaction",
            name="percent_complete",
            field=models.PositiveSmallIntegerField(
                blank=True,
                help_text="Set by hand, 0 to 100; empty: worked out from the milestones.",
                null=True,
                validators=[django.core.validators.MaxValueValidator(100)],
                verbose_name="% complete",
            ),
        ),
        migrations.AddField(
            model_name="progressupdate",
            name="evidence_link",
            field=models.URLField(
                blank=True,
                help_text="A web page that shows the progress (http or https).",
                max_length=500,
                validators=[
                    django.core.validators.URLValidator(schemes=["http", "https"])
                ],
            ),
        ),
        migrations.AddConstraint(
            model_name="action",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("percent_complete__isnull", True),
                    ("percent_complete__lte", 100),
                    _connector="OR",
                ),
                name="action_percent_complete_0_to_100",
            ),
        ),
        migrations.AddConstraint(
            model_name="progressupdate",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("evidence_link", ""),
                    ("evidence_link__startswith", "http://"),
                    ("evidence_link__startswith", "https://"),
                    _connector="OR",
                ),
                name="progress_evidence_link_http",
            ),
        ),
        migrations.AddField(
            model_name="evidencefile",
            name="progress_update",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="evidence_files",
                to="workstreams.progressupdate",
            ),
        ),
        migrations.AddField(
            model_name="historicalmilestone",
            name="action",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="workstreams.action",
            ),
        ),
        migrations.AddField(
            model_name="historicalmilestone",
            name="history_user",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddField(
            model_name="milestone",
            name="action",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="milestones",
                to="workstreams.action",
            ),
        ),
        migrations.AddConstraint(
            model_name="evidencefile",
            constraint=models.CheckConstraint(
                condition=models.Q(("size__gt", 0)), name="evidence_not_empty"
            ),
        ),
        migrations.AddConstraint(
            model_name="evidencefile",
            constraint=models.CheckConstraint(
                condition=models.Q(("original_name", ""), _negated=True),
                name="evidence_has_name",
            ),
        ),
        migrations.AddConstraint(
            model_name="milestone",
            constraint=models.UniqueConstraint(
                fields=("action", "title"), name="milestone_unique_title"
            ),
        ),
        migrations.AddConstraint(
            model_name="milestone",
            constraint=models.CheckConstraint(
                condition=models.Q(("title", ""), _negated=True),
                name="milestone_title_not_blank",
            ),
        ),
        migrations.AddField(
            model_name="progressupdate",
            name="rag_cleared",
            field=models.BooleanField(
                default=False,
                help_text="The update cleared the action's rating (rag is then blank).",
                verbose_name="RAG cleared",
            ),
        ),
        migrations.AddConstraint(
            model_name="progressupdate",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("rag_cleared", False), ("rag", ""), _connector="OR"
                ),
                name="progress_rag_cleared_has_no_rag",
            ),
        ),
    ]
