"""Confirming an application by the signed link in the e-mail."""

import re
import time

import pytest
from django.core import mail

from careers.links import confirmation_token
from careers.models import Submission
from recruitment.models import Activity, OutgoingEmail, Stage
from tests.careers.test_apply import URL, form

pytestmark = pytest.mark.django_db


@pytest.fixture
def link(client, posting, django_capture_on_commit_callbacks) -> str:
    with django_capture_on_commit_callbacks(execute=True):
        client.post(URL, form())
    body = OutgoingEmail.objects.get().body
    return re.search(r"http://testserver(/careers/confirm/\S+/)", body).group(1)


def test_following_the_link_shows_a_button_and_moves_nothing(client, link):
    response = client.get(link)
    assert response.status_code == 200
    assert "Confirm my application" in response.text
    assert Submission.objects.get().application.stage == Stage.APPLICATION


def test_confirming_moves_the_application_as_done_by_the_candidate(
    client, link, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(link)
    assert response.status_code == 200
    assert "your application is confirmed" in response.text
    submission = Submission.objects.get()
    application = submission.application
    assert application.stage == Stage.CONFIRMATION
    assert submission.confirmed_at is not None
    move = application.activities.get(kind=Activity.Kind.STAGE_CHANGED)
    assert (move.from_stage, move.to_stage, move.actor) == ("application", "confirmation", None)
    note = application.activities.get(kind=Activity.Kind.NOTE)
    assert "Confirmed by the candidate" in note.body
    assert mail.outbox[-1].subject.startswith("Thank you: your application for Python Developer")


def test_a_second_use_of_the_link_changes_nothing(client, link):
    client.post(link)
    response = client.post(link)
    assert response.status_code == 200
    application = Submission.objects.get().application
    assert application.activities.filter(kind=Activity.Kind.STAGE_CHANGED).count() == 1


def test_a_tampered_link_gets_a_clear_page(client, link):
    submission = Submission.objects.get()
    token = confirmation_token(submission_pk=submission.pk)
    forged = token.replace(f"{submission.pk}:", f"{submission.pk + 1}:", 1)
    response = client.post(f"/careers/confirm/{forged}/")
    assert response.status_code == 400
    assert "The link is not one we sent" in response.text
    assert Submission.objects.get().application.stage == Stage.APPLICATION


def test_an_expired_link_gets_a_clear_page(client, link, monkeypatch):
    eight_days_later = time.time() + 8 * 24 * 3600
    monkeypatch.setattr(time, "time", lambda: eight_days_later)
    response = client.post(link)
    assert response.status_code == 410
    assert "The link has expired" in response.text
    assert Submission.objects.get().application.stage == Stage.APPLICATION


def test_a_closed_application_is_not_confirmed(client, link, recruiter):
    from recruitment import services

    application = Submission.objects.get().application
    services.application_close(application=application, actor=recruiter, reason="withdrawn")
    response = client.post(link)
    assert response.status_code == 409
    assert "closed" in response.text
