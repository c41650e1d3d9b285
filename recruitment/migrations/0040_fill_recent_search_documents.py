"""Fill the recent search documents 0039 keeps, for the applicants already there.

In batches of BATCH applicants, each its own transaction, like 0037. A batch locks its
recent applicants FOR SHARE before copying their words: an edit that committed while
the batch waited is read again (a merged or long-inactive applicant drops out), and
none can commit until the batch has. The triggers stand already, so a row they wrote
first is kept (ON CONFLICT DO NOTHING). Then VACUUM (ANALYZE), which cannot run in a
transaction, and the GIN index the typeahead reads, built CONCURRENTLY once the rows are
in: the triggers' writes never wait for it.
"""

# ruff: noqa: S608 (the SQL is built from this module's constants alone, no input)
from django.db import migrations, transaction

from recruitment.migrations._concurrent_index import create_index_concurrently

BATCH = 5000
TABLE = "recruitment_recentsearchdocument"
FILL = f"""
INSERT INTO {TABLE} (applicant_id, latest_activity_at, document)
    SELECT p.id, p.latest_activity_at, d.document
    FROM (
        SELECT id, latest_activity_at FROM recruitment_applicant
        WHERE id >= %s AND id < %s
            AND merged_into_id IS NULL AND restricted_at IS NULL
            AND latest_activity_at >= now() - interval '31 days'
        FOR SHARE
    ) AS p
    JOIN recruitment_applicantsearchdocument AS d ON d.applicant_id = p.id
    ORDER BY p.id
    ON CONFLICT (applicant_id) DO NOTHING
"""
INDEX = f"""
CREATE INDEX CONCURRENTLY IF NOT EXISTS recent_document_idx
    ON {TABLE} USING gin (document)
"""


def fill(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT coalesce(min(id), 0), coalesce(max(id), -1) FROM recruitment_applicant"
        )
        low, high = cursor.fetchone()
        for start in range(low, high + 1, BATCH):
            with transaction.atomic(using=connection.alias):
                cursor.execute(FILL, [start, start + BATCH])
        cursor.execute(f"VACUUM (ANALYZE) {TABLE}")
        cursor.execute("SET maintenance_work_mem = '256MB'")
        create_index_concurrently(cursor, "recent_document_idx", INDEX)
        cursor.execute("RESET maintenance_work_mem")


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX CONCURRENTLY IF EXISTS recent_document_idx")


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("recruitment", "0039_recent_search_documents"),
    ]

    operations = [
        migrations.RunPython(fill, drop_index, elidable=False),
    ]
