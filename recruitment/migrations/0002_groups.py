"""The "recruiters" and "admins" groups with their permissions."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

RECRUITMENT_MODELS = ["applicant", "application", "activity", "vacancy", "city", "source", "tag"]
RECRUITER_ACTIONS = ["view", "add", "change"]
ADMIN_ACTIONS = ["view", "add", "change", "delete"]
ADMIN_AUTH_MODELS = ["user", "group"]


def _ensure_permissions(apps):
    # Permissions are normally made after the whole migrate run (post_migrate); a
    # fresh database needs them now, so make them for the apps this migration uses.
    for label in ("auth", "recruitment"):
        app_config = apps.get_app_config(label)
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None


def _codenames(actions, models):
    return [f"{action}_{model}" for action in actions for model in models]


def create_groups(apps, schema_editor):
    _ensure_permissions(apps)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    recruitment = Permission.objects.filter(content_type__app_label="recruitment")
    auth = Permission.objects.filter(content_type__app_label="auth")

    recruiters, _ = Group.objects.get_or_create(name="recruiters")
    recruiters.permissions.set(
        recruitment.filter(codename__in=_codenames(RECRUITER_ACTIONS, RECRUITMENT_MODELS))
    )
    admins, _ = Group.objects.get_or_create(name="admins")
    admins.permissions.set(
        list(recruitment.filter(codename__in=_codenames(ADMIN_ACTIONS, RECRUITMENT_MODELS)))
        + list(auth.filter(codename__in=_codenames(ADMIN_ACTIONS, ADMIN_AUTH_MODELS)))
    )


def remove_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=["recruiters", "admins"]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("recruitment", "0001_initial"),
    ]

    operations = [migrations.RunPython(create_groups, remove_groups)]
