"""Fill the search documents 0036 keeps, for the applicants already there.

Outside one long transaction, in batches of BATCH applicants, each its own transaction:
working out a CV's words takes about a quarter of a millisecond, some four minutes at a
million applicants with CVs, and no write to the applicants waits for it. The triggers
stand already: a batch adds only the rows still missing (ON CONFLICT DO NOTHING), so an
applicant edited meanwhile keeps the row their edit wrote. A row whose applicant was
deleted while its batch ran is removed at the end. Then VACUUM (ANALYZE), which cannot
run in a transaction, and the GIN index the search reads, built once the rows are in
and CONCURRENTLY, so the triggers' writes never wait for it (a SHARE lock would hold
every new applicant for the minutes the build takes at a million).
"""

# ruff: noqa: S608 (the SQL is built from this module's constants alone, no input)
from django.db import migrations, transaction

from recruitment.migrations._concurrent_index import create_index_concurrently

SEARCHED = ("first_name", "last_name", "email", "phone", "phone_key", "cv_text")
BATCH = 5000
TEXT = " || ' ' || ".join(f"COALESCE(rms_unaccent(p.{field}), '')" for field in SEARCHED)
FILL = f"""
INSERT INTO recruitment_applicantsearchdocument (applicant_id, document)
    SELECT p.id, strip(to_tsvector('simple'::regconfig, {TEXT}))
    FROM recruitment_applicant AS p
    WHERE p.id >= %s AND p.id < %s
    ORDER BY p.id
    ON CONFLICT (applicant_id) DO NOTHING
"""
INDEX = """
CREATE INDEX CONCURRENTLY IF NOT EXISTS applicant_document_idx
    ON recruitment_applicantsearchdocument USING gin (document)
"""
ORPHANS = """
DELETE FROM recruitment_applicantsearchdocument AS d
    WHERE NOT EXISTS (SELECT FROM recruitment_applicant AS p WHERE p.id = d.applicant_id)
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
        cursor.execute(ORPHANS)
        cursor.execute("VACUUM (ANALYZE) recruitment_applicantsearchdocument")
        cursor.execute("SET maintenance_work_mem = '256MB'")
        create_index_concurrently(cursor, "applicant_document_idx", INDEX)
        cursor.execute("RESET maintenance_work_mem")


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX CONCURRENTLY IF EXISTS applicant_document_idx")


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("recruitment", "0036_applicant_search_documents"),
    ]

    operations = [
        migrations.RunPython(fill, drop_index, elidable=False),
    ]
