"""The usual kinds of interview with their candidate mails (the admins reword them), the
hourly reminder run as a django-celery-beat row, and the rights of admins and
recruiters to these models (as recruitment's 0002 and 0013 do)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

REMINDER_TASK = ("Interview reminders", "interviews.tasks.interview_reminders_send", ("5", "*"))

BODY = (
    "Dear $first_name,\n\n"
    "we invite you to a $kind interview for $vacancy on $when.\n"
    "Where: $where\n\n"
    "The calendar invitation is attached. Reply to this e-mail if the time does not suit you."
)
KINDS = [
    ("Phone screen", 30),
    ("Technical", 90),
    ("Culture", 60),
    ("Final", 60),
]


def kinds_add(apps, schema_editor):
    InterviewKind = apps.get_model("interviews", "InterviewKind")
    for position, (name, minutes) in enumerate(KINDS):
        InterviewKind.objects.get_or_create(
            name=name,
            defaults={
                "position": position,
                "duration_minutes": minutes,
                "subject": "$kind interview for $vacancy",
                "body": BODY,
            },
        )


def kinds_remove(apps, schema_editor):
    apps.get_model("interviews", "InterviewKind").objects.filter(
        name__in=[name for name, _ in KINDS], interviews__isnull=True
    ).delete()


def schedule_add(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    name, task, (minute, hour) = REMINDER_TASK
    crontab, _ = CrontabSchedule.objects.get_or_create(
        minute=minute, hour=hour, day_of_week="*", day_of_month="*", month_of_year="*"
    )
    PeriodicTask.objects.get_or_create(name=name, defaults={"task": task, "crontab": crontab})


def schedule_remove(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(
        name=REMINDER_TASK[0]
    ).delete()


def _permissions(apps, codenames):
    return apps.get_model("auth", "Permission").objects.filter(
        content_type__app_label="interviews", codename__in=codenames
    )


ADMIN_CODENAMES = [
    "view_interviewkind", "add_interviewkind", "change_interviewkind", "delete_interviewkind",
    "view_interview", "view_scorecard",
]  # fmt: skip
RECRUITER_CODENAMES = ["view_interviewkind", "view_interview", "view_scorecard"]


def grant(apps, schema_editor):
    app_config = apps.get_app_config("interviews")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    for name, codenames in (("admins", ADMIN_CODENAMES), ("recruiters", RECRUITER_CODENAMES)):
        group = Group.objects.filter(name=name).first()
        if group is not None:
            group.permissions.add(*_permissions(apps, codenames))


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for group in Group.objects.filter(name__in=["admins", "recruiters"]):
        group.permissions.remove(*_permissions(apps, ADMIN_CODENAMES))


class Migration(migrations.Migration):
    dependencies = [
        ("interviews", "0001_initial"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
        ("recruitment", "0023_interview_activities_and_calendar_mail"),
    ]

    operations = [
        migrations.RunPython(kinds_add, kinds_remove),
        migrations.RunPython(schedule_add, schedule_remove),
        migrations.RunPython(grant, revoke),
    ]
