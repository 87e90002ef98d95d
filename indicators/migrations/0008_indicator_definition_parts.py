"""An indicator's numerator and denominator as its source defines them (issue 13).

Two blank text fields on Indicator and its history; no data changes, and
reversing drops them.
"""

from django.db import migrations, models

NUMERATOR = models.TextField(
    blank=True,
    help_text="What is counted, as the source defines it.",
    verbose_name="numerator",
)
DENOMINATOR = models.TextField(
    blank=True,
    help_text="The population it is counted in, as the source defines it.",
    verbose_name="denominator",
)


class Migration(migrations.Migration):
    dependencies = [
        ("indicators", "0007_period_sort_by_end"),
    ]

    operations = [
        migrations.AddField("indicator", "numerator_definition", NUMERATOR),
        migrations.AddField("indicator", "denominator_definition", DENOMINATOR),
        migrations.AddField(
            "historicalindicator", "numerator_definition", NUMERATOR.clone()
        ),
        migrations.AddField(
            "historicalindicator", "denominator_definition", DENOMINATOR.clone()
        ),
    ]
