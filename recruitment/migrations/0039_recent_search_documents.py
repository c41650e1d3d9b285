"""The kept search words of the recently active applicants a search can find, with their
latest activity (recruitment.models.RecentSearchDocument; docs/list-performance.md,
"Typeahead"), kept by PostgreSQL in the writer's transaction.

Triggers on the applicants, named to fire after 0036's (the same event's triggers fire
in name order), so the words they copy are already the new ones:
- new applicants active within RECENT days get a row (a statement trigger);
- an update of the latest activity, the searched text, or the merge and restriction
  markers adds, updates or deletes the applicant's row (a row trigger whose WHEN skips
  every other edit). The words are copied only when the text changed: a move, the
  commonest write, updates the latest activity alone;
- rows go with their applicants, and all of them with a TRUNCATE.
RECENT is RECENT_SEARCH_DAYS + 1 (recruitment.models): the typeahead trusts the table
for RECENT_SEARCH_DAYS. The daily task `recent_search_documents_trim`, scheduled here,
deletes the rows that have aged out since. Half of each page is left free, so that a
move's update stays on its page (a HOT update: no index entry is written).

SQLite gets the table, no triggers and no rows.
"""

# ruff: noqa: S608 (the SQL is built from this module's constants alone, no input)
import django.contrib.postgres.search
from django.db import migrations, models

SEARCHED = ("first_name", "last_name", "email", "phone", "phone_key", "cv_text")
WATCHED = (*SEARCHED, "latest_activity_at", "merged_into_id", "restricted_at")
RECENT = "interval '31 days'"
TABLE = "recruitment_recentsearchdocument"
DOCUMENTS = "recruitment_applicantsearchdocument"


def findable_and_recent(row: str) -> str:
    return (
        f"{row}.merged_into_id IS NULL AND {row}.restricted_at IS NULL"
        f" AND {row}.latest_activity_at >= now() - {RECENT}"
    )


def changed(fields: tuple[str, ...]) -> str:
    return " OR ".join(f"OLD.{field} IS DISTINCT FROM NEW.{field}" for field in fields)


TRIGGERS = f"""
ALTER TABLE {TABLE} SET (fillfactor = 50);
CREATE FUNCTION rms_recent_search_documents() RETURNS trigger
    LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'TRUNCATE' THEN
        DELETE FROM {TABLE};
    ELSIF TG_OP = 'DELETE' THEN
        DELETE FROM {TABLE} WHERE applicant_id IN (SELECT id FROM old_rows);
    ELSE
        INSERT INTO {TABLE} (applicant_id, latest_activity_at, document)
            SELECT p.id, p.latest_activity_at, d.document
            FROM new_rows AS p JOIN {DOCUMENTS} AS d ON d.applicant_id = p.id
            WHERE {findable_and_recent("p")}
            ORDER BY p.id
            ON CONFLICT (applicant_id) DO UPDATE
                SET latest_activity_at = EXCLUDED.latest_activity_at,
                    document = EXCLUDED.document;
    END IF;
    RETURN NULL;
END
$$;
CREATE FUNCTION rms_recent_search_document() RETURNS trigger
    LANGUAGE plpgsql AS $$
BEGIN
    IF NOT ({findable_and_recent("NEW")}) THEN
        DELETE FROM {TABLE} WHERE applicant_id = NEW.id;
    ELSIF {changed(SEARCHED)} THEN
        INSERT INTO {TABLE} (applicant_id, latest_activity_at, document)
            SELECT NEW.id, NEW.latest_activity_at, d.document
            FROM {DOCUMENTS} AS d WHERE d.applicant_id = NEW.id
            ON CONFLICT (applicant_id) DO UPDATE
                SET latest_activity_at = EXCLUDED.latest_activity_at,
                    document = EXCLUDED.document;
    ELSE
        INSERT INTO {TABLE} (applicant_id, latest_activity_at, document)
            SELECT NEW.id, NEW.latest_activity_at, d.document
            FROM {DOCUMENTS} AS d WHERE d.applicant_id = NEW.id
            ON CONFLICT (applicant_id) DO UPDATE
                SET latest_activity_at = EXCLUDED.latest_activity_at;
    END IF;
    RETURN NULL;
END
$$;
CREATE TRIGGER rms_search_recent_insert AFTER INSERT ON recruitment_applicant
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION rms_recent_search_documents();
CREATE TRIGGER rms_search_recent_update AFTER UPDATE ON recruitment_applicant
    FOR EACH ROW WHEN ({changed(WATCHED)})
    EXECUTE FUNCTION rms_recent_search_document();
CREATE TRIGGER rms_search_recent_delete AFTER DELETE ON recruitment_applicant
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION rms_recent_search_documents();
CREATE TRIGGER rms_search_recent_truncate AFTER TRUNCATE ON recruitment_applicant
    FOR EACH STATEMENT EXECUTE FUNCTION rms_recent_search_documents();
"""
DROP_TRIGGERS = """
DROP TRIGGER rms_search_recent_insert ON recruitment_applicant;
DROP TRIGGER rms_search_recent_update ON recruitment_applicant;
DROP TRIGGER rms_search_recent_delete ON recruitment_applicant;
DROP TRIGGER rms_search_recent_truncate ON recruitment_applicant;
DROP FUNCTION rms_recent_search_documents();
DROP FUNCTION rms_recent_search_document();
"""
SCHEDULE = (
    "Trim recent search documents",
    "recruitment.tasks.recent_search_documents_trim",
    ("40", "3"),
)


def add_triggers(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(TRIGGERS)


def drop_triggers(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP_TRIGGERS)


def schedule_add(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    name, task, (minute, hour) = SCHEDULE
    crontab, _ = CrontabSchedule.objects.get_or_create(
        minute=minute, hour=hour, day_of_week="*", day_of_month="*", month_of_year="*"
    )
    PeriodicTask.objects.get_or_create(name=name, defaults={"task": task, "crontab": crontab})


def schedule_remove(apps, schema_editor):
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTask.objects.filter(name=SCHEDULE[0]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("django_celery_beat", "0019_alter_periodictasks_options"),
        ("recruitment", "0038_applicant_restricted_index"),
    ]

    operations = [
        migrations.CreateModel(
            name="RecentSearchDocument",
            fields=[
                ("applicant_id", models.BigIntegerField(primary_key=True, serialize=False)),
                ("latest_activity_at", models.DateTimeField()),
                ("document", django.contrib.postgres.search.SearchVectorField()),
            ],
            options={
                "verbose_name": "recent applicant search document",
                "verbose_name_plural": "recent applicant search documents",
            },
        ),
        migrations.RunPython(add_triggers, drop_triggers, elidable=False),
        migrations.RunPython(schedule_add, schedule_remove, elidable=False),
    ]
