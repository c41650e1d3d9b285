"""The careers site of the demo data set: `make run` shows its openings published."""

from django.contrib.auth.models import AbstractBaseUser
from django.utils.text import slugify

from careers.models import Contract, Posting, Seniority
from careers.services import posting_save
from recruitment.models import Vacancy

CONTRACTS = [Contract.EMPLOYMENT, Contract.B2B, Contract.EMPLOYMENT, Contract.MANDATE]


def demo_postings_publish(*, actor: AbstractBaseUser) -> int:
    """Publish every open vacancy that has no posting yet; one a recruiter unpublished
    (or any posting made by hand) is left as it is, so running it again changes nothing."""
    vacancies = Vacancy.objects.filter(is_open=True, posting__isnull=True)
    taken = set(Posting.objects.values_list("slug", flat=True))
    published = 0
    for number, vacancy in enumerate(vacancies.order_by("pk")):
        slug = slugify(vacancy.title) or f"position-{vacancy.pk}"
        if slug in taken:
            slug = f"{slug}-{vacancy.pk}"
        taken.add(slug)
        posting_save(
            vacancy=vacancy,
            actor=actor,
            slug=slug,
            seniority=_seniority(vacancy.title),
            contract=CONTRACTS[number % len(CONTRACTS)],
            is_published=True,
        )
        published += 1
    return published


def _seniority(title: str) -> str:
    words = title.lower().split()
    for seniority in (Seniority.SENIOR, Seniority.LEAD, Seniority.JUNIOR):
        if seniority.value in words:
            return seniority
    return Seniority.MID
