"""The queue's periodic tasks, as rows of django-celery-beat (editable in the admin), and
the admins' rights to edit them and to lift sign-in lockouts.

Later apps (privacy's retention runs, ...) add theirs the same way: a data migration
that creates a PeriodicTask pointing at their own task.
"""

from django.contrib.auth.management import create_permissions
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


def admin_permissions(apps):
    Permission = apps.get_model("auth", "Permission")
    everything = Permission.objects.filter(
        content_type__app_label__in=["axes", "django_celery_beat"]
    )
    views = Permission.objects.filter(
        content_type__app_label="recruitment",
        codename__in=["view_outgoingemail", "view_exportjob"],
    )
    return [*everything, *views]


def grant(apps, schema_editor):
    # As in 0002: permissions are made after migrate, a fresh database needs them now.
    for label in ("axes", "django_celery_beat", "recruitment"):
        app_config = apps.get_app_config(label)
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    admins = apps.get_model("auth", "Group").objects.filter(name="admins").first()
    if admins is not None:
        admins.permissions.add(*admin_permissions(apps))


def revoke(apps, schema_editor):
    admins = apps.get_model("auth", "Group").objects.filter(name="admins").first()
    if admins is not None:
        admins.permissions.remove(*admin_permissions(apps))


class Migration(migrations.Migration):
    dependencies = [
        ("recruitment", "0012_queue"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
        ("axes", "0010_accessattemptexpiration"),
    ]

    operations = [
        migrations.RunPython(schedules_add, schedules_remove),
        migrations.RunPython(grant, revoke),
    ]
