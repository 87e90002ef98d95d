"""The moved tables take indicators' names (foreign keys follow a rename)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("indicators", "0009_place_and_principles_from_workstreams"),
        ("workstreams", "0007_place_and_principles_to_indicators"),
    ]

    operations = [
        migrations.AlterModelTable(name="marmotprinciple", table=None),
        migrations.AlterModelTable(name="place", table=None),
    ]
