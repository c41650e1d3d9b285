from io import StringIO

import pytest
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command

from recruitment.factories import UserFactory
from recruitment.models import ApiToken

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    out = StringIO()
    call_command("api_token", *args, stdout=out)
    return out.getvalue().strip()


def test_prints_a_new_token_once_and_keeps_only_its_hash(recruiter, anonymous):
    key = run("rita")

    stored = ApiToken.objects.get(user=recruiter)
    assert key not in (stored.key_hash, stored.prefix) and stored.prefix == key[:8]
    with pytest.raises(CommandError, match=f"has a token \\(starting {key[:8]}\\)"):
        run("rita")
    anonymous.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert anonymous.get("/api/v1/tags/").status_code == 200
    anonymous.credentials(HTTP_AUTHORIZATION=f"Token {stored.key_hash}")
    assert anonymous.get("/api/v1/tags/").status_code == 401


def test_rotate_replaces_the_token(recruiter, anonymous):
    first = run("rita")
    rotated = run("rita", "--rotate")

    assert rotated != first
    anonymous.credentials(HTTP_AUTHORIZATION=f"Token {first}")
    assert anonymous.get("/api/v1/tags/").status_code == 401
    anonymous.credentials(HTTP_AUTHORIZATION=f"Token {rotated}")
    assert anonymous.get("/api/v1/tags/").status_code == 200


def test_unknown_user_is_an_error():
    with pytest.raises(CommandError, match="No user named 'nobody'"):
        run("nobody")


def test_an_admin_makes_a_token_and_sees_its_key_once(admin_client, anonymous):
    jenkins = UserFactory(username="jenkins")
    jenkins.groups.add(Group.objects.get(name="recruiters"))

    made = admin_client.post("/admin/recruitment/apitoken/add/", {"user": jenkins.pk}, follow=True)
    shown = [str(message) for message in made.context["messages"]]
    key = shown[0].split(" is ")[1].split(".")[0]
    listing = admin_client.get("/admin/recruitment/apitoken/").content.decode()
    page = admin_client.get(f"/admin/recruitment/apitoken/{jenkins.api_token.pk}/change/")

    assert len(key) == 40 and key not in listing and key[:8] in listing
    assert key not in page.content.decode()
    anonymous.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert anonymous.get("/api/v1/tags/").status_code == 200


def test_drfs_clear_token_pages_are_gone(admin_client):
    assert admin_client.get("/admin/authtoken/tokenproxy/").status_code == 404
