"""Order periods the way a reader does: by end, then longest first (ADR 0006).

Recomputes every Period's ``sort_key`` from its label with the one parser.
Also relabels published trend words that the loader used to give a direction
(issue 13): "Significantly worse" is "Getting worse", not "Decreasing and
getting worse"; reloading the table gives the same labels.
The two key formulas are frozen here (not imported) so that this migration
keeps meaning the same thing if the parser's key changes again later.
"""

from django.db import migrations, models


def _months(starts_on, ends_on):
    return (ends_on.year - starts_on.year) * 12 + ends_on.month - starts_on.month + 1


def _end_key(starts_on, ends_on):
    """End YYYYMM * 1000 + (999 - length in months): by end, then longest first."""
    end = ends_on.year * 100 + ends_on.month
    return end * 1000 + (999 - _months(starts_on, ends_on))


def _start_key(starts_on, ends_on):
    """The previous key: YYYYMM00 of the start."""
    return starts_on.year * 10000 + starts_on.month * 100


def _recompute(key):
    def run(apps, schema_editor):
        from indicators.periods import parse_period_label

        Period = apps.get_model("indicators", "Period")
        changed = []
        for period in Period.objects.all():
            parsed = parse_period_label(period.label)
            period.sort_key = key(parsed.starts_on, parsed.ends_on)
            changed.append(period)
        Period.objects.bulk_update(changed, ["sort_key"], batch_size=500)

    return run


# Published trend words that say better or worse and nothing about direction.
_WORDS = {"significantly improving": "better", "significantly worse": "worse"}
_PLAIN = {"better": "Getting better", "worse": "Getting worse"}
# What 0006 and before gave them (by the measure's polarity), for reversing.
_DIRECTED = {
    ("better", "high_is_good"): "Increasing and getting better",
    ("better", "low_is_good"): "Decreasing and getting better",
    ("worse", "high_is_good"): "Decreasing and getting worse",
    ("worse", "low_is_good"): "Increasing and getting worse",
}


def _published_trend_words(forwards):
    """Published "Significantly improving/worse" → "Getting better/worse".

    The council's words give no direction; the labels used to invent one from
    the polarity ("Decreasing and getting worse" while the values rose).
    """

    def run(apps, schema_editor):
        Trend = apps.get_model("indicators", "Trend")
        changed = []
        rows = Trend.objects.filter(method="published").select_related(
            "value__indicator"
        )
        for trend in rows:
            word = _WORDS.get(" ".join(trend.published_text.split()).casefold())
            if word is None:
                continue
            polarity = trend.value.indicator.polarity
            label = _PLAIN[word] if forwards else _DIRECTED.get((word, polarity))
            if label and trend.label != label:
                trend.label = label
                changed.append(trend)
        Trend.objects.bulk_update(changed, ["label"], batch_size=500)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("indicators", "0006_trend_labels_without_direction"),
    ]

    operations = [
        migrations.AlterField(
            model_name="period",
            name="sort_key",
            field=models.PositiveIntegerField(
                db_index=True,
                help_text=(
                    "Orders periods as a reader does: by end month, then the "
                    "longer period first (ADR 0006)."
                ),
            ),
        ),
        migrations.RunPython(_recompute(_end_key), _recompute(_start_key)),
        migrations.RunPython(
            _published_trend_words(True), _published_trend_words(False)
        ),
    ]
