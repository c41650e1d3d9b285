"""Each applicant's searched text as a tsvector, kept by PostgreSQL
(recruitment.models.ApplicantSearchDocument; docs/list-performance.md, "Typeahead").

Triggers on the applicants keep recruitment_applicantsearchdocument in the writer's
transaction: rows for new applicants (a statement trigger, one INSERT per statement),
the row worked out again when a searched field changes (a row trigger whose WHEN skips
every other edit, such as the latest activity each move writes), rows deleted with
their applicants, all emptied by a TRUNCATE. Every write is an upsert, so the fill in
0037, which runs with the triggers already in place, never overwrites a newer row.

The document is the search index's expression (applicant_search_idx, migration 0017)
with the positions stripped: the search matches words and prefixes, never phrases.
SQLite gets no triggers and no rows.
"""

# ruff: noqa: S608 (the SQL is built from this module's constants alone, no input)
import django.contrib.postgres.search
from django.db import migrations, models

SEARCHED = ("first_name", "last_name", "email", "phone", "phone_key", "cv_text")


def document(row: str) -> str:
    text = " || ' ' || ".join(f"COALESCE(rms_unaccent({row}.{field}), '')" for field in SEARCHED)
    return f"strip(to_tsvector('simple'::regconfig, {text}))"


TEXT_CHANGED = " OR ".join(f"OLD.{field} IS DISTINCT FROM NEW.{field}" for field in SEARCHED)
TRIGGERS = f"""
CREATE FUNCTION rms_search_documents() RETURNS trigger
    LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'TRUNCATE' THEN
        DELETE FROM recruitment_applicantsearchdocument;
    ELSIF TG_OP = 'INSERT' THEN
        INSERT INTO recruitment_applicantsearchdocument (applicant_id, document)
            SELECT p.id, {document("p")} FROM new_rows AS p ORDER BY p.id
            ON CONFLICT (applicant_id) DO UPDATE SET document = EXCLUDED.document;
    ELSE
        DELETE FROM recruitment_applicantsearchdocument
            WHERE applicant_id IN (SELECT id FROM old_rows);
    END IF;
    RETURN NULL;
END
$$;
CREATE FUNCTION rms_search_document_text() RETURNS trigger
    LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO recruitment_applicantsearchdocument (applicant_id, document)
        VALUES (NEW.id, {document("NEW")})
        ON CONFLICT (applicant_id) DO UPDATE SET document = EXCLUDED.document;
    RETURN NULL;
END
$$;
CREATE TRIGGER rms_search_document_insert AFTER INSERT ON recruitment_applicant
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION rms_search_documents();
CREATE TRIGGER rms_search_document_update AFTER UPDATE ON recruitment_applicant
    FOR EACH ROW WHEN ({TEXT_CHANGED})
    EXECUTE FUNCTION rms_search_document_text();
CREATE TRIGGER rms_search_document_delete AFTER DELETE ON recruitment_applicant
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION rms_search_documents();
CREATE TRIGGER rms_search_document_truncate AFTER TRUNCATE ON recruitment_applicant
    FOR EACH STATEMENT EXECUTE FUNCTION rms_search_documents();
"""
DROP_TRIGGERS = """
DROP TRIGGER rms_search_document_insert ON recruitment_applicant;
DROP TRIGGER rms_search_document_update ON recruitment_applicant;
DROP TRIGGER rms_search_document_delete ON recruitment_applicant;
DROP TRIGGER rms_search_document_truncate ON recruitment_applicant;
DROP FUNCTION rms_search_documents();
DROP FUNCTION rms_search_document_text();
"""


def add_triggers(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(TRIGGERS)


def drop_triggers(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP_TRIGGERS)


class Migration(migrations.Migration):
    dependencies = [
        ("recruitment", "0035_vacuum_applicant_tallies"),
    ]

    operations = [
        migrations.CreateModel(
            name="ApplicantSearchDocument",
            fields=[
                ("applicant_id", models.BigIntegerField(primary_key=True, serialize=False)),
                ("document", django.contrib.postgres.search.SearchVectorField()),
            ],
            options={
                "verbose_name": "applicant search document",
                "verbose_name_plural": "applicant search documents",
            },
        ),
        migrations.RunPython(add_triggers, drop_triggers, elidable=False),
    ]
