import django.contrib.postgres.indexes
import django.contrib.postgres.search
from django.db import migrations, models

SEARCH_INDEX = django.contrib.postgres.indexes.GinIndex(
    django.contrib.postgres.search.SearchVector(
        "first_name", "last_name", "email", "phone", config="simple"
    ),
    name="applicant_search_idx",
)


def add_search_index(apps, schema_editor):
    # PostgreSQL only, and outside the model state: SQLite can neither build a GIN index
    # nor rebuild a table that carries one (it does that on every AddField).
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.add_index(apps.get_model("recruitment", "Applicant"), SEARCH_INDEX)


def remove_search_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.remove_index(apps.get_model("recruitment", "Applicant"), SEARCH_INDEX)


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
        migrations.RunPython(add_search_index, remove_search_index),
        migrations.AddIndex(
            model_name="application",
            index=models.Index(fields=["-created_at", "-id"], name="application_created_idx"),
        ),
    ]
