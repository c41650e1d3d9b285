"""factory_boy factories for the careers models (tests, and demo data later)."""

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from careers.models import Contract, Posting, Seniority
from recruitment.factories import VacancyFactory


class PostingFactory(DjangoModelFactory):
    class Meta:
        model = Posting

    vacancy = factory.SubFactory(VacancyFactory)
    slug = factory.Sequence(lambda n: f"position-{n}")
    is_published = True
    seniority = Seniority.MID
    contract = Contract.EMPLOYMENT
    published_at = factory.LazyFunction(timezone.now)
