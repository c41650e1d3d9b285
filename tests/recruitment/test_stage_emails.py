import pytest
from django.core import mail

from recruitment.factories import ApplicantFactory, ApplicationFactory, VacancyFactory
from recruitment.models import Activity, Stage, StageEmailTemplate
from recruitment.services import StaleApplicationError, application_move_to_stage

pytestmark = pytest.mark.django_db


@pytest.fixture
def interview_email():
    return StageEmailTemplate.objects.create(
        stage=Stage.INTERVIEW,
        subject="Interview for $vacancy",
        body="Hello $first_name, we would like to meet you. ($unknown stays as it is)",
    )


@pytest.fixture
def application():
    return ApplicationFactory(
        applicant=ApplicantFactory(first_name="Ola", email="ola@example.com"),
        vacancy=VacancyFactory(title="QA Engineer"),
        stage=Stage.VERIFICATION,
    )


def move(client, application, **extra):
    return client.post(
        f"/applications/{application.pk}/move/",
        {"stage": "interview", "expected_stage": "verification", **extra},
    )


def test_the_stage_email_goes_out_after_the_move_and_is_recorded(
    recruiter_client, recruiter, application, interview_email, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        move(recruiter_client, application, send_email="on")

    assert len(callbacks) == 1
    (sent,) = mail.outbox
    assert (sent.to, sent.subject) == (["ola@example.com"], "Interview for QA Engineer")
    assert sent.body.startswith(
        "Hello Ola, we would like to meet you. ($unknown stays as it is)\n\n-- \n"
    )
    assert sent.body.endswith("/privacy/request/")
    record = application.activities.get(kind=Activity.Kind.EMAIL)
    assert record.actor == recruiter
    assert record.body.startswith("Interview for QA Engineer")


def test_no_email_unless_asked(
    recruiter_client, application, interview_email, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        move(recruiter_client, application)

    assert mail.outbox == []
    assert not application.activities.filter(kind=Activity.Kind.EMAIL).exists()


def test_an_inactive_or_missing_template_sends_nothing(
    recruiter, application, interview_email, django_capture_on_commit_callbacks
):
    interview_email.is_active = False
    interview_email.save()

    with django_capture_on_commit_callbacks(execute=True):
        application_move_to_stage(
            application=application, stage=Stage.INTERVIEW, send_email=True, actor=recruiter
        )

    assert mail.outbox == []


def test_a_refused_move_sends_nothing(
    recruiter, application, interview_email, django_capture_on_commit_callbacks
):
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(StaleApplicationError),
    ):
        application_move_to_stage(
            application=application,
            stage=Stage.INTERVIEW,
            expected_stage=Stage.APPLICATION,
            send_email=True,
            actor=recruiter,
        )

    assert callbacks == []
    assert mail.outbox == []


def test_a_mail_server_that_refuses_is_retried_then_failed_and_the_move_stands(
    recruiter, application, interview_email, settings, django_capture_on_commit_callbacks
):
    # A real SMTP connection to a closed port on this machine; eager tasks retry at once.
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", 1
    settings.RMS_EMAIL_TRIES = 3

    with django_capture_on_commit_callbacks(execute=True):
        application_move_to_stage(
            application=application, stage=Stage.INTERVIEW, send_email=True, actor=recruiter
        )

    application.refresh_from_db()
    assert application.stage == Stage.INTERVIEW
    timeline = [a.kind for a in application.activities.order_by("created_at", "id")]
    assert timeline[-4:] == [
        Activity.Kind.EMAIL_QUEUED,
        Activity.Kind.EMAIL_RETRYING,
        Activity.Kind.EMAIL_RETRYING,
        Activity.Kind.EMAIL_FAILED,
    ]
    failed = application.activities.get(kind=Activity.Kind.EMAIL_FAILED)
    assert "Failed after 3 tries: " in failed.body
    assert failed.email.status == "failed"


def test_the_page_says_the_email_is_on_its_way(
    recruiter_client, application, interview_email, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = move(recruiter_client, application, send_email="on")

    shown = recruiter_client.get(response.url).content.decode()
    assert "The Interview e-mail is on its way" in shown
    assert "Interview for QA Engineer" in shown


def test_without_a_template_the_page_and_the_timeline_say_why_no_email_went(
    recruiter_client, application, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = move(recruiter_client, application, send_email="on")

    assert callbacks == []
    assert mail.outbox == []
    shown = recruiter_client.get(response.url).content.decode()
    assert "No e-mail sent: there is no active e-mail for Interview" in shown
    record = application.activities.get(kind=Activity.Kind.EMAIL)
    assert record.body == "Not sent: there is no active e-mail for the stage Interview."
