"""The language a page is in: the user's choice, else the browser's; English by default."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from careers.factories import PostingFactory
from recruitment.models import UserLanguage

pytestmark = pytest.mark.django_db


def test_a_user_without_a_choice_gets_english(recruiter_client):
    page = recruiter_client.get(reverse("dashboard")).content.decode()
    assert '<html lang="en">' in page
    assert ">Dashboard<" in page


def test_the_switcher_remembers_polish_for_the_user(recruiter_client, recruiter):
    response = recruiter_client.post(
        reverse("language_set"), {"language": "pl", "next": reverse("vacancy_list")}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("vacancy_list")
    assert UserLanguage.objects.get(user=recruiter).language == "pl"
    page = recruiter_client.get(reverse("applicant_list")).content.decode()
    assert '<html lang="pl">' in page
    assert ">Pulpit<" in page
    assert "Wyloguj" in page


def test_the_choice_comes_back_with_the_next_sign_in(client, recruiter):
    UserLanguage.objects.create(user=recruiter, language="pl")
    client.post("/accounts/login/", {"username": "rita", "password": "secret-password"})
    page = client.get(reverse("dashboard")).content.decode()
    assert '<html lang="pl">' in page


def test_the_choice_beats_the_browsers_language(client, recruiter):
    UserLanguage.objects.create(user=recruiter, language="en")
    client.post("/accounts/login/", {"username": "rita", "password": "secret-password"})
    page = client.get(reverse("dashboard"), HTTP_ACCEPT_LANGUAGE="pl").content.decode()
    assert '<html lang="en">' in page


def test_switching_back_to_english(recruiter_client, recruiter):
    recruiter_client.post(reverse("language_set"), {"language": "pl"})
    recruiter_client.post(reverse("language_set"), {"language": "en"})
    assert UserLanguage.objects.get(user=recruiter).language == "en"
    assert ">Dashboard<" in recruiter_client.get(reverse("dashboard")).content.decode()


@pytest.mark.parametrize("language", ["de", "", "pl-PL"])
def test_an_unknown_language_changes_nothing(recruiter_client, recruiter, language):
    response = recruiter_client.post(reverse("language_set"), {"language": language})
    assert response.status_code == 302
    assert not UserLanguage.objects.filter(user=recruiter).exists()


def test_the_switcher_does_not_redirect_off_site(recruiter_client):
    response = recruiter_client.post(
        reverse("language_set"), {"language": "pl", "next": "https://evil.example/"}
    )
    assert response["Location"] == reverse("dashboard")


def test_the_choice_costs_no_query_per_page(recruiter_client):
    with CaptureQueriesContext(connection) as english:
        recruiter_client.get(reverse("vacancy_list"))
    recruiter_client.post(reverse("language_set"), {"language": "pl"})
    with CaptureQueriesContext(connection) as polish:
        recruiter_client.get(reverse("vacancy_list"))
    assert len(polish) == len(english)


def test_api_errors_follow_accept_language(client):
    response = client.get("/api/no-such-thing/", HTTP_ACCEPT_LANGUAGE="pl")
    assert response.status_code == 404
    assert response.json()["detail"] == "Pod tym adresem URL nie ma punktu końcowego API."


def test_form_errors_are_in_the_users_language(recruiter_client):
    recruiter_client.post(reverse("language_set"), {"language": "pl"})
    page = recruiter_client.post(reverse("vacancy_create"), {"title": ""}).content.decode()
    assert "To pole jest wymagane." in page


def test_careers_follow_accept_language_and_link_each_language():
    posting = PostingFactory(vacancy__title="Programista Łódź")
    url = reverse("careers:detail", args=[posting.slug])
    page = Client().get(url, HTTP_ACCEPT_LANGUAGE="pl,en;q=0.5").content.decode()
    assert '<html lang="pl">' in page
    assert 'hreflang="en" href="http://testserver' + url + '?lang=en"' in page
    assert 'hreflang="pl" href="http://testserver' + url + '?lang=pl"' in page
    assert 'hreflang="x-default" href="http://testserver' + url + '"' in page


def test_careers_lang_parameter_beats_the_browser_and_sticks():
    posting = PostingFactory()
    visitor = Client()
    url = reverse("careers:list")
    response = visitor.get(url + "?lang=pl", HTTP_ACCEPT_LANGUAGE="en")
    assert '<html lang="pl">' in response.content.decode()
    assert "Cookie" in response["Vary"]
    later = visitor.get(reverse("careers:detail", args=[posting.slug]), HTTP_ACCEPT_LANGUAGE="en")
    assert '<html lang="pl">' in later.content.decode()


def test_careers_ignore_an_unknown_lang():
    response = Client().get(reverse("careers:list") + "?lang=xx", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert '<html lang="en">' in response.content.decode()


def test_the_stale_digest_goes_in_the_recruiters_language(
    recruiter, settings, django_capture_on_commit_callbacks
):
    from datetime import timedelta

    from django.core import mail
    from django.utils import timezone

    from recruitment.factories import ApplicantFactory, ApplicationFactory
    from recruitment.services import stale_digest_send

    settings.RMS_STALE_DAYS = 14
    UserLanguage.objects.create(user=recruiter, language="pl")
    for surname in ("Łoś", "Żak"):
        application = ApplicationFactory(applicant=ApplicantFactory(last_name=surname))
        application.applicant.__class__.objects.filter(pk=application.applicant_id).update(
            latest_activity_at=timezone.now() - timedelta(days=20)
        )
    with django_capture_on_commit_callbacks(execute=True):
        assert stale_digest_send() == 1
    (digest,) = mail.outbox
    assert digest.subject == "2 aplikacje bez aktywności od 14 dni"
    assert "ostatnia aktywność" in digest.body
