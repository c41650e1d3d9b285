"""Data subject requests: export, erase, restrict (admins), and the candidates' own."""

import io
import json
import re
import zipfile
from datetime import timedelta

import pytest
from django.core import mail
from django.test import Client

from privacy.models import AccessLogEntry, SubjectRequest
from privacy.services import access_log_flush
from recruitment import services
from recruitment.factories import ApplicantFactory, ApplicationFactory
from recruitment.models import Activity, Applicant, OutgoingEmail, Stage
from tests.privacy.conftest import PDF, apply

pytestmark = pytest.mark.django_db


@pytest.fixture
def person(posting, recruiter, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        submission = apply(posting)
    applicant = submission.application.applicant
    services.note_add(applicant=applicant, body="<p>Notatka o Żanecie</p>", actor=recruiter)
    return applicant


@pytest.fixture
def admin_client(client, admin_user):
    client.force_login(admin_user)
    return client


def export(client, applicant) -> tuple[dict, zipfile.ZipFile]:
    response = client.post(f"/applicants/{applicant.pk}/personal-data/export/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    return json.loads(archive.read("data.json")), archive


def test_the_export_holds_every_item_about_the_person(admin_client, person, recruiter):
    recruiter_views = admin_client.get(f"/applicants/{person.pk}/")  # one view, logged
    assert recruiter_views.status_code == 200
    other = ApplicantFactory(first_name="Obcy", email="someone.else@example.com")
    services.note_add(applicant=other, body="<p>not hers</p>", actor=recruiter)

    data, archive = export(admin_client, person)

    assert data["applicant"]["first_name"] == "Żaneta"
    assert data["applicant"]["email"] == "zofia.zolkiewska@example.com"
    assert [a["vacancy"] for a in data["applications"]] == ["Python Developer"]
    assert {c["purpose"] for c in data["consents"]} == {"processing", "future_openings"}
    assert data["careers_submissions"][0]["message"] == "Chętnie porozmawiam."
    assert any("Notatka o Żanecie" in entry["body"] for entry in data["timeline"])
    assert data["emails"] and data["emails"][0]["to"] == "zofia.zolkiewska@example.com"
    assert [entry["what"] for entry in data["viewed_by"]] == ["Viewed the record"]
    assert archive.read("cv.pdf") == PDF
    text = archive.read("data.json").decode()
    assert "Obcy" not in text and "someone.else" not in text and "not hers" not in text


def test_the_export_is_on_the_timeline_and_in_the_access_log(admin_client, person, admin_user):
    export(admin_client, person)
    access_log_flush()

    assert person.activities.get(kind=Activity.Kind.DATA_EXPORTED).actor == admin_user
    assert AccessLogEntry.objects.filter(applicant=person, action="export").count() == 1


def test_erasing_asks_for_a_confirmation_and_a_reason(admin_client, person):
    url = f"/applicants/{person.pk}/personal-data/erase/"

    shown = admin_client.get(url)
    unconfirmed = admin_client.post(url, {"reason": "Prośba kandydatki"})
    no_reason = admin_client.post(url, {"confirmed": "on"})

    assert shown.status_code == unconfirmed.status_code == no_reason.status_code == 200
    assert "Tick this to confirm" in unconfirmed.content.decode()
    person.refresh_from_db()
    assert person.anonymised_at is None

    done = admin_client.post(url, {"reason": "Prośba kandydatki", "confirmed": "on"})

    assert done.status_code == 302
    person.refresh_from_db()
    assert person.anonymised_at is not None
    entry = person.activities.get(kind=Activity.Kind.ANONYMISED)
    assert entry.body == "Prośba kandydatki"


def test_a_restricted_record_is_readable_but_frozen_unsearched_and_unmailed(
    admin_client, person, recruiter
):
    recruiter_client = Client()
    recruiter_client.force_login(recruiter)
    application = person.applications.get()
    waiting = services.email_queue(
        to=person.email, subject="Hello", body="b", application=application, actor=recruiter
    )

    response = admin_client.post(
        f"/applicants/{person.pk}/personal-data/restrict/", {"reason": "Kwestionuje dane"}
    )

    assert response.status_code == 302
    person.refresh_from_db()
    assert person.restricted_at is not None
    page = recruiter_client.get(f"/applicants/{person.pk}/")
    assert page.status_code == 200 and "Processing restricted" in page.content.decode()
    assert f"/applicants/{person.pk}/edit/" not in page.content.decode()
    assert "note-form" not in page.content.decode()
    notes = person.activities.filter(kind=Activity.Kind.NOTE).count()
    edit = recruiter_client.post(f"/applicants/{person.pk}/notes/", {"body": "<p>x</p>"})
    assert "restricted or anonymised" in edit.content.decode()
    assert person.activities.filter(kind=Activity.Kind.NOTE).count() == notes
    assert (
        recruiter_client.get("/applicants/", {"q": "Łęcka"}).context["listing"].page.object_list
        == []
    )
    assert recruiter_client.get("/applicants/suggest/", {"q": "Łęcka"}).json()["results"] == []
    waiting.refresh_from_db()
    assert waiting.status == OutgoingEmail.Status.FAILED
    with pytest.raises(services.FrozenApplicantError):
        services.application_move_to_stage(
            application=application, stage=Stage.CONFIRMATION, actor=recruiter
        )


def test_lifting_the_restriction(admin_client, person):
    url = f"/applicants/{person.pk}/personal-data/restrict/"
    admin_client.post(url, {"reason": "Kwestionuje dane"})

    admin_client.post(url, {"reason": "Dane poprawione"})

    person.refresh_from_db()
    assert person.restricted_at is None
    kinds = list(person.activities.values_list("kind", flat=True)[:2])
    assert kinds == [Activity.Kind.UNRESTRICTED, Activity.Kind.RESTRICTED]


def test_restricting_without_a_reason_is_a_field_error(admin_client, person):
    response = admin_client.post(f"/applicants/{person.pk}/personal-data/restrict/", {})

    assert response.status_code == 200
    assert "invalid-feedback" in response.content.decode()


def test_every_mail_to_a_candidate_carries_the_request_link(person):
    confirmation = OutgoingEmail.objects.filter(applicant=person).first()

    assert confirmation.body.rstrip().endswith("/privacy/request/")


def ask(client, **data):
    values = {"email": "zofia.zolkiewska@example.com", "kind": "export", "message": ""}
    return client.post("/privacy/request/", {**values, **data})


def link_in_last_mail() -> str:
    return re.search(r"http://testserver(/privacy/request/verify/\S+/)", mail.outbox[-1].body)[1]


def test_a_candidate_asks_verifies_and_the_request_lands_in_the_queue(
    client, person, admin_client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        asked = ask(client, message="Proszę o kopię.")
    assert asked.status_code == 200
    assert not SubjectRequest.objects.exists()  # nothing before the e-mail is verified
    link = link_in_last_mail()

    assert client.get(link).status_code == 200
    received = client.post(link)

    assert received.status_code == 200
    request = SubjectRequest.objects.get()
    assert (request.applicant, request.kind, request.message) == (
        person,
        "export",
        "Proszę o kopię.",
    )
    assert request.due_at - request.received_at == timedelta(days=30)
    assert client.post(link).status_code == 200
    assert SubjectRequest.objects.count() == 1  # the link used twice: one request
    queue = admin_client.get("/privacy/requests/").content.decode()
    assert "zofia.zolkiewska@example.com" in queue and "A copy of my data" in queue
    assert person.activities.filter(kind=Activity.Kind.SUBJECT_REQUEST).exists()


def test_an_admin_closes_a_request(
    client, person, admin_client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        ask(client, kind="erase")
    client.post(link_in_last_mail())
    request = SubjectRequest.objects.get()

    refused = admin_client.post(f"/privacy/requests/{request.pk}/close/", {"status": "done"})
    done = admin_client.post(
        f"/privacy/requests/{request.pk}/close/", {"status": "done", "answer": "Usunięto dane."}
    )

    assert refused.status_code == 200 and "invalid-feedback" in refused.content.decode()
    assert done.status_code == 302
    request.refresh_from_db()
    assert (request.status, request.answer) == ("done", "Usunięto dane.")


def test_a_stranger_gets_the_same_answer_and_a_request_with_nobody_attached(
    client, django_capture_on_commit_callbacks, db
):
    with django_capture_on_commit_callbacks(execute=True):
        response = ask(client, email="nobody@example.com")
    assert "Check your e-mail" in response.content.decode()
    client.post(link_in_last_mail())

    assert SubjectRequest.objects.get().applicant is None


@pytest.mark.parametrize(
    "bad", [{"email": "not an address"}, {"kind": "delete everything"}, {"message": "x" * 2001}]
)
def test_bad_input_on_the_request_form_is_a_field_error(client, db, bad):
    response = ask(client, **bad)

    assert response.status_code == 200
    assert "invalid-feedback" in response.content.decode()
    assert mail.outbox == []


def test_a_tampered_verification_link_is_refused(client, db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        ask(client)
    link = link_in_last_mail()

    response = client.post(link.replace(":", ";", 1))

    assert response.status_code == 400
    assert not SubjectRequest.objects.exists()


def test_asking_too_often_is_refused(client, db):
    for _ in range(5):
        assert ask(client).status_code == 200

    assert ask(client).status_code == 429


@pytest.mark.parametrize("rows", [2, 12])
def test_the_queue_query_count_does_not_grow_with_rows(
    admin_client, django_assert_num_queries, rows
):
    from django.utils import timezone

    now = timezone.now()
    for number in range(rows):
        SubjectRequest.objects.create(
            kind="export", email=f"p{number}@example.com", due_at=now,
            applicant=ApplicationFactory().applicant,
        )  # fmt: skip

    # 1 session, 2 user, 3 role, 4 count, 5 the page with applicants and handlers.
    with django_assert_num_queries(5):
        admin_client.get("/privacy/requests/")


def test_an_anonymised_record_is_not_exported_as_someone(admin_client, person, admin_user):
    from privacy.services import applicant_anonymise

    applicant_anonymise(applicant=person, actor=admin_user, reason="Asked")

    data, archive = export(admin_client, person)

    assert data["applicant"]["first_name"] == "Anonymised"
    assert archive.namelist() == ["data.json"]
    assert "Żaneta" not in archive.read("data.json").decode()
    assert Applicant.objects.get(pk=person.pk).anonymised_at is not None
