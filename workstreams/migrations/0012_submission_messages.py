"""A conversation on each submission (ADR 36): `SubmissionMessage`.

The reason of a request for more information was kept in
``Submission.decision_reason`` only. For each submission whose latest
decision was such a request (still waiting for the partner, or resubmitted
since), that reason becomes the thread's first message, by the chair who asked,
dated when they asked. ``decision_reason`` itself is left as it was. Reversing
drops the table (the reasons are still in ``decision_reason``).
"""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


def reasons_to_messages(apps, schema_editor):
    Submission = apps.get_model("workstreams", "Submission")
    SubmissionMessage = apps.get_model("workstreams", "SubmissionMessage")
    asked = (
        Submission.objects.filter(
            models.Q(status="more_info")
            | models.Q(status="submitted", decided_at__isnull=False)
        )
        .exclude(decision_reason="")
        .order_by("pk")
    )
    SubmissionMessage.objects.bulk_create(
        SubmissionMessage(
            submission_id=submission.pk,
            author_id=submission.decided_by_id,
            kind="request",
            body=submission.decision_reason,
            created_at=submission.decided_at or submission.updated_at,
        )
        for submission in asked.iterator()
    )


class Migration(migrations.Migration):
    dependencies = [
        ("workstreams", "0011_milestones_evidence"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="SubmissionMessage",
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
                    "kind",
                    models.CharField(
                        choices=[
                            ("request", "Request for information"),
                            ("reply", "Reply"),
                            ("note", "Note"),
                        ],
                        max_length=10,
                    ),
                ),
                ("body", models.TextField()),
                (
                    "created_at",
                    models.DateTimeField(
                        db_index=True, default=django.utils.timezone.now
                    ),
                ),
                (
                    "author",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "submission",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="messages",
                        to="workstreams.submission",
                    ),
                ),
            ],
            options={
                "ordering": ["created_at", "id"],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(("body", ""), _negated=True),
                        name="submission_message_has_body",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(("kind__in", ["request", "reply", "note"])),
                        name="submission_message_kind_known",
                    ),
                ],
            },
        ),
        migrations.RunPython(reasons_to_messages, migrations.RunPython.noop),
    ]
