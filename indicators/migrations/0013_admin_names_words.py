"""Admin names that read well: "Marmot principles", "Data imports"."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("indicators", "0012_output_kpis"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="importrun",
            options={
                "ordering": ["-started_at"],
                "verbose_name": "data import",
                "verbose_name_plural": "data imports",
            },
        ),
        migrations.AlterModelOptions(
            name="marmotprinciple",
            options={
                "ordering": ["number"],
                "verbose_name": "Marmot principle",
                "verbose_name_plural": "Marmot principles",
            },
        ),
    ]
