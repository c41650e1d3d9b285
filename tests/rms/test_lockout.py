"""Password guessing is stopped, by account and by address, on both sign-in pages."""

import pytest
from axes.models import AccessAttempt

from recruitment.factories import UserFactory

pytestmark = pytest.mark.django_db

LOCKED = "Too many failed sign-ins"


@pytest.fixture(autouse=True)
def limit(settings):
    settings.AXES_FAILURE_LIMIT = 3


@pytest.fixture
def rita(db):
    user = UserFactory(username="rita", is_staff=True)
    user.set_password("right-password-42")
    user.save()
    return user


def sign_in(client, path, username, password, address="10.0.0.1"):
    return client.post(path, {"username": username, "password": password}, REMOTE_ADDR=address)


@pytest.mark.parametrize("path", ["/accounts/login/", "/admin/login/"])
def test_guessing_locks_the_account_and_then_the_right_password_is_refused(client, rita, path):
    first = sign_in(client, path, "rita", "guess")
    assert first.status_code == 200
    assert LOCKED not in first.content.decode()
    for _ in range(2):
        sign_in(client, path, "rita", "guess")

    response = sign_in(client, path, "rita", "right-password-42")

    assert response.status_code == 429
    assert LOCKED in response.content.decode()
    assert "ask an administrator to unlock it" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_the_account_stays_locked_from_another_address(client, rita):
    for _ in range(3):
        sign_in(client, "/accounts/login/", "rita", "guess", address="10.0.0.1")

    response = sign_in(client, "/accounts/login/", "rita", "right-password-42", "10.9.9.9")

    assert response.status_code == 429


def test_one_address_guessing_many_accounts_is_locked_for_all(client, rita):
    for name in ("anna", "bart", "cleo"):
        sign_in(client, "/accounts/login/", name, "guess", address="10.0.0.7")

    assert (
        sign_in(client, "/accounts/login/", "rita", "right-password-42", "10.0.0.7").status_code
        == 429
    )
    assert (
        sign_in(client, "/accounts/login/", "rita", "right-password-42", "10.0.0.8").status_code
        == 302
    )


def test_an_admin_unlocks_from_the_admin(client, rita, admin_user):
    for _ in range(3):
        sign_in(client, "/accounts/login/", "rita", "guess")
    client.force_login(admin_user)  # staff in the "admins" group, not a superuser
    attempts = client.get("/admin/axes/accessattempt/").content.decode()
    assert "rita" in attempts

    attempt = AccessAttempt.objects.get(username="rita")
    client.post(f"/admin/axes/accessattempt/{attempt.pk}/delete/", {"post": "yes"})
    client.logout()

    assert sign_in(client, "/accounts/login/", "rita", "right-password-42").status_code == 302


def test_behind_the_proxy_the_address_is_the_one_the_proxy_appended(client, rita, settings):
    settings.AXES_CLIENT_IP_CALLABLE = "rms.client_address.client_address_behind_proxy"
    for spoofed in ("1.1.1.1", "2.2.2.2", "3.3.3.3"):
        client.post(
            "/accounts/login/",
            {"username": f"guess-{spoofed}", "password": "x"},
            REMOTE_ADDR="10.0.0.254",  # the proxy
            HTTP_X_FORWARDED_FOR=f"{spoofed}, 203.0.113.9",
        )

    # Another client behind the same proxy signs in: the proxy's address is not locked.
    assert (
        sign_in(client, "/accounts/login/", "rita", "right-password-42", "10.0.0.254").status_code
        == 302
    )
    client.logout()
    guesser = client.post(
        "/accounts/login/",
        {"username": "rita", "password": "right-password-42"},
        REMOTE_ADDR="10.0.0.254",
        HTTP_X_FORWARDED_FOR="203.0.113.9",
    )
    assert guesser.status_code == 429
