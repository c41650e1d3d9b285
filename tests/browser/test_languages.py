"""Switching to Polish in the navigation: it sticks across pages and the next sign-in."""

import pytest
from playwright.sync_api import expect

from recruitment.models import UserLanguage

pytestmark = pytest.mark.django_db(transaction=True)


def _sign_in(page, live_server):
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill("rita")
    page.get_by_label("Password").fill("secret-password")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{live_server.url}/")


def test_the_language_choice_sticks_across_pages_and_sessions(
    signed_in, live_server, browser, recruiter
):
    page = signed_in
    page.goto(f"{live_server.url}/vacancies/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Vacancies")

    page.get_by_role("button", name="Polski").click()

    page.wait_for_url(f"{live_server.url}/vacancies/")
    expect(page.locator("html")).to_have_attribute("lang", "pl")
    expect(page.get_by_role("link", name="Pulpit")).to_be_visible()
    page.get_by_role("link", name="Kandydaci").click()
    expect(page.locator("html")).to_have_attribute("lang", "pl")
    expect(page.get_by_role("button", name="Wyloguj")).to_be_visible()
    assert UserLanguage.objects.get(user=recruiter).language == "pl"

    # Another browser, so another session: Polish again once signed in.
    other = browser.new_context(locale="en-GB")
    try:
        fresh = other.new_page()
        _sign_in(fresh, live_server)
        expect(fresh.locator("html")).to_have_attribute("lang", "pl")
        expect(fresh.get_by_role("link", name="Moje rozmowy")).to_be_visible()
        fresh.get_by_role("button", name="English").click()
        expect(fresh.get_by_role("link", name="My interviews")).to_be_visible()
    finally:
        other.close()
    assert UserLanguage.objects.get(user=recruiter).language == "en"
