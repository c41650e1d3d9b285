"""Closing reasons the admins can edit, each under rejected or withdrawn.

Today's two choices become the first two reasons, and every application already closed
points at the one of its group: nothing closed before loses its reason.
"""

import django.db.models.deletion
from django.db import migrations, models

FIRST_REASONS = [("rejected", "Rejected"), ("withdrawn", "Withdrawn")]


def add_first_reasons(apps, schema_editor):
    reasons = apps.get_model("recruitment", "ClosingReason")
    applications = apps.get_model("recruitment", "Application")
    for group, name in FIRST_REASONS:
        reason, _ = reasons.objects.get_or_create(name=name, defaults={"group": group})
        applications.objects.filter(close_reason=group, closing_reason__isnull=True).update(
            closing_reason=reason
        )


def drop_first_reasons(apps, schema_editor):
    apps.get_model("recruitment", "Application").objects.update(closing_reason=None)
    apps.get_model("recruitment", "ClosingReason").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("recruitment", "0014_polish_search_and_sort"),
    ]

    operations = [
        migrations.CreateModel(
            name="ClosingReason",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("name", models.CharField(max_length=100, unique=True, verbose_name="name")),
                (
                    "group",
                    models.CharField(
                        choices=[("rejected", "Rejected"), ("withdrawn", "Withdrawn")],
                        max_length=20,
                        verbose_name="group",
                    ),
                ),
                ("position", models.PositiveSmallIntegerField(default=0, verbose_name="position")),
                (
                    "is_active",
                    models.BooleanField(
                        default=True,
                        help_text="Unticked: kept on old records, no longer offered.",
                        verbose_name="offered",
                    ),
                ),
            ],
            options={
                "verbose_name": "closing reason",
                "verbose_name_plural": "closing reasons",
                "ordering": ["group", "position", "name"],
            },
        ),
        migrations.AlterField(
            model_name="activity",
            name="kind",
            field=models.CharField(
                choices=[
                    ("note.added", "Note"),
                    ("note.edited", "Note edited"),
                    ("note.deleted", "Note deleted"),
                    ("application.created", "Application created"),
                    ("application.stage_changed", "Stage change"),
                    ("application.closed", "Application closed"),
                    ("application.reopened", "Application reopened"),
                    ("rating.added", "Rating"),
                    ("applicant.created", "Applicant created"),
                    ("applicant.edited", "Applicant edited"),
                    ("applicant.merged", "Applicants merged"),
                    ("applicant.cv_uploaded", "CV uploaded"),
                    ("applicant.tags_changed", "Tags changed"),
                    ("email.sent", "E-mail"),
                ],
                max_length=40,
                verbose_name="kind",
            ),
        ),
        migrations.AddField(
            model_name="application",
            name="closing_reason",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="applications",
                to="recruitment.closingreason",
                verbose_name="closing reason",
            ),
        ),
        migrations.RunPython(add_first_reasons, drop_first_reasons),
    ]
