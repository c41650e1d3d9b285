"""The careers site in Chromium: browsing on a desktop and a phone, applying with a CV,
applying twice, confirming by the e-mailed link (a good one and an expired one), Apply
with LinkedIn, and an axe-core check of every page a candidate sees."""

import re
import time
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
from django.contrib.auth.models import User
from django.core.cache import cache
from playwright.sync_api import expect

from careers.factories import PostingFactory
from recruitment.factories import CityFactory
from recruitment.models import Application, OutgoingEmail, Stage
from tests.browser.accessibility import serious_violations
from tests.careers.test_linkedin import linkedin

# The fake LinkedIn endpoints, in the live server's process (the same as the test's).
linkedin = linkedin

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


def _no_serious_violations(page, what: str) -> None:
    found = serious_violations(page)
    assert found == [], f"{what}: {found}"


@pytest.mark.parametrize("size", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_the_pages_pass_axe_core(page, live_server, postings, tmp_path, size):
    page.set_viewport_size(size)
    page.goto(f"{live_server.url}/careers/")
    _no_serious_violations(page, "the list")
    page.goto(f"{live_server.url}/careers/python-developer/")
    _no_serious_violations(page, "a position")
    page.get_by_role("link", name="Apply").click()
    _no_serious_violations(page, "the apply form")

    page.get_by_role("button", name="Send the application").click()
    expect(page.get_by_text("This field is required.").first).to_be_visible()
    _no_serious_violations(page, "the apply form with errors")
    assert page.evaluate("document.documentElement.scrollWidth") <= size["width"]

    _apply(page, live_server, tmp_path)
    expect(page.get_by_role("heading", name="Thank you for applying")).to_be_visible()
    _no_serious_violations(page, "the thank-you page")
    page.goto(_link(live_server))
    _no_serious_violations(page, "the confirm page")
    page.get_by_role("button", name="Confirm my application").click()
    expect(page.get_by_role("heading", name="your application is confirmed")).to_be_visible()
    _no_serious_violations(page, "the confirmed page")
    assert page.evaluate("document.documentElement.scrollWidth") <= size["width"]


def test_the_axe_check_finds_what_it_should(page, live_server, postings):
    page.goto(f"{live_server.url}/careers/python-developer/apply/")
    # An unlabelled field and a low-contrast text, made in the page as served.
    page.evaluate(
        """() => {
            document.querySelector('label[for="id_first_name"]').remove();
            document.querySelector("h1").style.color = "#eee";
        }"""
    )
    found = " ".join(serious_violations(page))
    assert "label" in found and "color-contrast" in found


def test_applying_with_linkedin(page, live_server, postings, tmp_path, linkedin):
    """LinkedIn's two endpoints RMS calls are faked in the server (tests/careers/
    test_linkedin.py); the candidate's visit to LinkedIn's sign-in page is played by
    routing it: LinkedIn sends the browser back with a code and the state it was given."""
    asked = []

    def linkedin_signs_in(route):
        query = parse_qs(urlsplit(route.request.url).query)
        asked.append(query)
        back = f"{query['redirect_uri'][0]}?" + urlencode(
            {"code": "c0de", "state": query["state"][0]}
        )
        route.fulfill(status=302, headers={"Location": back})

    page.route("https://www.linkedin.com/**", linkedin_signs_in)
    # The profile picture's host: nothing leaves this machine.
    page.route("https://media.licdn.com/**", lambda route: route.abort())
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}/careers/python-developer/apply/")
    page.get_by_role("button", name="Fill in the form from LinkedIn").click()

    expect(page.get_by_text("we filled the form in from your LinkedIn profile")).to_be_visible()
    assert asked and asked[0]["client_id"] == ["rms-linkedin-client"]
    expect(page.get_by_label("First name")).to_have_value("Łucja")
    expect(page.get_by_label("Last name")).to_have_value("Żółć")
    expect(page.get_by_label("E-mail")).to_have_value("lucja@example.com")
    _no_serious_violations(page, "the apply form filled in from LinkedIn")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    cv = tmp_path / "cv.pdf"
    cv.write_bytes(PDF)
    page.get_by_label("CV").set_input_files(str(cv))
    page.get_by_label("I agree that my personal data").check()
    page.get_by_role("button", name="Send the application").click()

    expect(page.get_by_role("heading", name="Thank you for applying")).to_be_visible()
    application = Application.objects.select_related("applicant__source").get()
    assert application.applicant.full_name == "Łucja Żółć"
    assert application.applicant.source.name == "LinkedIn"
    assert not User.objects.exists()
