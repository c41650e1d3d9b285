import pytest
from django.core.cache import cache

from careers.factories import PostingFactory
from recruitment.factories import CityFactory

PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"


@pytest.fixture(autouse=True)
def _empty_cache():
    # The public pages and the rate limit live in the cache: every test starts afresh.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def posting(db):
    posting = PostingFactory(vacancy__title="Python Developer", slug="python-developer")
    posting.vacancy.cities.set([CityFactory(name="Poznań")])
    return posting
