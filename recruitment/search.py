"""Free-text search over applicants: name, e-mail, phone and tags.

On PostgreSQL it is full-text search with prefix matching, served by the GIN expression
index `applicant_search_idx` (the query repeats the index's exact expression, which is
what lets the planner use it). SQLite, the first-look database, gets a plain
case-insensitive substring match.
"""

import re

from django.contrib.postgres.search import SearchQuery, SearchVector
from django.db import connection
from django.db.models import Q, QuerySet

from recruitment.models import SEARCH_CONFIG, SEARCH_FIELDS, Applicant, Tag

_WORD = re.compile(r"[\w@.+-]+", re.UNICODE)


def applicant_search_vector() -> SearchVector:
    return SearchVector(*SEARCH_FIELDS, config=SEARCH_CONFIG)


def search_words(text: str) -> list[str]:
    return _WORD.findall(text.lower())[:8]


def applicant_search_q(text: str, *, prefix: str = "") -> Q:
    """A filter on `<prefix>pk` (an Applicant, or a relation to one) matching every word."""
    words = search_words(text)
    if not words:
        return Q()
    key = f"{prefix}pk__in"
    if connection.vendor != "postgresql":
        return Q(**{key: _substring_matching(words)})
    matches = Q(**{key: full_text_matching(words)})
    # A single word may also be a skill: "django" finds everyone tagged django. Asked
    # only when such a tag exists: an OR with a tag subquery makes PostgreSQL expect
    # thousands of rows and walk the whole list instead of the few text matches.
    if len(words) == 1 and Tag.objects.filter(name=words[0]).exists():
        matches |= Q(**{key: Applicant.objects.filter(tags__name=words[0]).values("pk")})
    return matches


def full_text_matching(words: list[str]) -> QuerySet:
    applicants = Applicant.objects.all()
    text_words = [word for word in words if "@" not in word]
    if text_words:
        # Each word is a prefix ("kowal" finds "Kowalski"); quoting keeps the user's
        # punctuation from being read as tsquery operators.
        terms = " & ".join("'{}':*".format(word.replace("'", "")) for word in text_words)
        query = SearchQuery(terms, config=SEARCH_CONFIG, search_type="raw")
        applicants = applicants.annotate(search=applicant_search_vector()).filter(search=query)
    for word in words:
        if "@" in word:
            # The parser keeps a whole address as one lexeme, but splits a half-typed
            # one ("jan@exam") into pieces that match nothing: compare the start instead.
            applicants = applicants.filter(email__istartswith=word)
    return applicants.values("pk")


def _substring_matching(words: list[str]) -> QuerySet:
    matches = Q()
    for word in words:
        any_field = Q(tags__name=word)
        for field in SEARCH_FIELDS:
            any_field |= Q(**{f"{field}__icontains": word})
        matches &= any_field
    return Applicant.objects.filter(matches).values("pk")
