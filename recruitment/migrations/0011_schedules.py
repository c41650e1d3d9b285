"""The queue's periodic tasks, as rows of django-celery-beat (editable in the admin).

Later apps (privacy's retention runs, ...) add theirs the same way: a data migration
that creates a PeriodicTask pointing at their own task.
"""

from django.db import migrations

# name, task, crontab (minute, hour)
SCHEDULES = [
    ("Stale applications digest", "recruitment.tasks.stale_digest_send", ("0", "6")),
    ("Re-queue stuck e-mails", "recruitment.tasks.email_outbox_requeue", ("*/5", "*")),
    ("Delete expired exports", "recruitment.tasks.export_jobs_expire", ("17", "*")),
]


def schedules_add(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    for name, task, (minute, hour) in SCHEDULES:
        crontab, _ = CrontabSchedule.objects.get_or_create(
            minute=minute, hour=hour, day_of_week="*", day_of_month="*", month_of_year="*"
        )
        PeriodicTask.objects.get_or_create(name=name, defaults={"task": task, "crontab": crontab})


def schedules_remove(apps, schema_editor):
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTask.objects.filter(name__in=[name for name, _, _ in SCHEDULES]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("recruitment", "0010_queue"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(schedules_add, schedules_remove)]
