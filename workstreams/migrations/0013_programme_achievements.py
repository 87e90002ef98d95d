import django.db.models.deletion
import simple_history.models
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("workstreams", "0012_submission_messages"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="SystemProgramme",
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
                ("slug", models.SlugField(max_length=60, unique=True)),
                ("name", models.CharField(max_length=200, unique=True)),
                ("description", models.TextField(blank=True)),
                ("display_order", models.PositiveSmallIntegerField(default=0)),
            ],
            options={
                "verbose_name": "system programme",
                "ordering": ["display_order", "name"],
            },
        ),
        migrations.CreateModel(
            name="EvaluationFinding",
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
                    "kind",
                    models.CharField(
                        choices=[
                            ("aim", "Aim"),
                            ("opportunity", "Opportunity"),
                            ("challenge", "Challenge"),
                        ],
                        max_length=12,
                    ),
                ),
                ("position", models.PositiveSmallIntegerField(default=0)),
                ("text", models.TextField(help_text="As published.")),
                (
                    "details",
                    models.TextField(
                        blank=True,
                        help_text="Points listed under it, one per line, as published.",
                    ),
                ),
            ],
            options={
                "verbose_name": "evaluation aim or finding",
                "ordering": ["kind", "position", "id"],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("kind", "text"), name="evaluation_finding_unique_text"
                    )
                ],
            },
        ),
        migrations.CreateModel(
            name="HistoricalEvaluationFinding",
            fields=[
                (
                    "id",
                    models.BigIntegerField(
                        auto_created=True, blank=True, db_index=True, verbose_name="ID"
                    ),
                ),
                ("created_at", models.DateTimeField(blank=True, editable=False)),
                ("updated_at", models.DateTimeField(blank=True, editable=False)),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("aim", "Aim"),
                            ("opportunity", "Opportunity"),
                            ("challenge", "Challenge"),
                        ],
                        max_length=12,
                    ),
                ),
                ("position", models.PositiveSmallIntegerField(default=0)),
                ("text", models.TextField(help_text="As published.")),
                (
                    "details",
                    models.TextField(
                        blank=True,
                        help_text="Points listed under it, one per line, as published.",
                    ),
                ),
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
                (
                    "history_user",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "verbose_name": "historical evaluation aim or finding",
                "verbose_name_plural": "historical evaluation aim or findings",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="HistoricalProgrammeMilestone",
            fields=[
                (
                    "id",
                    models.BigIntegerField(
                        auto_created=True, blank=True, db_index=True, verbose_name="ID"
                    ),
                ),
                ("created_at", models.DateTimeField(blank=True, editable=False)),
                ("updated_at", models.DateTimeField(blank=True, editable=False)),
                (
                    "label",
                    models.CharField(
                        db_index=True,
                        help_text='As published, e.g. "Nov 21 – June 22" or "Throughout 2024".',
                        max_length=60,
                        verbose_name="when, as published",
                    ),
                ),
                (
                    "starts_on",
                    models.DateField(help_text="The first day of the month or year."),
                ),
                (
                    "ends_on",
                    models.DateField(
                        blank=True,
                        help_text="For a span: the first day of its last month.",
                        null=True,
                    ),
                ),
                (
                    "precision",
                    models.CharField(
                        choices=[("month", "Month"), ("year", "Year")], max_length=5
                    ),
                ),
                (
                    "items",
                    models.TextField(
                        help_text="What happened or is planned, one per line."
                    ),
                ),
                (
                    "is_highlight",
                    models.BooleanField(
                        default=False,
                        help_text="Highlighted in the source (e.g. in bold).",
                    ),
                ),
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
                (
                    "history_user",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "verbose_name": "historical programme timeline milestone",
                "verbose_name_plural": "historical programme timeline milestones",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="HistoricalSystemProgramme",
            fields=[
                (
                    "id",
                    models.BigIntegerField(
                        auto_created=True, blank=True, db_index=True, verbose_name="ID"
                    ),
                ),
                ("created_at", models.DateTimeField(blank=True, editable=False)),
                ("updated_at", models.DateTimeField(blank=True, editable=False)),
                ("slug", models.SlugField(max_length=60)),
                ("name", models.CharField(db_index=True, max_length=200)),
                ("description", models.TextField(blank=True)),
                ("display_order", models.PositiveSmallIntegerField(default=0)),
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
                (
                    "history_user",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "verbose_name": "historical system programme",
                "verbose_name_plural": "historical system programmes",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="ProgrammeMilestone",
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
                    "label",
                    models.CharField(
                        help_text='As published, e.g. "Nov 21 – June 22" or "Throughout 2024".',
                        max_length=60,
                        unique=True,
                        verbose_name="when, as published",
                    ),
                ),
                (
                    "starts_on",
                    models.DateField(help_text="The first day of the month or year."),
                ),
                (
                    "ends_on",
                    models.DateField(
                        blank=True,
                        help_text="For a span: the first day of its last month.",
                        null=True,
                    ),
                ),
                (
                    "precision",
                    models.CharField(
                        choices=[("month", "Month"), ("year", "Year")], max_length=5
                    ),
                ),
                (
                    "items",
                    models.TextField(
                        help_text="What happened or is planned, one per line."
                    ),
                ),
                (
                    "is_highlight",
                    models.BooleanField(
                        default=False,
                        help_text="Highlighted in the source (e.g. in bold).",
                    ),
                ),
            ],
            options={
                "verbose_name": "programme timeline milestone",
                "ordering": ["starts_on", "ends_on", "id"],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(
                            ("ends_on__isnull", True),
                            ("ends_on__gte", models.F("starts_on")),
                            _connector="OR",
                        ),
                        name="programme_milestone_ends_after_start",
                    )
                ],
            },
        ),
        migrations.CreateModel(
            name="HistoricalProgrammeAction",
            fields=[
                (
                    "id",
                    models.BigIntegerField(
                        auto_created=True, blank=True, db_index=True, verbose_name="ID"
                    ),
                ),
                ("created_at", models.DateTimeField(blank=True, editable=False)),
                ("updated_at", models.DateTimeField(blank=True, editable=False)),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("deliverable", "Deliverable of a system programme"),
                            ("next_step", "Next step of the programme"),
                        ],
                        max_length=12,
                    ),
                ),
                ("title", models.CharField(help_text="As published.", max_length=300)),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("planned", "Planned"),
                            ("in_progress", "In progress"),
                            ("completed", "Completed"),
                            ("on_hold", "On hold"),
                            ("cancelled", "Cancelled"),
                        ],
                        default="planned",
                        max_length=12,
                    ),
                ),
                (
                    "rag",
                    models.CharField(
                        blank=True,
                        choices=[
                            ("green", "Green — on track"),
                            ("amber", "Amber — at risk"),
                            ("red", "Red — off track"),
                        ],
                        max_length=5,
                        verbose_name="RAG",
                    ),
                ),
                (
                    "lead_person",
                    models.CharField(
                        blank=True,
                        help_text="A person or role, as the source names them (shown to signed-in users only).",
                        max_length=200,
                    ),
                ),
                ("progress_note", models.TextField(blank=True)),
                ("due_date", models.DateField(blank=True, null=True)),
                (
                    "due_label",
                    models.CharField(
                        blank=True,
                        help_text='When the source gives no full date, e.g. "November".',
                        max_length=100,
                        verbose_name="when due, as published",
                    ),
                ),
                ("completed_on", models.DateField(blank=True, null=True)),
                ("position", models.PositiveSmallIntegerField(default=0)),
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
                (
                    "history_user",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "lead_organisation",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="workstreams.organisation",
                    ),
                ),
                (
                    "programme",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        help_text="The system programme a deliverable belongs to (none for a next step of the whole programme).",
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="workstreams.systemprogramme",
                    ),
                ),
            ],
            options={
                "verbose_name": "historical programme deliverable or next step",
                "verbose_name_plural": "historical programme deliverables and next steps",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="ProgrammeAction",
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
                    "kind",
                    models.CharField(
                        choices=[
                            ("deliverable", "Deliverable of a system programme"),
                            ("next_step", "Next step of the programme"),
                        ],
                        max_length=12,
                    ),
                ),
                ("title", models.CharField(help_text="As published.", max_length=300)),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("planned", "Planned"),
                            ("in_progress", "In progress"),
                            ("completed", "Completed"),
                            ("on_hold", "On hold"),
                            ("cancelled", "Cancelled"),
                        ],
                        default="planned",
                        max_length=12,
                    ),
                ),
                (
                    "rag",
                    models.CharField(
                        blank=True,
                        choices=[
                            ("green", "Green — on track"),
                            ("amber", "Amber — at risk"),
                            ("red", "Red — off track"),
                        ],
                        max_length=5,
                        verbose_name="RAG",
                    ),
                ),
                (
                    "lead_person",
                    models.CharField(
                        blank=True,
                        help_text="A person or role, as the source names them (shown to signed-in users only).",
                        max_length=200,
                    ),
                ),
                ("progress_note", models.TextField(blank=True)),
                ("due_date", models.DateField(blank=True, null=True)),
                (
                    "due_label",
                    models.CharField(
                        blank=True,
                        help_text='When the source gives no full date, e.g. "November".',
                        max_length=100,
                        verbose_name="when due, as published",
                    ),
                ),
                ("completed_on", models.DateField(blank=True, null=True)),
                ("position", models.PositiveSmallIntegerField(default=0)),
                (
                    "lead_organisation",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="led_programme_actions",
                        to="workstreams.organisation",
                    ),
                ),
                (
                    "programme",
                    models.ForeignKey(
                        blank=True,
                        help_text="The system programme a deliverable belongs to (none for a next step of the whole programme).",
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="deliverables",
                        to="workstreams.systemprogramme",
                    ),
                ),
            ],
            options={
                "verbose_name": "programme deliverable or next step",
                "verbose_name_plural": "programme deliverables and next steps",
                "ordering": ["kind", "programme__display_order", "position", "id"],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("kind", "title"), name="programme_action_unique_title"
                    ),
                    models.CheckConstraint(
                        condition=models.Q(
                            models.Q(
                                ("kind", "deliverable"), ("programme__isnull", False)
                            ),
                            models.Q(
                                ("kind", "next_step"), ("programme__isnull", True)
                            ),
                            _connector="OR",
                        ),
                        name="programme_action_programme_iff_deliverable",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(
                            ("completed_on__isnull", True),
                            ("status", "completed"),
                            _connector="OR",
                        ),
                        name="programme_action_completed_on_only_if_completed",
                    ),
                ],
            },
        ),
    ]
