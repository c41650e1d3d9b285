from django.contrib.auth.management import create_permissions
from django.db import migrations


def grant(apps, schema_editor):
    # As in 0002: permissions are made after migrate, a fresh database needs them now.
    app_config = apps.get_app_config("authtoken")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    admins = Group.objects.filter(name="admins").first()
    if admins is not None:
        admins.permissions.add(*Permission.objects.filter(content_type__app_label="authtoken"))


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    admins = Group.objects.filter(name="admins").first()
    if admins is not None:
        admins.permissions.remove(*Permission.objects.filter(content_type__app_label="authtoken"))


class Migration(migrations.Migration):
    """Admins manage the API's tokens in the admin."""

    dependencies = [
        ("authtoken", "0004_alter_tokenproxy_options"),
        ("recruitment", "0008_applicant_merge"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
