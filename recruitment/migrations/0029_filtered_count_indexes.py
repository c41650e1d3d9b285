"""Filtered stage counts read from indexes (docs/list-performance.md, "Filtered counts").

The covering indexes lead with the foreign keys whose plain indexes they replace, so the
foreign keys keep an index throughout (one transaction) and writes keep one index each.
The tag-first index is on Django's own through table, which has no Meta to declare it.
"""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("recruitment", "0028_translated_content"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="applicant",
            index=models.Index(
                fields=["city", "id"],
                include=("experience_years", "birth_year"),
                name="applicant_city_filters_idx",
            ),
        ),
        migrations.AddIndex(
            model_name="application",
            index=models.Index(
                fields=["applicant"],
                include=("stage", "closed_at"),
                name="application_applicant_idx",
            ),
        ),
        migrations.AlterField(
            model_name="applicant",
            name="city",
            field=models.ForeignKey(
                blank=True,
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                to="recruitment.city",
                verbose_name="city",
            ),
        ),
        migrations.AlterField(
            model_name="application",
            name="applicant",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="applications",
                to="recruitment.applicant",
                verbose_name="applicant",
            ),
        ),
        # The tags filter's EXISTS and the filtered counts: a tag's applicants read from
        # the index alone, not from the through table's rows.
        migrations.RunSQL(
            "CREATE INDEX applicant_tags_tag_applicant_idx"
            " ON recruitment_applicant_tags (tag_id, applicant_id)",
            "DROP INDEX applicant_tags_tag_applicant_idx",
        ),
    ]
