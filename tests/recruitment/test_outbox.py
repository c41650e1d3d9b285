"""The e-mail outbox with tasks run in-process (no broker): once, retried, resent, digests."""

import importlib
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from recruitment import services
from recruitment.factories import ApplicantFactory, ApplicationFactory, VacancyFactory
from recruitment.models import Activity, OutgoingEmail, Stage, StageEmailTemplate
from rms.celery import app as celery_app
from tests.conftest import role

pytestmark = pytest.mark.django_db


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


def move(application, actor):
    return services.application_move_to_stage(
        application=application, stage=Stage.INTERVIEW, send_email=True, actor=actor
    )


@pytest.fixture
def closed_smtp_port(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", 1
    settings.RMS_EMAIL_TRIES = 2
    return settings


def test_the_mail_carries_the_outbox_message_id_and_a_second_delivery_sends_nothing(
    recruiter, application, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        move(application, recruiter)
    email = OutgoingEmail.objects.get()

    assert services.email_deliver(email_pk=email.pk) is None

    (sent,) = mail.outbox
    assert sent.extra_headers["Message-ID"] == email.message_id
    email.refresh_from_db()
    assert (email.status, email.tries) == ("sent", 1)
    kinds = list(application.activities.values_list("kind", flat=True))
    assert kinds.count(Activity.Kind.EMAIL) == 1
    assert kinds.count(Activity.Kind.EMAIL_QUEUED) == 1


def test_a_failed_mail_is_sent_again_from_the_applicant_page(
    recruiter_client, recruiter, application, closed_smtp_port, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        move(application, recruiter)
    email = OutgoingEmail.objects.get()
    assert email.status == "failed"
    page = recruiter_client.get(f"/applicants/{application.applicant_id}/")
    assert f'action="/emails/{email.pk}/resend/"' in page.content.decode()

    closed_smtp_port.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    with django_capture_on_commit_callbacks(execute=True):
        response = recruiter_client.post(f"/emails/{email.pk}/resend/")

    assert response.status_code == 302
    assert len(mail.outbox) == 1
    email.refresh_from_db()
    assert email.status == "sent"
    page = recruiter_client.get(f"/applicants/{application.applicant_id}/")
    assert "Interview for QA Engineer (sent again)" in page.content.decode()
    assert f'action="/emails/{email.pk}/resend/"' not in page.content.decode()


def test_only_a_failed_mail_can_be_resent(recruiter_client, recruiter, application):
    email = move(application, recruiter) and OutgoingEmail.objects.get()

    response = recruiter_client.post(f"/emails/{email.pk}/resend/", follow=True)

    assert "Only a failed e-mail can be sent again." in response.content.decode()


def test_a_move_while_the_broker_is_down_keeps_the_mail_and_beat_sends_it_later(
    recruiter, application, broker_down, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        move(application, recruiter)

    application.refresh_from_db()
    assert application.stage == Stage.INTERVIEW
    email = OutgoingEmail.objects.get()
    assert email.status == "queued"
    waiting = application.activities.get(kind=Activity.Kind.EMAIL_RETRYING)
    assert "Not handed to the queue yet" in waiting.body
    assert mail.outbox == []

    celery_app.conf.task_always_eager = True
    OutgoingEmail.objects.update(queued_at=timezone.now() - timedelta(hours=1))
    assert services.email_outbox_requeue() == 1

    assert len(mail.outbox) == 1
    email.refresh_from_db()
    assert email.status == "sent"


def test_the_digest_lists_each_recruiters_stale_open_applications(
    recruiter, settings, django_capture_on_commit_callbacks
):
    settings.RMS_STALE_DAYS = 14
    stale = ApplicationFactory(applicant=ApplicantFactory(first_name="Stan", last_name="Old"))
    stale.applicant.__class__.objects.filter(pk=stale.applicant_id).update(
        latest_activity_at=timezone.now() - timedelta(days=20)
    )
    ApplicationFactory(applicant=ApplicantFactory(first_name="Fresh", last_name="New"))
    interviewer = recruiter.__class__.objects.create(username="ivo", email="ivo@example.com")
    interviewer.groups.add(role("interviewers"))

    with django_capture_on_commit_callbacks(execute=True):
        assert services.stale_digest_send() == 1

    (digest,) = mail.outbox
    assert digest.to == [recruiter.email]
    assert "Stan Old" in digest.body
    assert "Fresh New" not in digest.body


class BrokenBackend:
    """A mail backend with a bug of its own: not an SMTP or network error."""

    def __init__(self, **kwargs):
        pass

    def send_messages(self, messages):
        raise RuntimeError("the backend is broken")


def test_a_task_that_keeps_raising_is_retried_then_marked_failed_with_its_tries(
    recruiter, application, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = f"{__name__}.BrokenBackend"

    with django_capture_on_commit_callbacks(execute=True):
        move(application, recruiter)

    application.refresh_from_db()
    assert application.stage == Stage.INTERVIEW
    email = OutgoingEmail.objects.get()
    assert (email.status, email.tries) == ("failed", 4)
    failed = application.activities.get(kind=Activity.Kind.EMAIL_FAILED)
    assert (
        failed.body
        == "Interview for QA Engineer: Failed after 4 tries: RuntimeError('the backend is broken')"
    )
    assert mail.outbox == []


def test_the_schedules_are_rows_an_admin_edits_and_each_names_a_real_task(admin_user, client):
    from django_celery_beat.models import PeriodicTask

    scheduled = dict(PeriodicTask.objects.values_list("name", "task"))
    assert scheduled == {
        "Stale applications digest": "recruitment.tasks.stale_digest_send",
        "Re-queue stuck e-mails": "recruitment.tasks.email_outbox_requeue",
        "Delete expired exports": "recruitment.tasks.export_jobs_expire",
        "Retention: renewal links and anonymisation": "privacy.tasks.retention_run",
        "Interview reminders": "interviews.tasks.interview_reminders_send",
        "Destroy idle PR instances": "console.tasks.pr_instances_reap",
        "Read the instances' deploy logs": "console.tasks.deploy_logs_import",
        "Trim recent search documents": "recruitment.tasks.recent_search_documents_trim",
    }
    for name in scheduled.values():
        module, task = name.rsplit(".", 1)
        assert getattr(importlib.import_module(module), task).name == name

    digest = PeriodicTask.objects.get(name="Stale applications digest")
    client.force_login(admin_user)
    page = client.get(f"/admin/django_celery_beat/periodictask/{digest.pk}/change/")
    assert page.status_code == 200
    form = page.context["adminform"].form
    data = {**form.initial, "enabled": "", "crontab": digest.crontab_id, "_save": "Save"}
    data = {key: value for key, value in data.items() if value is not None}
    saved = client.post(f"/admin/django_celery_beat/periodictask/{digest.pk}/change/", data)
    assert saved.status_code == 302, saved.context["adminform"].form.errors
    digest.refresh_from_db()
    assert digest.enabled is False


def test_two_mails_get_two_message_ids_whatever_the_random_modules_state():
    import random

    ids = set()
    for _ in range(2):
        random.seed(18)
        ids.add(services.email_queue(to="łucja@example.com", subject="Ś", body="Ż").message_id)

    assert len(ids) == 2
