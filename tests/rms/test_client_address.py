"""The client's address, as the sign-in lockout and the careers rate limit count it."""

from rms.client_address import client_address


def test_behind_the_proxy_the_address_is_the_one_the_proxy_appended(settings, rf):
    settings.BEHIND_TLS_PROXY = True
    request = rf.get("/", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.7", REMOTE_ADDR="10.0.0.1")

    assert client_address(request) == "203.0.113.7"


def test_without_a_proxy_a_forwarded_header_is_not_believed(settings, rf):
    settings.BEHIND_TLS_PROXY = False
    request = rf.get("/", HTTP_X_FORWARDED_FOR="6.6.6.6", REMOTE_ADDR="198.51.100.2")

    assert client_address(request) == "198.51.100.2"
