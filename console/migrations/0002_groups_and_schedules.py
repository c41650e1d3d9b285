"""The console's groups (who may act on which instance, console/permissions.py) and its
schedules: fab's and Jenkins' deploy logs read into the history, idle PR instances
destroyed. Both editable in the admin afterwards."""

from django.db import migrations

GROUPS = ["testers", "developers", "live-deployers"]
# name, task, crontab (minute, hour)
SCHEDULES = [
    ("Read the instances' deploy logs", "console.tasks.deploy_logs_import", ("*/10", "*")),
    ("Destroy idle PR instances", "console.tasks.pr_instances_reap", ("30", "3")),
]


def forwards(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for name in GROUPS:
        Group.objects.get_or_create(name=name)
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    for name, task, (minute, hour) in SCHEDULES:
        crontab, _ = CrontabSchedule.objects.get_or_create(
            minute=minute, hour=hour, day_of_week="*", day_of_month="*", month_of_year="*"
        )
        PeriodicTask.objects.get_or_create(name=name, defaults={"task": task, "crontab": crontab})


def backwards(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=GROUPS).delete()
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTask.objects.filter(name__in=[name for name, _, _ in SCHEDULES]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("console", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
