"""Password guessing is stopped, by account and by address, on both sign-in pages."""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.db.models import F

from recruitment.factories import UserFactory

pytestmark = pytest.mark.django_db

LOCKED = "Too many failed sign-ins"


PATHS = ["/accounts/login/", "/admin/login/"]


@pytest.fixture(autouse=True)
def limit(settings):
    settings.RMS_SIGNIN_FAILURES = 3
    settings.RMS_SIGNIN_ADDRESS_FAILURES = 6


@pytest.fixture
def rita(db):
    user = UserFactory(username="rita", is_staff=True)
    user.set_password("right-password-42")
    user.save()
    return user


@pytest.fixture
def mallory(db):
    """A colleague with an account of her own, guessing Rita's password."""
    user = UserFactory(username="mallory", is_staff=True)
    user.set_password("mallorys-own-password")
    user.save()
    return user


def sign_in(client, path, username, password, address="10.0.0.1"):
    return client.post(path, {"username": username, "password": password}, REMOTE_ADDR=address)


def minutes_pass(minutes: int) -> None:
    """The stored failures age as if this much time had gone by."""
    AccessAttempt.objects.update(attempt_time=F("attempt_time") - timedelta(minutes=minutes))


@pytest.mark.parametrize("path", PATHS)
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


def test_a_strangers_guessing_does_not_lock_the_account_from_elsewhere(client, rita):
    for _ in range(3):
        sign_in(client, "/accounts/login/", "rita", "guess", address="203.0.113.66")

    assert sign_in(client, "/accounts/login/", "rita", "right-password-42").status_code == 302


@pytest.mark.parametrize("path", PATHS)
def test_signing_in_to_ones_own_account_does_not_forgive_guesses_at_another(
    client, rita, mallory, path
):
    for _ in range(2):
        for _ in range(2):
            sign_in(client, path, "rita", "guess")
        assert sign_in(client, path, "mallory", "mallorys-own-password").status_code == 302
        client.logout()

    response = sign_in(client, path, "rita", "right-password-42")

    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_a_sign_in_forgives_the_accounts_own_wrong_passwords(client, rita):
    for _ in range(2):
        for _ in range(2):
            sign_in(client, "/accounts/login/", "rita", "typo")
        assert sign_in(client, "/accounts/login/", "rita", "right-password-42").status_code == 302
        client.logout()


@pytest.mark.parametrize("path", PATHS)
def test_one_address_guessing_many_accounts_is_locked_for_all_at_the_higher_limit(
    client, rita, path
):
    names = ["anna", "bart", "cleo", "dora", "emil", "fred"]
    for name in names[:5]:
        sign_in(client, path, name, "guess", address="10.0.0.7")
    # One guess at each of five accounts: below the address's limit of six.
    assert sign_in(client, path, "rita", "right-password-42", "10.0.0.7").status_code == 302
    client.logout()

    sign_in(client, path, names[5], "guess", address="10.0.0.7")

    locked = sign_in(client, path, "rita", "right-password-42", "10.0.0.7")
    assert locked.status_code == 429
    assert "Too many failed sign-ins" in locked.content.decode()
    assert sign_in(client, path, "rita", "right-password-42", "10.0.0.8").status_code == 302


def test_the_lock_ends_on_time_however_often_the_locked_out_user_retries(client, rita):
    for _ in range(3):
        sign_in(client, "/accounts/login/", "rita", "guess")
    minutes_pass(10)
    for _ in range(3):
        assert sign_in(client, "/accounts/login/", "rita", "right-password-42").status_code == 429

    minutes_pass(6)

    assert sign_in(client, "/accounts/login/", "rita", "right-password-42").status_code == 302


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
            {"username": "rita", "password": "x"},
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
