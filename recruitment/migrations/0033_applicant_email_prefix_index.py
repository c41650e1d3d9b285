"""An index for a half-typed e-mail address in the search and the typeahead.

"jan@exam" is compared with the start of each lower-cased address
(recruitment.search._full_text_filter); without an index that is a scan of every
applicant (340 ms at a million). `text_pattern_ops` orders the addresses byte by byte,
which is what a LIKE 'prefix%' needs whatever the database's collation. The existing
unique index on the same expression keeps the collation's order, which a prefix cannot
use. SQLite has no operator classes and matches substrings anyway: nothing there.
"""

from django.db import migrations

INDEX = (
    "CREATE INDEX applicant_email_prefix_idx ON recruitment_applicant "
    "(lower((email)::text) text_pattern_ops)"
)
DROP_INDEX = "DROP INDEX applicant_email_prefix_idx"


def add_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(INDEX)


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP_INDEX)


class Migration(migrations.Migration):
    dependencies = [
        ("recruitment", "0032_tag_stage_counts"),
    ]

    operations = [
        migrations.RunPython(add_index, drop_index, elidable=False),
    ]
