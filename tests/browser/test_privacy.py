"""An admin's personal-data work on an applicant, in a real browser."""

import re

import pytest
from playwright.sync_api import expect

from privacy.models import LegalBasis, SubjectRequest
from recruitment.factories import ApplicationFactory
from recruitment.models import Applicant, OutgoingEmail

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def admin_page(page, live_server, admin_user):
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill("adam")
    page.get_by_label("Password").fill("secret-password")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{live_server.url}/")
    return page


def test_an_admin_sees_the_basis_and_the_log_then_erases(admin_page, live_server, reports_dir):
    applicant = ApplicationFactory(
        applicant__first_name="Żaneta", applicant__last_name="Łęcka"
    ).applicant
    LegalBasis.objects.create(
        applicant=applicant, basis="contract", purpose="processing", source="document"
    )
    page = admin_page

    page.goto(f"{live_server.url}/applicants/{applicant.pk}/")
    panel = page.locator(".privacy-panel")
    expect(panel).to_contain_text("Contract")
    expect(panel).to_contain_text("Signed document")
    page.screenshot(path=str(reports_dir / "privacy-record.png"), full_page=True)
    panel.get_by_role("link", name="Data requests and access log").click()

    expect(page.locator(".access-log")).to_contain_text("Viewed the record")
    page.screenshot(path=str(reports_dir / "privacy-personal-data.png"), full_page=True)
    page.get_by_role("link", name="Erase now…").click()
    page.get_by_label("Why").fill("Prośba kandydatki z 5 grudnia")
    page.get_by_role("button", name="Erase").click()
    expect(page.locator(".erase-form")).to_contain_text("Tick this to confirm")
    page.get_by_label("I understand").check()
    page.get_by_role("button", name="Erase").click()

    expect(page.locator(".privacy-state")).to_contain_text("Anonymised on")
    expect(page.locator("h1")).to_have_text(f"Anonymised #{applicant.pk}")
    # Read-only now: no edit, tags, move or close controls.
    expect(page.locator(".tags-form, .move-form, .close-form, .note-form")).to_have_count(0)
    page.screenshot(path=str(reports_dir / "privacy-erased.png"), full_page=True)
    assert Applicant.objects.get(pk=applicant.pk).first_name == "Anonymised"


def test_a_candidate_asks_for_a_copy_and_confirms_by_the_mailed_link(
    page, live_server, reports_dir
):
    applicant = ApplicationFactory(applicant__email="zofia@example.com").applicant

    page.goto(f"{live_server.url}/privacy/request/")
    page.get_by_label("Your e-mail").fill("zofia@example.com")
    page.get_by_label("A copy of my data").check()
    page.screenshot(path=str(reports_dir / "privacy-request.png"), full_page=True)
    page.get_by_role("button", name="Send").click()
    expect(page.locator("h1")).to_have_text("Check your e-mail")
    body = OutgoingEmail.objects.get(to="zofia@example.com").body
    page.goto(re.search(r"(http://\S+/privacy/request/verify/\S+/)", body).group(1))
    page.get_by_role("button", name="Send my request").click()

    expect(page.locator("h1")).to_have_text("Request received")
    request = SubjectRequest.objects.get()
    assert (request.applicant, request.kind) == (applicant, "export")


def test_a_recruiter_records_a_legal_basis_with_the_pickers(signed_in, live_server, reports_dir):
    application = ApplicationFactory(vacancy__title="Tester manualny")
    page = signed_in
    page.goto(f"{live_server.url}/applicants/{application.applicant_id}/")
    page.get_by_role("link", name="Record a legal basis").click()

    page.get_by_label("Legal basis").select_option(label="Legitimate interest for a vacancy")
    page.get_by_label("Purpose").select_option(label="Processing for a vacancy")
    page.get_by_label("Vacancy").select_option(label="Tester manualny")
    page.get_by_label("Source").select_option(label="Phone call")
    page.get_by_label("Valid until").fill("2027-03-01T12:00")
    page.screenshot(path=str(reports_dir / "privacy-legal-basis.png"), full_page=True)
    page.get_by_role("button", name="Record").click()

    expect(page.locator(".privacy-panel")).to_contain_text("Legitimate interest for a vacancy")
    expect(page.locator(".privacy-panel")).to_contain_text("valid until 2027-03-01")
    basis = LegalBasis.objects.get()
    assert (basis.vacancy, basis.source) == (application.vacancy, "phone")
