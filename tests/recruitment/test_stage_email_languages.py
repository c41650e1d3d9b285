"""The stage e-mail goes in the language the candidate applied in."""

import pytest
from django.core import mail

from careers.models import Submission
from recruitment.factories import ApplicantFactory, ApplicationFactory, VacancyFactory
from recruitment.models import ClosingReason, Stage, StageEmailTemplate
from recruitment.services import stage_email_send

pytestmark = pytest.mark.django_db


@pytest.fixture
def templates():
    StageEmailTemplate.objects.create(
        stage=Stage.INTERVIEW, language="en", subject="Interview: $stage", body="Hello $first_name"
    )
    StageEmailTemplate.objects.create(
        stage=Stage.INTERVIEW,
        language="pl",
        subject="Etap: $stage",
        body="Dzień dobry, $first_name",
    )


def _application(language: str | None):
    application = ApplicationFactory(
        applicant=ApplicantFactory(first_name="Łucja", email="lucja@example.com"),
        vacancy=VacancyFactory(title="Tester, Łódź"),
        stage=Stage.INTERVIEW,
    )
    if language:
        Submission.objects.create(application=application, language=language)
    return application


def _send(application, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        stage_email_send(application_pk=application.pk, stage=Stage.INTERVIEW, actor=None)
    return mail.outbox[-1]


@pytest.mark.usefixtures("templates")
def test_a_candidate_who_applied_in_polish_gets_the_polish_mail(django_capture_on_commit_callbacks):
    sent = _send(_application("pl"), django_capture_on_commit_callbacks)
    assert sent.subject == "Etap: Rozmowa"
    assert sent.body.startswith("Dzień dobry, Łucja")


@pytest.mark.usefixtures("templates")
@pytest.mark.parametrize("language", [None, "en"])
def test_others_get_the_english_mail(django_capture_on_commit_callbacks, language):
    sent = _send(_application(language), django_capture_on_commit_callbacks)
    assert sent.subject == "Interview: Interview"


def test_without_a_polish_template_the_english_one_goes(django_capture_on_commit_callbacks):
    StageEmailTemplate.objects.create(
        stage=Stage.INTERVIEW, language="en", subject="Interview", body="Hello"
    )
    assert _send(_application("pl"), django_capture_on_commit_callbacks).subject == "Interview"


def test_one_template_per_stage_and_language(templates):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        StageEmailTemplate.objects.create(
            stage=Stage.INTERVIEW, language="pl", subject="x", body="y"
        )


def test_a_closing_reason_reads_in_the_users_language():
    from django.utils import translation

    reason = ClosingReason.objects.get(name="Rejected")
    with translation.override("pl"):
        assert str(reason) == "Odrzucona"
    with translation.override("en"):
        assert str(reason) == "Rejected"
