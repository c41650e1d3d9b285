"""The restricted applicants, indexed apart: every search leaves them out with
`NOT IN (the restricted)`, which must be a few index entries, not a scan of every
applicant. Built CONCURRENTLY on PostgreSQL (writers never wait for it); on SQLite an
ordinary partial index. Not declared on the model, like the search indexes: the
statement differs by database."""

from django.db import migrations

from recruitment.migrations._concurrent_index import create_index_concurrently

INDEX = (
    "CREATE INDEX {concurrently} IF NOT EXISTS applicant_restricted_idx"
    " ON recruitment_applicant (id) WHERE restricted_at IS NOT NULL"
)


def create(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor != "postgresql":
        schema_editor.execute(INDEX.format(concurrently=""))
        return
    with connection.cursor() as cursor:
        create_index_concurrently(
            cursor, "applicant_restricted_idx", INDEX.format(concurrently="CONCURRENTLY")
        )


def drop(apps, schema_editor):
    postgres = schema_editor.connection.vendor == "postgresql"
    concurrently = "CONCURRENTLY" if postgres else ""
    schema_editor.execute(f"DROP INDEX {concurrently} IF EXISTS applicant_restricted_idx")


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("recruitment", "0037_fill_applicant_search_documents"),
    ]

    operations = [
        migrations.RunPython(create, drop, elidable=False),
    ]
