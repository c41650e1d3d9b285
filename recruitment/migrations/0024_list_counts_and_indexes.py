"""The stage tabs' kept counts, and the indexes of the stage and Closed tabs.

On PostgreSQL, statement-level triggers with transition tables keep
recruitment_applicationcount: one upsert per statement, whatever number of rows it
wrote (seed_demo's bulk inserts, a cascade from a deleted applicant), and a TRUNCATE of
the applications empties the counts with them. Rows are upserted in key order, so two
transactions moving applications between the same two stages in opposite directions
lock the counters in the same order and cannot deadlock. SQLite gets no triggers: its
counts are computed (recruitment.selectors.application_stage_counts).
"""

from django.db import migrations, models

TRIGGERS = """
CREATE FUNCTION rms_application_count_rows() RETURNS trigger
    LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'TRUNCATE' THEN
        DELETE FROM recruitment_applicationcount;
    ELSIF TG_OP = 'INSERT' THEN
        INSERT INTO recruitment_applicationcount AS kept (key, count)
            SELECT key, count(*) FROM (
                SELECT CASE WHEN closed_at IS NULL THEN stage ELSE 'closed' END FROM new_rows
            ) AS added (key)
            GROUP BY key ORDER BY key
            ON CONFLICT (key) DO UPDATE SET count = kept.count + EXCLUDED.count;
    ELSIF TG_OP = 'DELETE' THEN
        INSERT INTO recruitment_applicationcount AS kept (key, count)
            SELECT key, -count(*) FROM (
                SELECT CASE WHEN closed_at IS NULL THEN stage ELSE 'closed' END FROM old_rows
            ) AS removed (key)
            GROUP BY key ORDER BY key
            ON CONFLICT (key) DO UPDATE SET count = kept.count + EXCLUDED.count;
    ELSE
        INSERT INTO recruitment_applicationcount AS kept (key, count)
            SELECT key, sum(delta) FROM (
                SELECT CASE WHEN closed_at IS NULL THEN stage ELSE 'closed' END, 1 FROM new_rows
                UNION ALL
                SELECT CASE WHEN closed_at IS NULL THEN stage ELSE 'closed' END, -1 FROM old_rows
            ) AS moved (key, delta)
            GROUP BY key HAVING sum(delta) <> 0 ORDER BY key
            ON CONFLICT (key) DO UPDATE SET count = kept.count + EXCLUDED.count;
    END IF;
    RETURN NULL;
END
$$;
CREATE TRIGGER rms_application_count_insert AFTER INSERT ON recruitment_application
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION rms_application_count_rows();
CREATE TRIGGER rms_application_count_update AFTER UPDATE ON recruitment_application
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION rms_application_count_rows();
CREATE TRIGGER rms_application_count_delete AFTER DELETE ON recruitment_application
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION rms_application_count_rows();
CREATE TRIGGER rms_application_count_truncate AFTER TRUNCATE ON recruitment_application
    FOR EACH STATEMENT EXECUTE FUNCTION rms_application_count_rows();
LOCK TABLE recruitment_application IN SHARE MODE;
INSERT INTO recruitment_applicationcount (key, count)
    SELECT CASE WHEN closed_at IS NULL THEN stage ELSE 'closed' END, count(*)
    FROM recruitment_application GROUP BY 1;
"""
DROP_TRIGGERS = """
DROP TRIGGER rms_application_count_insert ON recruitment_application;
DROP TRIGGER rms_application_count_update ON recruitment_application;
DROP TRIGGER rms_application_count_delete ON recruitment_application;
DROP TRIGGER rms_application_count_truncate ON recruitment_application;
DROP FUNCTION rms_application_count_rows();
DELETE FROM recruitment_applicationcount;
"""


def add_triggers(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(TRIGGERS)


def drop_triggers(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP_TRIGGERS)


class Migration(migrations.Migration):
    dependencies = [
        ("recruitment", "0023_interview_activities_and_calendar_mail"),
    ]

    operations = [
        migrations.CreateModel(
            name="ApplicationCount",
            fields=[
                ("key", models.CharField(max_length=20, primary_key=True, serialize=False)),
                ("count", models.BigIntegerField(default=0)),
            ],
            options={
                "verbose_name": "application count",
                "verbose_name_plural": "application counts",
            },
        ),
        migrations.RunPython(add_triggers, drop_triggers),
        migrations.RemoveIndex(
            model_name="application",
            name="application_open_stage_idx",
        ),
        migrations.AddIndex(
            model_name="application",
            index=models.Index(
                condition=models.Q(("closed_at__isnull", True)),
                fields=["stage", "-created_at", "-id"],
                name="application_open_stage_idx",
            ),
        ),
        migrations.AddIndex(
            model_name="application",
            index=models.Index(
                condition=models.Q(("closed_at__isnull", False)),
                fields=["-created_at", "-id"],
                name="application_closed_created_idx",
            ),
        ),
    ]
