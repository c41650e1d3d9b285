"""Stage e-mails and exports through a real worker: once, retried, crash-safe, streamed."""

import csv
import io
import time

import pytest

from recruitment.exports import csv_complete
from recruitment.factories import ApplicantFactory, ApplicationFactory, VacancyFactory
from recruitment.models import (
    Activity,
    Applicant,
    Application,
    City,
    ExportJob,
    OutgoingEmail,
    Stage,
    StageEmailTemplate,
    Vacancy,
)
from tests.queue.conftest import wait_until

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def application():
    StageEmailTemplate.objects.create(
        stage=Stage.INTERVIEW, subject="Interview for $vacancy", body="Hello $first_name"
    )
    return ApplicationFactory(
        applicant=ApplicantFactory(first_name="Ola", email="ola@example.com"),
        vacancy=VacancyFactory(title="QA Engineer"),
        stage=Stage.VERIFICATION,
    )


def move(client, application):
    response = client.post(
        f"/applications/{application.pk}/move/",
        {"stage": "interview", "expected_stage": "verification", "send_email": "on"},
    )
    assert response.status_code == 302
    return OutgoingEmail.objects.get(application=application)


def sent(email: OutgoingEmail) -> bool:
    email.refresh_from_db()
    return email.status == OutgoingEmail.Status.SENT


def email_kinds(application) -> list[str]:
    return list(
        application.activities.filter(kind__startswith="email.")
        .order_by("created_at", "id")
        .values_list("kind", flat=True)
    )


def test_a_stage_move_sends_exactly_one_mail_through_the_worker(
    broker, sink, recruiter_client, application
):
    email = move(recruiter_client, application)

    wait_until(lambda: sent(email))
    (message,) = sink.messages
    assert message["Message-ID"] == email.message_id
    assert message["Subject"] == "Interview for QA Engineer"
    assert email_kinds(application) == [Activity.Kind.EMAIL_QUEUED, Activity.Kind.EMAIL]


def test_a_server_that_refuses_twice_gets_one_mail_and_the_timeline_shows_the_retries(
    broker, sink, recruiter_client, application
):
    sink.refuse = 2

    email = move(recruiter_client, application)

    wait_until(lambda: sent(email))
    assert sink.refused == 2
    assert len(sink.messages) == 1
    assert email_kinds(application) == [
        Activity.Kind.EMAIL_QUEUED,
        Activity.Kind.EMAIL_RETRYING,
        Activity.Kind.EMAIL_RETRYING,
        Activity.Kind.EMAIL,
    ]
    retries = application.activities.filter(kind=Activity.Kind.EMAIL_RETRYING)
    assert all("Mailbox busy" in entry.body for entry in retries)
    page = recruiter_client.get(f"/applicants/{application.applicant_id}/").content.decode()
    assert "Try 2 failed: (451" in page


def test_a_worker_killed_mid_send_delivers_exactly_once_after_restart(
    broker, sink, worker, recruiter_client, application
):
    sink.rcpt_delay = 30  # the worker is inside the SMTP conversation when it dies

    email = move(recruiter_client, application)
    assert sink.rcpt_seen.wait(30)
    worker.kill()
    sink.rcpt_delay = 0
    worker.start()

    wait_until(lambda: sent(email), timeout=60)
    # Past another visibility timeout: no second delivery turns up.
    time.sleep(7)
    assert len(sink.messages) == 1
    email.refresh_from_db()
    assert email.tries == 1
    assert email_kinds(application).count(Activity.Kind.EMAIL) == 1


ROWS = 20_000


def applications_in(city: City, count: int, vacancy: Vacancy, prefix: str) -> None:
    applicants = Applicant.objects.bulk_create(
        Applicant(first_name=prefix, last_name=f"{prefix}{n:05}", email=f"{prefix}{n}@x.io",
                  city=city)
        for n in range(count)
    )  # fmt: skip
    Application.objects.bulk_create(
        Application(applicant=applicant, vacancy=vacancy, stage=Stage.APPLICATION)
        for applicant in applicants
    )


def test_a_20000_row_export_runs_as_a_job_with_progress_and_follows_the_filters(
    broker, recruiter_client
):
    vacancy = VacancyFactory(title="Backend")
    gdansk, torun = City.objects.create(name="Gdańsk"), City.objects.create(name="Toruń")
    applications_in(gdansk, ROWS, vacancy, "G")
    applications_in(torun, 300, vacancy, "T")

    response = recruiter_client.get("/applicants/export.csv", {"city": gdansk.pk})

    job = ExportJob.objects.get()
    assert response["Location"] == f"/exports/{job.pk}/"
    seen = set()

    def finished() -> bool:
        job.refresh_from_db()
        seen.add(job.done)
        return job.finished

    wait_until(finished, timeout=120, every=0.05)
    assert job.status == ExportJob.Status.DONE
    assert any(0 < done < ROWS for done in seen), seen
    page = recruiter_client.get(f"/exports/{job.pk}/").content.decode()
    assert f'href="/exports/{job.pk}/download/"' in page
    body = b"".join(recruiter_client.get(f"/exports/{job.pk}/download/").streaming_content)
    assert csv_complete(body.decode("utf-8"))
    _header, *rows, _end = csv.reader(io.StringIO(body.decode("utf-8")[1:]))
    assert len(rows) == ROWS
    assert {row[5] for row in rows} == {"Gdańsk"}
