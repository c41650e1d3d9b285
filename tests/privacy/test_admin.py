"""The retention rules are the admins' to edit in the admin; the rest is read-only there."""

import pytest

from privacy.models import RetentionRule

pytestmark = pytest.mark.django_db


def test_an_admin_changes_a_rules_months(client, admin_user):
    rule = RetentionRule.objects.get(case="closed")
    client.force_login(admin_user)
    url = f"/admin/privacy/retentionrule/{rule.pk}/change/"

    assert client.get(url).status_code == 200
    response = client.post(url, {"months": "9", "is_active": "on"})

    assert response.status_code == 302
    rule.refresh_from_db()
    assert rule.months == 9


def test_bad_months_are_a_field_error(client, admin_user):
    rule = RetentionRule.objects.get(case="hired")
    client.force_login(admin_user)

    response = client.post(f"/admin/privacy/retentionrule/{rule.pk}/change/", {"months": "-1"})

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["months"]
    rule.refresh_from_db()
    assert rule.months == 24


def test_the_access_log_cannot_be_edited_in_the_admin(client, admin_user):
    client.force_login(admin_user)

    assert client.get("/admin/privacy/accesslogentry/").status_code == 200
    assert client.get("/admin/privacy/accesslogentry/add/").status_code == 403


def test_a_recruiter_cannot_open_the_rules(client, recruiter):
    client.force_login(recruiter)

    response = client.get("/admin/privacy/retentionrule/")

    assert response.status_code == 302  # to the admin's sign-in: not staff
