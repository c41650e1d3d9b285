from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from rest_framework.authtoken.models import Token

from recruitment.factories import UserFactory

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    out = StringIO()
    call_command("api_token", *args, stdout=out)
    return out.getvalue().strip()


def test_prints_the_same_token_until_rotated(recruiter, anonymous):
    first = run("rita")

    assert run("rita") == first
    rotated = run("rita", "--rotate")
    assert rotated != first
    assert Token.objects.get(user=recruiter).key == rotated
    anonymous.credentials(HTTP_AUTHORIZATION=f"Token {first}")
    assert anonymous.get("/api/v1/tags/").status_code == 401
    anonymous.credentials(HTTP_AUTHORIZATION=f"Token {rotated}")
    assert anonymous.get("/api/v1/tags/").status_code == 200


def test_unknown_user_is_an_error():
    with pytest.raises(CommandError, match="No user named 'nobody'"):
        run("nobody")


def test_tokens_are_managed_in_the_admin(client):
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
    token = Token.objects.create(user=UserFactory(username="jenkins"))

    response = client.get("/admin/authtoken/tokenproxy/")

    assert response.status_code == 200
    assert token.user.username in response.content.decode()
