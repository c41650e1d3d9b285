import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile

from careers.factories import PostingFactory
from careers.services import Candidate, careers_apply
from recruitment.factories import CityFactory

PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"


@pytest.fixture(autouse=True)
def _empty_cache():
    # The careers site's rate limits and the request form's live in the cache.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def posting(db):
    posting = PostingFactory(vacancy__title="Python Developer", slug="python-developer")
    posting.vacancy.cities.set([CityFactory(name="Poznań")])
    return posting


def apply(posting, *, email="zofia.zolkiewska@example.com", future_openings=True, cv=True,
          first_name="Żaneta", last_name="Łęcka-Śmigły", phone="+48 601 202 303",
          ip_address="203.0.113.7", message="Chętnie porozmawiam."):  # fmt: skip
    """Apply through the careers site, as a candidate does: consents, CV, submission."""
    upload = SimpleUploadedFile("cv.pdf", PDF, content_type="application/pdf") if cv else None
    candidate = Candidate(
        first_name=first_name, last_name=last_name, email=email, phone=phone, city=None,
        linkedin_url="https://www.linkedin.com/in/zaneta-lecka",
    )  # fmt: skip
    return careers_apply(
        posting=posting, candidate=candidate, cv=upload, message=message,
        future_openings=future_openings, ip_address=ip_address, language="en",
        site_url="http://testserver",
    )  # fmt: skip
