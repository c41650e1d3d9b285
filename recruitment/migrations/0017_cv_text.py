"""The CV's text, and the search index rebuilt to cover it (PostgreSQL only, as in 0010)."""

import django.contrib.postgres.indexes
import django.contrib.postgres.search
from django.db import migrations, models

BEFORE = ("first_name", "last_name", "email", "phone", "phone_key")
AFTER = (*BEFORE, "cv_text")


def unaccented(field: str) -> models.Func:
    return models.Func(models.F(field), function="rms_unaccent", output_field=models.TextField())


def search_index(fields) -> django.contrib.postgres.indexes.GinIndex:
    return django.contrib.postgres.indexes.GinIndex(
        django.contrib.postgres.search.SearchVector(
            *(unaccented(field) for field in fields), config="simple"
        ),
        name="applicant_search_idx",
    )


def swap_index(old_fields, new_fields):
    def swap(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        applicant = apps.get_model("recruitment", "Applicant")
        schema_editor.remove_index(applicant, search_index(old_fields))
        schema_editor.add_index(applicant, search_index(new_fields))

    return swap


class Migration(migrations.Migration):
    dependencies = [
        ("recruitment", "0016_saved_views"),
    ]

    operations = [
        migrations.AddField(
            model_name="applicant",
            name="cv_text",
            field=models.TextField(blank=True, editable=False, verbose_name="CV text"),
        ),
        migrations.RunPython(swap_index(BEFORE, AFTER), swap_index(AFTER, BEFORE)),
    ]
