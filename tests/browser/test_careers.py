"""The careers site in Chromium: browsing on a desktop and a phone, applying with a CV,
applying twice, and confirming by the e-mailed link (a good one and an expired one)."""

import re
import time

import pytest
from django.core.cache import cache
from playwright.sync_api import expect

from careers.factories import PostingFactory
from recruitment.factories import CityFactory
from recruitment.models import Application, OutgoingEmail, Stage

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"


@pytest.fixture
def postings():
    cache.clear()
    poznan, krakow = CityFactory(name="Poznań"), CityFactory(name="Kraków")
    python = PostingFactory(vacancy__title="Python Developer", slug="python-developer")
    python.vacancy.cities.set([poznan])
    java = PostingFactory(vacancy__title="Java Lead", slug="java-lead", seniority="lead")
    java.vacancy.cities.set([krakow])
    yield python
    cache.clear()


@pytest.mark.parametrize("size", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_browsing_the_openings(page, live_server, postings, size):
    page.set_viewport_size(size)
    page.goto(f"{live_server.url}/careers/")
    expect(page.get_by_role("heading", name="Open positions")).to_be_visible()
    expect(page.locator(".posting")).to_have_count(2)
    assert page.evaluate("document.documentElement.scrollWidth") <= size["width"]

    page.get_by_label("City").select_option(label="Kraków")
    page.get_by_role("button", name="Find").click()
    expect(page.locator(".posting")).to_have_count(1)
    expect(page.locator(".posting")).to_contain_text("Java Lead")

    page.goto(f"{live_server.url}/careers/")
    page.get_by_label("Search").fill("python")
    page.get_by_label("Search").press("Enter")
    page.get_by_role("link", name="Python Developer").click()
    expect(page.get_by_role("heading", name="Python Developer")).to_be_visible()
    expect(page.get_by_role("main")).to_contain_text("Poznań")
    expect(page.get_by_role("link", name="Apply")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= size["width"]


def _apply(page, live_server, tmp_path, email="anna@example.com"):
    cv = tmp_path / "anna-cv.pdf"
    cv.write_bytes(PDF)
    page.goto(f"{live_server.url}/careers/python-developer/")
    page.get_by_role("link", name="Apply").click()
    page.get_by_label("First name").fill("Anna")
    page.get_by_label("Last name").fill("Nowak")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("CV").set_input_files(str(cv))
    page.get_by_label("I agree that my personal data").check()
    page.get_by_role("button", name="Send the application").click()


def test_applying_with_a_cv_then_again(page, live_server, postings, tmp_path):
    page.set_viewport_size(PHONE)
    _apply(page, live_server, tmp_path)
    expect(page.get_by_role("heading", name="Thank you for applying")).to_be_visible()
    application = Application.objects.get()
    assert application.stage == Stage.APPLICATION
    assert application.applicant.cv.name.endswith(".pdf")

    _apply(page, live_server, tmp_path)
    expect(page.get_by_role("heading", name="You have applied already")).to_be_visible()
    assert Application.objects.count() == 1


def _link(live_server) -> str:
    body = OutgoingEmail.objects.get().body
    return re.search(r"(http://\S+/careers/confirm/\S+/)", body).group(1)


def test_confirming_by_the_link(page, live_server, postings, tmp_path):
    _apply(page, live_server, tmp_path)
    expect(page.get_by_role("heading", name="Thank you for applying")).to_be_visible()
    page.goto(_link(live_server))
    page.get_by_role("button", name="Confirm my application").click()
    expect(page.get_by_role("heading", name="your application is confirmed")).to_be_visible()
    assert Application.objects.get().stage == Stage.CONFIRMATION


def test_an_expired_link(page, live_server, postings, tmp_path, monkeypatch):
    _apply(page, live_server, tmp_path)
    expect(page.get_by_role("heading", name="Thank you for applying")).to_be_visible()
    link = _link(live_server)
    later = time.time() + 8 * 24 * 3600
    monkeypatch.setattr(time, "time", lambda: later)
    page.goto(link)
    page.get_by_role("button", name="Confirm my application").click()
    expect(page.get_by_role("heading", name="This link does not work")).to_be_visible()
    expect(page.get_by_role("main")).to_contain_text("The link has expired")
    assert Application.objects.get().stage == Stage.APPLICATION


def test_the_vacancy_page_copies_the_public_link(signed_in, live_server, postings):
    page = signed_in
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.goto(f"{live_server.url}/vacancies/{postings.vacancy.pk}/")
    expect(page.get_by_text("Published", exact=True)).to_be_visible()
    page.get_by_role("button", name="Copy link").click()
    expect(page.get_by_role("button", name="Copied")).to_be_visible()
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied == f"{live_server.url}/careers/python-developer/"
