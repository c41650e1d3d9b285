import django.contrib.postgres.indexes
import django.contrib.postgres.search
from django.db import migrations, models

from recruitment.migration_operations import PostgresOnly


class Migration(migrations.Migration):
    dependencies = [
        ("recruitment", "0002_groups"),
    ]

    operations = [
        migrations.AddField(
            model_name="applicant",
            name="notes_count",
            field=models.PositiveIntegerField(default=0, verbose_name="notes"),
        ),
        PostgresOnly(
            migrations.AddIndex(
                model_name="applicant",
                index=django.contrib.postgres.indexes.GinIndex(
                    django.contrib.postgres.search.SearchVector(
                        "first_name", "last_name", "email", "phone", config="simple"
                    ),
                    name="applicant_search_idx",
                ),
            )
        ),
        migrations.AddIndex(
            model_name="application",
            index=models.Index(fields=["-created_at", "-id"], name="application_created_idx"),
        ),
    ]
