"""A recruiter publishes a vacancy; its page shows the state and the public link."""

import pytest

from careers.models import Posting
from recruitment.factories import UserFactory, VacancyFactory
from tests.conftest import role

pytestmark = pytest.mark.django_db

FORM = {"slug": "qa-engineer", "seniority": "senior", "contract": "b2b", "is_published": "on"}


def test_a_recruiter_publishes_a_vacancy(recruiter_client):
    vacancy = VacancyFactory(title="QA Engineer")
    assert "Not on the careers page" in recruiter_client.get(f"/vacancies/{vacancy.pk}/").text
    response = recruiter_client.post(f"/vacancies/{vacancy.pk}/careers/", FORM)
    assert response.status_code == 302
    posting = Posting.objects.get(vacancy=vacancy)
    assert (posting.slug, posting.seniority, posting.contract) == ("qa-engineer", "senior", "b2b")
    assert posting.is_published and posting.published_at is not None
    board = recruiter_client.get(f"/vacancies/{vacancy.pk}/").text
    assert "Published" in board
    assert 'value="http://testserver/careers/qa-engineer/"' in board
    assert "Copy link" in board


def test_unpublishing_keeps_the_first_publishing_date(recruiter_client):
    vacancy = VacancyFactory()
    recruiter_client.post(f"/vacancies/{vacancy.pk}/careers/", FORM)
    first = Posting.objects.get().published_at
    recruiter_client.post(f"/vacancies/{vacancy.pk}/careers/", {**FORM, "is_published": ""})
    posting = Posting.objects.get()
    assert not posting.is_published and posting.published_at == first
    assert "Unpublished" in recruiter_client.get(f"/vacancies/{vacancy.pk}/").text


def test_the_address_is_one_vacancys_only(recruiter_client):
    recruiter_client.post(f"/vacancies/{VacancyFactory().pk}/careers/", FORM)
    other = VacancyFactory()
    response = recruiter_client.post(f"/vacancies/{other.pk}/careers/", FORM)
    assert response.status_code == 200
    assert "already exists" in response.text
    assert not Posting.objects.filter(vacancy=other).exists()


def test_an_interviewer_cannot_publish(client):
    user = UserFactory(username="ivan")
    user.groups.add(role("interviewers"))
    client.force_login(user)
    vacancy = VacancyFactory()
    assert client.post(f"/vacancies/{vacancy.pk}/careers/", FORM).status_code == 403
    assert not Posting.objects.exists()


def test_the_settings_need_a_sign_in(client):
    vacancy = VacancyFactory()
    assert client.get(f"/vacancies/{vacancy.pk}/careers/").status_code == 302
