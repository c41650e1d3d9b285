"""Migrations keep docs/deploy-migrations.md's rule: the release before them runs on
their schema (during a deploy's migrate, a rolling switch, a revert), so a column they
add to a table must be nullable or carry a database default: the previous release's
inserts name no such column."""

from django.conf import settings
from django.db import models
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.operations import AddField

# Exceptions, each a column no running release could be missing when it was added:
# four whose deploys are long past (live databases have them), and the stays tally's
# vacancy, added in the same release as its table (no earlier release writes it).
KNOWN = {
    ("recruitment", "0003_list_search", "applicant", "notes_count"),
    ("recruitment", "0005_notes_and_ratings", "activity", "criterion"),
    ("recruitment", "0006_applicant_records", "applicant", "phone_key"),
    ("recruitment", "0017_cv_text", "applicant", "cv_text"),
    ("recruitment", "0030_stay_tally_by_vacancy", "staytally", "vacancy_id"),
}


def added_columns():
    loader = MigrationLoader(None, ignore_no_migrations=True)
    for (app, name), migration in sorted(loader.disk_migrations.items()):
        if app not in settings.FIRST_PARTY_APPS:
            continue
        for operation in migration.operations:
            if isinstance(operation, AddField):
                yield app, name, operation.model_name, operation.name, operation.field


def test_every_added_column_is_nullable_or_has_a_database_default():
    required = [
        (app, name, model, field_name)
        for app, name, model, field_name, field in added_columns()
        if not (field.null or field.many_to_many or field.db_default is not models.NOT_PROVIDED)
    ]
    assert sorted(set(required) - KNOWN) == []


def test_the_check_sees_the_columns_this_release_adds():
    added = {(model, name): field for _, _, model, name, field in added_columns()}
    assert added[("vacancy", "title_pl")].db_default == ""
    assert added[("outgoingemail", "calendar")].db_default == ""
