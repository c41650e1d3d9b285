"""`make run` shows a careers site with the demo data's openings on it."""

import pytest
from django.core.management import call_command

from careers.models import Posting
from recruitment.factories import VacancyFactory

pytestmark = pytest.mark.django_db


def test_the_demo_publishes_each_open_vacancy_once(client):
    VacancyFactory(title="Senior Python Developer")
    second = VacancyFactory(title="Senior Python Developer")
    VacancyFactory(title="Łódź Office Manager", is_open=False)

    call_command("seed_careers_demo", verbosity=0)
    call_command("seed_careers_demo", verbosity=0)

    postings = Posting.objects.order_by("vacancy_id")
    assert [(p.slug, p.seniority, p.is_published) for p in postings] == [
        ("senior-python-developer", "senior", True),
        (f"senior-python-developer-{second.pk}", "senior", True),
    ]
    page = client.get("/careers/")
    assert page.content.decode().count("Senior Python Developer") >= 2


def test_a_posting_a_recruiter_unpublished_stays_unpublished():
    vacancy = VacancyFactory(title="QA")
    call_command("seed_careers_demo", verbosity=0)
    Posting.objects.filter(vacancy=vacancy).update(is_published=False)

    call_command("seed_careers_demo", verbosity=0)

    assert not Posting.objects.get(vacancy=vacancy).is_published
