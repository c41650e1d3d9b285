"""Free-text search over applicants: name, e-mail, phone and tags, blind to case and accents.

On PostgreSQL it is full-text search with prefix matching over unaccented text, served by
the GIN expression index `applicant_search_idx` (the query repeats the index's exact
expression, which is what lets the planner use it). SQLite, the first-look database, gets
a substring match over the same folding, done by the `rms_unaccent` function every
connection registers (recruitment/collation.py). A phone is found by its digits, however
it was typed.
"""

import re

from django.contrib.postgres.search import SearchQuery, SearchVector
from django.db import connection
from django.db.models import F, Func, Q, QuerySet, TextField, Value

from recruitment.collation import FOLD_FUNCTION, FOLDED_LINES_FUNCTION, fold
from recruitment.models import SEARCH_CONFIG, SEARCH_FIELDS, Applicant, Tag, phone_key

_WORD = re.compile(r"[\w@.+-]+", re.UNICODE)
_PHONE = re.compile(r"[\d\s()+./-]+")
# Fewer digits than this are more likely part of a number than a whole phone.
PHONE_MIN_DIGITS = 7


def unaccented(expression) -> Func:
    return Func(expression, function=FOLD_FUNCTION, output_field=TextField())


def applicant_search_vector() -> SearchVector:
    return SearchVector(*(unaccented(F(field)) for field in SEARCH_FIELDS), config=SEARCH_CONFIG)


def search_words(text: str) -> list[str]:
    return _WORD.findall(text.lower())[:8]


def typed_phone_key(text: str) -> str:
    """The phone key of a query that is a phone number ("+48 809-335-983"), else ""."""
    if not _PHONE.fullmatch(text.strip()):
        return ""
    key = phone_key(text)
    return key if len(key) >= PHONE_MIN_DIGITS else ""


def searchable_applicants() -> QuerySet:
    """Everyone but the restricted: a person who asked to restrict the processing of their
    data is found by no search (their record stays readable by its address)."""
    return Applicant.objects.filter(restricted_at__isnull=True)


def applicant_search_q(text: str, *, prefix: str = "") -> Q:
    """A filter on `<prefix>pk` (an Applicant, or a relation to one) matching every word."""
    words = search_words(text)
    if not words:
        return Q()
    key = f"{prefix}pk__in"
    phone = typed_phone_key(text)
    if phone:
        return Q(**{key: searchable_applicants().filter(phone_key=phone).values("pk")})
    if connection.vendor != "postgresql":
        return Q(**{key: _substring_matching(words)})
    matches = Q(**{key: full_text_matching(words)})
    # A single word may also be a skill: "django" finds everyone tagged django. Asked
    # only when such a tag exists: an OR with a tag subquery makes PostgreSQL expect
    # thousands of rows and walk the whole list instead of the few text matches.
    if len(words) == 1 and Tag.objects.filter(name=words[0]).exists():
        matches |= Q(**{key: searchable_applicants().filter(tags__name=words[0]).values("pk")})
    return matches


def full_text_matching(words: list[str]) -> QuerySet:
    applicants, matches = _full_text_filter(searchable_applicants(), words)
    return applicants.filter(matches).values("pk")


def applicant_match_sets(text: str, *, applicants: QuerySet[Applicant]) -> list[QuerySet]:
    """The applicants applicant_search_q finds, as querysets of `applicants` whose union
    they are, each one its own index can serve.

    On PostgreSQL the text is matched on the applicant rows themselves rather than
    through `pk IN (a second read of the applicants)`, which the planner answered by
    joining a scan of every applicant to the few matches the search index found; and a
    word that is also a tag is a second set, since an OR of the two can use neither the
    search index nor the tag's.
    """
    words = search_words(text)
    if not words:
        return []
    # As searchable_applicants(): the restricted are found by no search.
    applicants = applicants.filter(restricted_at__isnull=True)
    if typed_phone_key(text) or connection.vendor != "postgresql":
        return [applicants.filter(applicant_search_q(text))]
    with_text, matches = _full_text_filter(applicants, words)
    sets = [with_text.filter(matches)]
    if len(words) == 1 and Tag.objects.filter(name=words[0]).exists():
        sets.append(applicants.filter(tags__name=words[0]))
    return sets


def _full_text_filter(applicants: QuerySet, words: list[str]) -> tuple[QuerySet, Q]:
    matches = Q()
    text_words = [word for word in words if "@" not in word]
    if text_words:
        # Each word is a prefix ("kowal" finds "Kowalski"); quoting keeps the user's
        # punctuation from being read as tsquery operators. The query is unaccented by
        # the same function as the indexed text, so both fold alike.
        terms = " & ".join("'{}':*".format(word.replace("'", "")) for word in text_words)
        query = SearchQuery(unaccented(Value(terms)), config=SEARCH_CONFIG, search_type="raw")
        applicants = applicants.alias(search=applicant_search_vector())
        matches &= Q(search=query)
    for word in words:
        if "@" in word:
            # The parser keeps a whole address as one lexeme, but splits a half-typed
            # one ("jan@exam") into pieces that match nothing: compare the start instead.
            matches &= Q(email__istartswith=word)
    return applicants, matches


def _substring_matching(words: list[str]) -> QuerySet:
    fields = [F(field) for field in SEARCH_FIELDS]
    searched = Func(*fields, function=FOLDED_LINES_FUNCTION, output_field=TextField())
    applicants = searchable_applicants().annotate(searched=searched)
    matches = Q()
    for word in words:
        matches &= Q(tags__name=word) | Q(searched__contains=fold(word))
    return applicants.filter(matches).values("pk")


def matched_in_cv(applicant: Applicant, text: str) -> bool:
    """Whether the search found the applicant through their CV: some word of `text` is
    in none of the fields a row shows (name, e-mail, phone) nor their tags."""
    shown = fold(
        " ".join([applicant.full_name, applicant.email, applicant.phone, applicant.phone_key])
    )
    tags = {tag.name for tag in applicant.tags.all()}
    return any(fold(word) not in shown and word not in tags for word in search_words(text))
