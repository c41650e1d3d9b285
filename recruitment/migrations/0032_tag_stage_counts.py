"""Stage counts per tag, kept by PostgreSQL (docs/list-performance.md, "Counts per tag").

Two statement-level triggers keep recruitment_tagstagecount, in the writer's
transaction: one on the applications (an application created, moved, closed, reopened,
given to another applicant or deleted changes the counts of its applicant's tags) and
one on the applicants' tags (a tag added to or taken from an applicant changes that
tag's counts by the applicant's applications). Each aggregates its transition table, so
a bulk insert costs one upsert per (tag, stage) touched, and upserts in key order.

Each trigger reads the other table, so two transactions changing one applicant's tags
and applications at once must not both miss the other's uncommitted change: the tags'
trigger locks the applicants FOR UPDATE and the applications' trigger FOR KEY SHARE
(the lock an application's foreign key check takes anyway), so the second waits for the
first to commit, and then reads it (each statement of the function sees the rows
committed before it began). FOR KEY SHARE does not conflict with an update of the
applicant's own row, so moves and edits of one applicant never wait on each other for
it. SQLite gets no triggers: it counts (recruitment.selectors).
"""

# ruff: noqa: S608 (the SQL is built from this module's constants alone, no input)

from django.db import migrations, models

KEY = "CASE WHEN {0}.closed_at IS NULL THEN {0}.stage ELSE 'closed' END"
UPSERT = """
INSERT INTO recruitment_tagstagecount AS kept (tag_id, key, count)
    SELECT tag_id, key, sum(delta) FROM ({rows}) AS changed (tag_id, key, delta)
    GROUP BY tag_id, key HAVING sum(delta) <> 0 ORDER BY tag_id, key
    ON CONFLICT (tag_id, key) DO UPDATE SET count = kept.count + EXCLUDED.count;
"""
# An application's rows (from a transition table) with the tags its applicant has now.
APPLICATION_TAGS = (
    "SELECT link.tag_id, {key}, {sign} FROM {table} AS a"
    " JOIN recruitment_applicant_tags AS link ON link.applicant_id = a.applicant_id{where}"
)
# The applications an applicant has now, for each tag added (+1) or taken (-1).
LINK_APPLICATIONS = (
    "SELECT link.tag_id, {key}, {sign} FROM {table} AS link"
    " JOIN recruitment_application AS a ON a.applicant_id = link.applicant_id"
)
# An update that changes neither the stage, the state nor the applicant changes no count.
MOVED = (
    " WHERE EXISTS (SELECT FROM {other} AS b WHERE b.id = a.id AND"
    " (b.applicant_id <> a.applicant_id OR {other_key} <> {key}))"
)


def _application_rows(table: str, sign: str, other: str | None = None) -> str:
    key = KEY.format("a")
    where = "" if other is None else MOVED.format(other=other, other_key=KEY.format("b"), key=key)
    return APPLICATION_TAGS.format(key=key, sign=sign, table=table, where=where)


def _link_rows(table: str, sign: str) -> str:
    return LINK_APPLICATIONS.format(key=KEY.format("a"), sign=sign, table=table)


def _lock(strength: str, *tables: str, moved: bool = False) -> str:
    """Locks the applicants of a transition table's rows (of the moved ones alone)."""
    others = {"old_rows": "new_rows", "new_rows": "old_rows"}
    ids = " UNION ".join(
        f"SELECT a.applicant_id FROM {table} AS a"
        + (
            MOVED.format(other=others[table], other_key=KEY.format("b"), key=KEY.format("a"))
            if moved
            else ""
        )
        for table in tables
    )
    return f"PERFORM FROM recruitment_applicant WHERE id IN ({ids}) ORDER BY id FOR {strength};"


TRIGGERS = f"""
CREATE FUNCTION rms_tag_count_applications() RETURNS trigger
    LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'TRUNCATE' THEN
        DELETE FROM recruitment_tagstagecount;
    ELSIF TG_OP = 'INSERT' THEN
        -- The foreign key's check has locked each applicant FOR KEY SHARE already.
        {UPSERT.format(rows=_application_rows("new_rows", "1"))}
    ELSIF TG_OP = 'DELETE' THEN
        {_lock("KEY SHARE", "old_rows")}
        {UPSERT.format(rows=_application_rows("old_rows", "-1"))}
    ELSE
        {_lock("KEY SHARE", "old_rows", "new_rows", moved=True)}
        {
    UPSERT.format(
        rows=_application_rows("new_rows", "1", other="old_rows")
        + " UNION ALL "
        + _application_rows("old_rows", "-1", other="new_rows")
    )
}
    END IF;
    RETURN NULL;
END
$$;
CREATE FUNCTION rms_tag_count_links() RETURNS trigger
    LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'TRUNCATE' THEN
        DELETE FROM recruitment_tagstagecount;
    ELSIF TG_OP = 'INSERT' THEN
        {_lock("UPDATE", "new_links")}
        {UPSERT.format(rows=_link_rows("new_links", "1"))}
    ELSIF TG_OP = 'DELETE' THEN
        {_lock("UPDATE", "old_links")}
        {UPSERT.format(rows=_link_rows("old_links", "-1"))}
    ELSE
        {_lock("UPDATE", "old_links", "new_links")}
        {
    UPSERT.format(rows=_link_rows("new_links", "1") + " UNION ALL " + _link_rows("old_links", "-1"))
}
    END IF;
    RETURN NULL;
END
$$;
CREATE TRIGGER rms_tag_count_insert AFTER INSERT ON recruitment_application
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION rms_tag_count_applications();
CREATE TRIGGER rms_tag_count_update AFTER UPDATE ON recruitment_application
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION rms_tag_count_applications();
CREATE TRIGGER rms_tag_count_delete AFTER DELETE ON recruitment_application
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION rms_tag_count_applications();
CREATE TRIGGER rms_tag_count_truncate AFTER TRUNCATE ON recruitment_application
    FOR EACH STATEMENT EXECUTE FUNCTION rms_tag_count_applications();
CREATE TRIGGER rms_tag_count_insert AFTER INSERT ON recruitment_applicant_tags
    REFERENCING NEW TABLE AS new_links
    FOR EACH STATEMENT EXECUTE FUNCTION rms_tag_count_links();
CREATE TRIGGER rms_tag_count_update AFTER UPDATE ON recruitment_applicant_tags
    REFERENCING OLD TABLE AS old_links NEW TABLE AS new_links
    FOR EACH STATEMENT EXECUTE FUNCTION rms_tag_count_links();
CREATE TRIGGER rms_tag_count_delete AFTER DELETE ON recruitment_applicant_tags
    REFERENCING OLD TABLE AS old_links
    FOR EACH STATEMENT EXECUTE FUNCTION rms_tag_count_links();
CREATE TRIGGER rms_tag_count_truncate AFTER TRUNCATE ON recruitment_applicant_tags
    FOR EACH STATEMENT EXECUTE FUNCTION rms_tag_count_links();
LOCK TABLE recruitment_application, recruitment_applicant_tags IN SHARE MODE;
INSERT INTO recruitment_tagstagecount (tag_id, key, count)
    SELECT link.tag_id, {KEY.format("a")}, count(*)
    FROM recruitment_applicant_tags AS link
    JOIN recruitment_application AS a ON a.applicant_id = link.applicant_id
    GROUP BY 1, 2;
"""
DROP_TRIGGERS = """
DROP TRIGGER rms_tag_count_insert ON recruitment_application;
DROP TRIGGER rms_tag_count_update ON recruitment_application;
DROP TRIGGER rms_tag_count_delete ON recruitment_application;
DROP TRIGGER rms_tag_count_truncate ON recruitment_application;
DROP TRIGGER rms_tag_count_insert ON recruitment_applicant_tags;
DROP TRIGGER rms_tag_count_update ON recruitment_applicant_tags;
DROP TRIGGER rms_tag_count_delete ON recruitment_applicant_tags;
DROP TRIGGER rms_tag_count_truncate ON recruitment_applicant_tags;
DROP FUNCTION rms_tag_count_applications();
DROP FUNCTION rms_tag_count_links();
"""


def add_triggers(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(TRIGGERS)


def drop_triggers(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP_TRIGGERS)


class Migration(migrations.Migration):
    dependencies = [
        ("recruitment", "0031_vacancy_polish_content"),
    ]

    operations = [
        migrations.CreateModel(
            name="TagStageCount",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("tag_id", models.BigIntegerField()),
                ("key", models.CharField(max_length=20)),
                ("count", models.BigIntegerField(db_default=0, default=0)),
            ],
            options={
                "verbose_name": "tag stage count",
                "verbose_name_plural": "tag stage counts",
                "constraints": [
                    models.UniqueConstraint(fields=("tag_id", "key"), name="tag_stage_count_key")
                ],
            },
        ),
        migrations.RunPython(add_triggers, drop_triggers, elidable=False),
    ]
