"""Every resource the API edits carries ``row_version`` (its ETag, ADR 40), and
principles their ``created_at``/``updated_at`` (for ``updated_since``)."""

import django.utils.timezone
from django.db import migrations, models


def row_version():
    return models.PositiveIntegerField(
        default=1, editable=False, help_text="Bumped on every change (ETag)."
    )


class Migration(migrations.Migration):
    dependencies = [("indicators", "0013_admin_names_words")]

    operations = [
        *(
            migrations.AddField(
                model_name=model, name="row_version", field=row_version()
            )
            for model in (
                "indicator",
                "historicalindicator",
                "indicatorvalue",
                "historicalindicatorvalue",
                "marmotprinciple",
            )
        ),
        # Existing principles: created and last changed "now" (they have no
        # history to say otherwise).
        migrations.AddField(
            model_name="marmotprinciple",
            name="created_at",
            field=models.DateTimeField(
                auto_now_add=True, default=django.utils.timezone.now
            ),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="marmotprinciple",
            name="updated_at",
            field=models.DateTimeField(auto_now=True),
        ),
    ]
