"""Each applicant's filter fields and stage counts, kept by PostgreSQL
(docs/list-performance.md, "Counts from the applicants' tallies").

Triggers keep recruitment_applicanttally in the writer's transaction:
- on the applicants: a row for each new applicant (its counts zero), the filter fields
  copied again when one of them changes (a row trigger whose WHEN skips every other
  edit), the row deleted with the applicant, all rows emptied by a TRUNCATE;
- on the applications: a statement trigger adds each changed application's +1 (where
  it is now) and -1 (where it was) to its applicant's counts, one upsert per applicant
  in id order; a save that changes neither the stage, the state nor the applicant
  writes nothing.

The counts are added as deltas, so two transactions moving one applicant's
applications wait for each other's row lock and both are counted; the copied fields
are written under the applicant's own row lock, in its commit order. The applications'
trigger first locks their applicants FOR NO KEY UPDATE, in id order: an edit holds the
applicant's row and then writes the tally, while a move wrote the tally and then the
applicant's row (its latest activity), so each could hold what the other waited for.
An applicant inserted after its applications (foreign keys are checked at commit)
counts them. SQLite gets no
triggers and no rows: it counts (recruitment.selectors).
"""

# ruff: noqa: S608 (the SQL is built from this module's constants alone, no input)

from django.db import migrations, models

STAGES = ("application", "confirmation", "verification", "interview", "decision", "employment")
COUNTS = (*STAGES, "closed")
FIELDS = ("city_id", "source_id", "experience_years", "birth_year")
KEY = "CASE WHEN {0}.closed_at IS NULL THEN {0}.stage ELSE 'closed' END"
# The applicant's fields come along for a row that is missing (never, while the triggers
# stand): it is made from the applicant as it is now, and not at all for one deleted.
ADD = f"""
PERFORM FROM recruitment_applicant
    WHERE id IN (SELECT applicant_id FROM ({{rows}}) AS changed (applicant_id, key, delta))
    ORDER BY id FOR NO KEY UPDATE;
INSERT INTO recruitment_applicanttally AS kept (applicant_id, {", ".join(FIELDS)}, {", ".join(COUNTS)})
    SELECT p.id, {", ".join(f"p.{field}" for field in FIELDS)}, {", ".join(f"c.{key}" for key in COUNTS)}
    FROM (
        SELECT applicant_id, {", ".join(f"sum(CASE WHEN key = '{key}' THEN delta ELSE 0 END) AS {key}" for key in COUNTS)}
        FROM ({{rows}}) AS changed (applicant_id, key, delta) GROUP BY applicant_id
    ) AS c
    JOIN recruitment_applicant AS p ON p.id = c.applicant_id
    ORDER BY p.id
    ON CONFLICT (applicant_id) DO UPDATE SET {", ".join(f"{key} = kept.{key} + EXCLUDED.{key}" for key in COUNTS)};
"""
ROWS = "SELECT a.applicant_id, {key}, {sign} FROM {table} AS a{where}"
# An update that changes neither the stage, the state nor the applicant changes no count.
MOVED = (
    " WHERE EXISTS (SELECT FROM {other} AS b WHERE b.id = a.id AND"
    " (b.applicant_id <> a.applicant_id OR {other_key} <> {key}))"
)


def _rows(table: str, sign: str, other: str | None = None) -> str:
    key = KEY.format("a")
    where = "" if other is None else MOVED.format(other=other, other_key=KEY.format("b"), key=key)
    return ROWS.format(key=key, sign=sign, table=table, where=where)


# A row for each of {applicants} (the table, or a trigger's new rows), counting the
# applications already there: with the foreign keys checked at commit, a transaction may
# insert an applicant's applications before the applicant.
FILL = f"""
INSERT INTO recruitment_applicanttally (applicant_id, {", ".join(FIELDS)}, {", ".join(COUNTS)})
    SELECT p.id, {", ".join(f"p.{field}" for field in FIELDS)},
        {
    ", ".join(
        f"count(a.applicant_id) FILTER (WHERE a.closed_at IS NULL AND a.stage = '{stage}')"
        for stage in STAGES
    )
},
        count(a.applicant_id) FILTER (WHERE a.closed_at IS NOT NULL)
    FROM {{applicants}} AS p
    LEFT JOIN recruitment_application AS a ON a.applicant_id = p.id
    GROUP BY p.id, {", ".join(f"p.{field}" for field in FIELDS)}
    ORDER BY p.id;
"""
FIELDS_CHANGED = " OR ".join(f"OLD.{field} IS DISTINCT FROM NEW.{field}" for field in FIELDS)
TRIGGERS = f"""
CREATE FUNCTION rms_tally_applications() RETURNS trigger
    LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'TRUNCATE' THEN
        UPDATE recruitment_applicanttally SET {", ".join(f"{key} = 0" for key in COUNTS)};
    ELSIF TG_OP = 'INSERT' THEN
        {ADD.format(rows=_rows("new_rows", "1"))}
    ELSIF TG_OP = 'DELETE' THEN
        {ADD.format(rows=_rows("old_rows", "-1"))}
    ELSE
        {
    ADD.format(
        rows=_rows("new_rows", "1", other="old_rows")
        + " UNION ALL "
        + _rows("old_rows", "-1", other="new_rows")
    )
}
    END IF;
    RETURN NULL;
END
$$;
CREATE FUNCTION rms_tally_applicants() RETURNS trigger
    LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'TRUNCATE' THEN
        DELETE FROM recruitment_applicanttally;
    ELSIF TG_OP = 'INSERT' THEN
        {FILL.format(applicants="new_rows")}
    ELSE
        DELETE FROM recruitment_applicanttally WHERE applicant_id IN (SELECT id FROM old_rows);
    END IF;
    RETURN NULL;
END
$$;
CREATE FUNCTION rms_tally_applicant_fields() RETURNS trigger
    LANGUAGE plpgsql AS $$
BEGIN
    UPDATE recruitment_applicanttally
        SET {", ".join(f"{field} = NEW.{field}" for field in FIELDS)}
        WHERE applicant_id = NEW.id;
    RETURN NULL;
END
$$;
CREATE TRIGGER rms_tally_insert AFTER INSERT ON recruitment_application
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION rms_tally_applications();
CREATE TRIGGER rms_tally_update AFTER UPDATE ON recruitment_application
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION rms_tally_applications();
CREATE TRIGGER rms_tally_delete AFTER DELETE ON recruitment_application
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION rms_tally_applications();
CREATE TRIGGER rms_tally_truncate AFTER TRUNCATE ON recruitment_application
    FOR EACH STATEMENT EXECUTE FUNCTION rms_tally_applications();
CREATE TRIGGER rms_tally_insert AFTER INSERT ON recruitment_applicant
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION rms_tally_applicants();
CREATE TRIGGER rms_tally_update AFTER UPDATE ON recruitment_applicant
    FOR EACH ROW WHEN ({FIELDS_CHANGED})
    EXECUTE FUNCTION rms_tally_applicant_fields();
CREATE TRIGGER rms_tally_delete AFTER DELETE ON recruitment_applicant
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION rms_tally_applicants();
CREATE TRIGGER rms_tally_truncate AFTER TRUNCATE ON recruitment_applicant
    FOR EACH STATEMENT EXECUTE FUNCTION rms_tally_applicants();
LOCK TABLE recruitment_applicant, recruitment_application IN SHARE MODE;
{FILL.format(applicants="recruitment_applicant")}
ANALYZE recruitment_applicanttally;
"""
DROP_TRIGGERS = """
DROP TRIGGER rms_tally_insert ON recruitment_application;
DROP TRIGGER rms_tally_update ON recruitment_application;
DROP TRIGGER rms_tally_delete ON recruitment_application;
DROP TRIGGER rms_tally_truncate ON recruitment_application;
DROP TRIGGER rms_tally_insert ON recruitment_applicant;
DROP TRIGGER rms_tally_update ON recruitment_applicant;
DROP TRIGGER rms_tally_delete ON recruitment_applicant;
DROP TRIGGER rms_tally_truncate ON recruitment_applicant;
DROP FUNCTION rms_tally_applications();
DROP FUNCTION rms_tally_applicants();
DROP FUNCTION rms_tally_applicant_fields();
"""


def add_triggers(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(TRIGGERS)


def drop_triggers(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP_TRIGGERS)


class Migration(migrations.Migration):
    dependencies = [
        ("recruitment", "0033_applicant_email_prefix_index"),
    ]

    operations = [
        migrations.CreateModel(
            name="ApplicantTally",
            fields=[
                ("applicant_id", models.BigIntegerField(primary_key=True, serialize=False)),
                ("city_id", models.BigIntegerField(null=True)),
                ("source_id", models.BigIntegerField(null=True)),
                ("experience_years", models.PositiveSmallIntegerField(default=0)),
                ("birth_year", models.PositiveSmallIntegerField(null=True)),
                ("application", models.IntegerField(db_default=0, default=0)),
                ("confirmation", models.IntegerField(db_default=0, default=0)),
                ("verification", models.IntegerField(db_default=0, default=0)),
                ("interview", models.IntegerField(db_default=0, default=0)),
                ("decision", models.IntegerField(db_default=0, default=0)),
                ("employment", models.IntegerField(db_default=0, default=0)),
                ("closed", models.IntegerField(db_default=0, default=0)),
            ],
            options={
                "verbose_name": "applicant tally",
                "verbose_name_plural": "applicant tallies",
            },
        ),
        migrations.RunPython(add_triggers, drop_triggers, elidable=False),
        # Built once the rows are in, not updated row by row while they go in.
        migrations.AddIndex(
            model_name="applicanttally",
            index=models.Index(
                fields=["city_id", "applicant_id"],
                include=(
                    "source_id",
                    "experience_years",
                    "birth_year",
                    "application",
                    "confirmation",
                    "verification",
                    "interview",
                    "decision",
                    "employment",
                    "closed",
                ),
                name="applicant_tally_city_idx",
            ),
        ),
    ]
