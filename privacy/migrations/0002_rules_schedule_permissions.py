"""The retention rules' defaults, the nightly retention run in django-celery-beat (as
recruitment's 0013 adds its schedules), and the admins' rights over the privacy models."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

# case, months: closed six months after the last close, a future-openings consent until
# it ends, a hire two years after it (the employee's file is HR's, outside RMS).
RULES = [("closed", 6), ("future_consent", 0), ("hired", 24)]
SCHEDULE = ("Retention: renewal links and anonymisation", "privacy.tasks.retention_run")
CRONTAB = {"minute": "30", "hour": "2"}
ADMIN_CODENAMES = [
    "view_retentionrule", "change_retentionrule", "view_legalbasis", "view_subjectrequest",
    "view_accesslogentry",
]  # fmt: skip


def rules_add(apps, schema_editor):
    RetentionRule = apps.get_model("privacy", "RetentionRule")
    for case, months in RULES:
        RetentionRule.objects.get_or_create(case=case, defaults={"months": months})


def schedule_add(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    crontab, _ = CrontabSchedule.objects.get_or_create(
        day_of_week="*", day_of_month="*", month_of_year="*", **CRONTAB
    )
    name, task = SCHEDULE
    PeriodicTask.objects.get_or_create(name=name, defaults={"task": task, "crontab": crontab})


def schedule_remove(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name=SCHEDULE[0]).delete()


def _admin_permissions(apps):
    return apps.get_model("auth", "Permission").objects.filter(
        content_type__app_label="privacy", codename__in=ADMIN_CODENAMES
    )


def grant(apps, schema_editor):
    # As in recruitment's 0002: permissions are made after migrate; a fresh database
    # needs them now.
    app_config = apps.get_app_config("privacy")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    admins = apps.get_model("auth", "Group").objects.filter(name="admins").first()
    if admins is not None:
        admins.permissions.add(*_admin_permissions(apps))


def revoke(apps, schema_editor):
    admins = apps.get_model("auth", "Group").objects.filter(name="admins").first()
    if admins is not None:
        admins.permissions.remove(*_admin_permissions(apps))


class Migration(migrations.Migration):
    dependencies = [
        ("privacy", "0001_initial"),
        ("recruitment", "0026_privacy_state"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [
        migrations.RunPython(rules_add, migrations.RunPython.noop),
        migrations.RunPython(schedule_add, schedule_remove),
        migrations.RunPython(grant, revoke),
    ]
