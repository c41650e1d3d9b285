"""Accent-blind search and Polish name order on PostgreSQL.

The search index is rebuilt over unaccented text (and the phone's digits). `unaccent()`
itself is only STABLE, since its dictionary could change under it, and an index needs an
IMMUTABLE expression: `rms_unaccent` names the dictionary explicitly and promises that.
SQLite gets a function of the same name, and the collation, on every connection
(recruitment/collation.py), so nothing is made here for it.
"""

import django.contrib.postgres.indexes
import django.contrib.postgres.search
from django.db import migrations, models
from django.db.models.functions import Collate

SEARCHED = ("first_name", "last_name", "email", "phone", "phone_key")


def search_index(fields) -> django.contrib.postgres.indexes.GinIndex:
    return django.contrib.postgres.indexes.GinIndex(
        django.contrib.postgres.search.SearchVector(*fields, config="simple"),
        name="applicant_search_idx",
    )


def unaccented(field: str) -> models.Func:
    return models.Func(models.F(field), function="rms_unaccent", output_field=models.TextField())


OLD_SEARCH_INDEX = search_index(("first_name", "last_name", "email", "phone"))
NEW_SEARCH_INDEX = search_index([unaccented(field) for field in SEARCHED])
NAME_INDEX = models.Index(
    Collate("last_name", "pl-x-icu"),
    Collate("first_name", "pl-x-icu"),
    models.F("id"),
    name="applicant_name_pl_idx",
)
CREATE_UNACCENT = """
CREATE EXTENSION IF NOT EXISTS unaccent SCHEMA public;
CREATE OR REPLACE FUNCTION rms_unaccent(text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
    AS $$ SELECT public.unaccent('public.unaccent'::regdictionary, $1) $$;
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    applicant = apps.get_model("recruitment", "Applicant")
    schema_editor.execute(CREATE_UNACCENT)
    schema_editor.remove_index(applicant, OLD_SEARCH_INDEX)
    schema_editor.add_index(applicant, NEW_SEARCH_INDEX)
    schema_editor.add_index(applicant, NAME_INDEX)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    applicant = apps.get_model("recruitment", "Applicant")
    schema_editor.remove_index(applicant, NAME_INDEX)
    schema_editor.remove_index(applicant, NEW_SEARCH_INDEX)
    schema_editor.add_index(applicant, OLD_SEARCH_INDEX)
    # The extension stays: other database objects may have come to use it.
    schema_editor.execute("DROP FUNCTION IF EXISTS rms_unaccent(text)")


class Migration(migrations.Migration):
    dependencies = [
        ("recruitment", "0013_schedules_and_admin_permissions"),
    ]

    operations = [
        migrations.RunPython(forwards, backwards),
    ]
