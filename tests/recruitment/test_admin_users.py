"""A staff admin who is not a superuser manages people but cannot raise anyone's power."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from recruitment.factories import UserFactory

pytestmark = pytest.mark.django_db


def change(client, user, **fields):
    data = {
        "username": user.username,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "is_active": "on",
        "is_staff": "on" if user.is_staff else "",
        "date_joined_0": "2026-01-01",
        "date_joined_1": "10:00:00",
        **fields,
    }
    return client.post(reverse("admin:auth_user_change", args=[user.pk]), data)


def test_an_admin_cannot_make_themselves_superuser_or_change_their_groups(admin_client, admin_user):
    recruiters = Group.objects.get(name="recruiters")

    change(admin_client, admin_user, is_superuser="on", groups=[recruiters.pk])

    admin_user.refresh_from_db()
    assert not admin_user.is_superuser
    assert list(admin_user.groups.values_list("name", flat=True)) == ["admins"]


def test_an_admin_cannot_make_another_user_superuser_but_sets_their_groups(admin_client):
    colleague = UserFactory(username="cora")
    recruiters = Group.objects.get(name="recruiters")

    response = change(admin_client, colleague, is_superuser="on", groups=[recruiters.pk])

    assert response.status_code == 302
    colleague.refresh_from_db()
    assert not colleague.is_superuser
    assert list(colleague.groups.values_list("name", flat=True)) == ["recruiters"]


def test_an_admin_cannot_change_or_delete_a_superuser(admin_client):
    root = UserFactory(username="root", is_staff=True, is_superuser=True)

    changed = change(admin_client, root, first_name="Mallory")
    password = admin_client.get(reverse("admin:auth_user_password_change", args=[root.pk]))
    deleted = admin_client.post(
        reverse("admin:auth_user_changelist"),
        {"action": "delete_selected", "_selected_action": [root.pk], "post": "yes"},
    )

    assert changed.status_code == 403
    assert password.status_code == 403
    assert deleted.status_code == 403
    root.refresh_from_db()
    assert root.first_name != "Mallory"


def test_a_superuser_may_grant_superuser(client):
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
    colleague = UserFactory(username="cora")

    change(client, colleague, is_superuser="on")

    colleague.refresh_from_db()
    assert colleague.is_superuser


def test_a_group_id_out_of_range_is_a_field_error(admin_client):
    colleague = UserFactory(username="łukasz")

    response = change(admin_client, colleague, groups=["99999999999999999999"])

    assert response.status_code == 200
    assert "Select a valid choice." in response.content.decode()
    assert not colleague.groups.exists()
