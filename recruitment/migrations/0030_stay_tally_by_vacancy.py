from django.db import migrations, models
from django.db.models import Count, Sum


def fill(apps, schema_editor):
    ApplicationTally = apps.get_model("recruitment", "ApplicationTally")
    Application = apps.get_model("recruitment", "Application")
    if not ApplicationTally.objects.exists() and Application.objects.exists():
        # A database that had data before the summary existed (0025 leaves it empty).
        # The service itself, not historical models: it reads only named columns of the
        # applications and the timeline (values_list), so later columns do not disturb
        # it. Writes made by the previous release between this migration and the switch
        # to the new one are not counted: `report_summary_rebuild` after such a deploy.
        from recruitment.services.report_summary import report_summary_rebuild

        report_summary_rebuild()
        return
    # The summary is there: only the stays' tally is counted again, per vacancy, from the
    # stays kept one a row (a grouped count; no timeline row is read).
    StageStay = apps.get_model("recruitment", "StageStay")
    StayTally = apps.get_model("recruitment", "StayTally")
    StayTally.objects.all().delete()
    cells = (
        StageStay.objects.order_by()
        .values("application__vacancy_id", "stage", "hours")
        .annotate(count=Count("id"))
        .values_list("application__vacancy_id", "stage", "hours", "count")
    )
    StayTally.objects.bulk_create(
        (
            StayTally(vacancy_id=vacancy_id, stage=stage, hours=hours, stays=count)
            for vacancy_id, stage, hours, count in list(cells)
        ),
        batch_size=5_000,
    )


def collapse(apps, schema_editor):
    """Back to 0025's key, one row per stage and length: each vacancy's rows summed. A
    deploy that fails its health check reverts the migrations it applied, on live data."""
    StayTally = apps.get_model("recruitment", "StayTally")
    cells = list(
        StayTally.objects.order_by()
        .values("stage", "hours")
        .annotate(total=Sum("stays"))
        .values_list("stage", "hours", "total")
    )
    StayTally.objects.all().delete()
    StayTally.objects.bulk_create(
        (
            StayTally(vacancy_id=0, stage=stage, hours=hours, stays=total)
            for stage, hours, total in cells
        ),
        batch_size=5_000,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("recruitment", "0029_filtered_count_indexes"),
    ]

    operations = [
        migrations.RemoveConstraint(model_name="staytally", name="stay_tally_key"),
        migrations.AddField(
            model_name="staytally",
            name="vacancy_id",
            field=models.IntegerField(default=0),
            preserve_default=False,
        ),
        migrations.AddConstraint(
            model_name="staytally",
            constraint=models.UniqueConstraint(
                fields=("vacancy_id", "stage", "hours"), name="stay_tally_vacancy_key"
            ),
        ),
        # After the new key: the rebuild's upserts name it.
        migrations.RunPython(fill, collapse),
    ]
