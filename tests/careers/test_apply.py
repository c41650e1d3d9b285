"""Applying through the careers page: records, de-duplication, consents and abuse."""

import pytest
from django.core import mail
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile

from careers import services
from careers.models import Consent, Submission
from recruitment.factories import ApplicantFactory, ApplicationFactory, CityFactory
from recruitment.models import Activity, Applicant, Application, OutgoingEmail, Stage
from tests.careers.conftest import PDF

pytestmark = pytest.mark.django_db
URL = "/careers/python-developer/apply/"


def form(**changes) -> dict:
    data = {
        "first_name": "Anna",
        "last_name": "Nowak",
        "email": "anna@example.com",
        "phone": "+48 600 100 200",
        "city": "",
        "linkedin_url": "https://www.linkedin.com/in/anna",
        "message": "I love Python.",
        "consent_processing": "on",
        "cv": SimpleUploadedFile("my cv.pdf", PDF, content_type="application/pdf"),
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def _all_cvs() -> set[str]:
    return {name for folder in ("cv", "careers-cv") for name in _files(folder)}


_before: set[str] = set()


@pytest.fixture(autouse=True)
def _cvs_before():
    # The in-memory storage lives as long as the test run: only this test's files count.
    _before.clear()
    _before.update(_all_cvs())


def stored_cvs() -> set[str]:
    return _all_cvs() - _before


def _files(folder: str) -> list[str]:
    try:
        return default_storage.listdir(folder)[1]
    except FileNotFoundError:
        return []


def test_a_new_candidate_becomes_an_applicant_at_the_application_stage(client, posting):
    response = client.post(URL, form(), REMOTE_ADDR="203.0.113.7")
    assert response.status_code == 302
    assert response["Location"] == "/careers/python-developer/thanks/"
    applicant = Applicant.objects.get()
    assert (applicant.full_name, applicant.email) == ("Anna Nowak", "anna@example.com")
    assert applicant.source.name == "Careers page"
    assert applicant.cv.name.endswith(".pdf")
    application = Application.objects.get()
    assert (application.vacancy, application.stage) == (posting.vacancy, Stage.APPLICATION)
    kinds = set(applicant.activities.values_list("kind", flat=True))
    assert {Activity.Kind.APPLICANT_CREATED, Activity.Kind.APPLICATION_CREATED} <= kinds
    submission = Submission.objects.get()
    assert (submission.ip_address, submission.message) == ("203.0.113.7", "I love Python.")
    assert submission.language == "en"


def test_the_consents_are_recorded_with_wording_time_and_address(client, posting):
    client.post(URL, form(consent_future="on"), REMOTE_ADDR="203.0.113.7")
    submission = Submission.objects.get()
    consents = {c.purpose: c for c in Consent.objects.all()}
    assert set(consents) == {Consent.Purpose.PROCESSING, Consent.Purpose.FUTURE_OPENINGS}
    processing = consents[Consent.Purpose.PROCESSING]
    assert processing.wording_version == "2025-1"
    assert "Python Developer" in processing.wording
    assert processing.ip_address == "203.0.113.7"
    assert processing.given_at == submission.submitted_at
    assert processing.applicant == submission.application.applicant
    assert processing.valid_until is None
    future = consents[Consent.Purpose.FUTURE_OPENINGS]
    assert "12 months" in future.wording
    assert (future.valid_until - future.given_at).days == 360


def test_the_optional_consent_is_only_recorded_when_given(client, posting):
    client.post(URL, form())
    assert list(Consent.objects.values_list("purpose", flat=True)) == ["processing"]


def test_the_processing_consent_is_required(client, posting):
    response = client.post(URL, form(consent_processing=None))
    assert response.status_code == 200
    assert "This field is required." in response.text
    assert not Applicant.objects.exists() and not stored_cvs()


def test_a_cv_that_is_not_a_document_is_refused_and_nothing_is_kept(client, posting):
    fake = SimpleUploadedFile("cv.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    response = client.post(URL, form(cv=fake))
    assert response.status_code == 200
    assert "A CV must be a PDF, DOC, DOCX or ODT file." in response.text
    assert not Applicant.objects.exists() and not stored_cvs()


def test_a_failure_after_the_cv_was_stored_leaves_no_file_and_no_applicant(
    client, posting, monkeypatch
):
    def broken(**kwargs):
        raise RuntimeError("the outbox is broken")

    monkeypatch.setattr(services, "_confirmation_mail_queue", broken)
    with pytest.raises(RuntimeError):
        client.post(URL, form())
    assert not Applicant.objects.exists()
    assert not Application.objects.exists() and not Submission.objects.exists()
    assert not stored_cvs()


def test_the_confirmation_mail_goes_through_the_outbox(
    client, posting, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(URL, form())
    email = OutgoingEmail.objects.get()
    assert email.to == "anna@example.com"
    assert email.subject == "Confirm your application for Python Developer"
    assert "http://testserver/careers/confirm/" in email.body
    assert [m.subject for m in mail.outbox] == [email.subject]


def test_a_known_email_reuses_the_applicant_and_keeps_the_recruiters_values(client, posting):
    known = ApplicantFactory(
        first_name="Anna", last_name="Kowalska", email="Anna@Example.com", phone="", city=None
    )
    poznan = posting.vacancy.cities.get()
    response = client.post(URL, form(city=poznan.pk))
    assert response.status_code == 302
    assert Applicant.objects.count() == 1
    known.refresh_from_db()
    # What the recruiters entered stays; what they left empty is filled in.
    assert known.last_name == "Kowalska" and known.email == "Anna@Example.com"
    assert (known.phone, known.city) == ("+48 600 100 200", poznan)
    assert Application.objects.get().applicant == known
    submission = Submission.objects.get()
    assert submission.candidate_says == {"last_name": "Nowak"}
    note = known.activities.get(kind=Activity.Kind.NOTE)
    assert "The candidate now says" in note.body and "Nowak" in note.body


def test_a_known_applicants_cv_is_not_replaced(client, posting):
    known = ApplicantFactory(email="anna@example.com")
    known.cv.save("old.pdf", SimpleUploadedFile("old.pdf", PDF), save=True)
    old = known.cv.name
    client.post(URL, form())
    known.refresh_from_db()
    assert known.cv.name == old
    assert Submission.objects.get().cv.name.startswith("careers-cv/")


def test_an_open_application_for_the_same_vacancy_is_not_duplicated(client, posting):
    known = ApplicantFactory(email="anna@example.com")
    ApplicationFactory(applicant=known, vacancy=posting.vacancy)
    response = client.post(URL, form())
    assert response.status_code == 200
    assert "You have applied already" in response.text
    assert Application.objects.count() == 1
    assert not Submission.objects.exists() and not stored_cvs()


def test_applying_twice_is_told_the_second_time(client, posting):
    client.post(URL, form())
    response = client.post(URL, form())
    assert "You have applied already" in response.text
    assert Application.objects.count() == 1


def test_the_honeypot_saves_nothing_and_says_thank_you(client, posting):
    response = client.post(URL, form(website="http://spam.example"))
    assert response.status_code == 302
    assert not Applicant.objects.exists() and not stored_cvs()


def test_the_rate_limit_counts_per_email(client, posting, settings):
    settings.RMS_CAREERS_APPLY_PER_EMAIL_HOUR = 2
    for address in ("198.51.100.1", "198.51.100.2"):
        client.post(URL, form(), REMOTE_ADDR=address)
    response = client.post(URL, form(), REMOTE_ADDR="198.51.100.3")
    assert response.status_code == 429
    assert "Too many applications" in response.text
    assert client.post(URL, form(email="ben@example.com")).status_code == 302


def test_the_rate_limit_counts_per_address(client, posting, settings):
    settings.RMS_CAREERS_APPLY_PER_IP_HOUR = 2
    for number in range(2):
        client.post(URL, form(email=f"person{number}@example.com"), REMOTE_ADDR="198.51.100.9")
    response = client.post(URL, form(email="third@example.com"), REMOTE_ADDR="198.51.100.9")
    assert response.status_code == 429
    assert Applicant.objects.count() == 2
    other = client.post(URL, form(email="third@example.com"), REMOTE_ADDR="198.51.100.10")
    assert other.status_code == 302


def test_the_form_is_public_and_labelled(client, posting):
    response = client.get(URL)
    assert response.status_code == 200
    assert "no-cache" in response["Cache-Control"] or "no-store" in response["Cache-Control"]
    for field in ("first_name", "last_name", "email", "phone", "city", "cv", "message"):
        assert f'<label class="form-label" for="id_{field}">' in response.text
    assert 'for="id_consent_processing"' in response.text


def test_a_closed_vacancy_takes_no_application(client, posting):
    posting.vacancy.is_open = False
    posting.vacancy.save()
    assert client.post(URL, form()).status_code == 410
    assert not Applicant.objects.exists()


def test_known_city_choice_is_kept(client, posting):
    city = CityFactory(name="Łódź")
    client.post(URL, form(city=city.pk))
    assert Applicant.objects.get().city == city
