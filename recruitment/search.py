"""Free-text search over applicants: name, e-mail, phone and tags, blind to case and accents.

On PostgreSQL it is full-text search with prefix matching over unaccented text. The
words are kept per applicant (ApplicantSearchDocument, migration 0036), worked out once
when the text changes, and read through the GIN index `applicant_document_idx`; a search
never works a CV's text out again row by row. The typeahead first reads the recently
active applicants' copy and its own index (RecentSearchDocument, migration 0039).
SQLite, the first-look database, gets a substring match over the same folding, done by
the `rms_unaccent` function every connection registers (recruitment/collation.py). A
phone is found by its digits, however it was typed.
"""

import re

from django.contrib.postgres.expressions import ArraySubquery
from django.contrib.postgres.search import SearchQuery, SearchVector, SearchVectorField
from django.db import connection
from django.db.models import (
    BooleanField,
    F,
    Func,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    TextField,
    Value,
)
from django.db.models.functions import Concat, Lower

from recruitment.collation import FOLD_FUNCTION, FOLDED_LINES_FUNCTION, fold
from recruitment.models import (
    SEARCH_CONFIG,
    SEARCH_FIELDS,
    Applicant,
    ApplicantSearchDocument,
    RecentSearchDocument,
    Tag,
    phone_key,
)

_WORD = re.compile(r"[\w@.+-]+", re.UNICODE)
_PHONE = re.compile(r"[\d\s()+./-]+")
# Fewer digits than this are more likely part of a number than a whole phone.
PHONE_MIN_DIGITS = 7
# Shorter words are not looked up in the search index (applicant_match_sets).
INDEX_WORD_MIN = 3
# A phone's country code ("+48"), as search_words keeps it: nearly every phone has it.
_COUNTRY_CODE = re.compile(r"\+\d{1,3}")
# What a suggestion shows of an applicant, where the words the index is not asked for
# (applicant_match_sets) are looked for.
_SHOWN_TEXT = Concat(
    F("first_name"), Value(" "), F("last_name"), Value(" "), F("email"), Value(" "), F("phone"),
    output_field=TextField(),
)  # fmt: skip


def unaccented(expression) -> Func:
    return Func(expression, function=FOLD_FUNCTION, output_field=TextField())


def applicant_search_vector() -> SearchVector:
    """The searched text's words, as applicant_search_idx (migration 0017) and the kept
    documents (with their positions stripped) work them out."""
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
    found = full_text_matching(words)
    # A single word may also be a skill: "django" finds everyone tagged django. Asked
    # only when such a tag exists, and as one set with the text's matches: an OR of two
    # subqueries left PostgreSQL checking each application against a list of the
    # 330,000 applicants whose CV mentions python, one by one (minutes at a million).
    if len(words) == 1 and Tag.objects.filter(name=words[0]).exists():
        tagged = Applicant.tags.through.objects.filter(tag__name=words[0])
        found = found.union(tagged.values("applicant_id"), all=True)
    # The restricted are a few rows of applicant_restricted_idx, excluded by a lookup.
    restricted = Applicant.objects.filter(restricted_at__isnull=False).values("pk")
    return Q(_one_of(f"{prefix}pk", found)) & ~Q(**{key: restricted})


def _one_of(field: str, values: QuerySet) -> Func:
    """`field = ANY(ARRAY(values))`: the matches collected once, first, then looked up
    in the index on `field`. As `field IN (values)` the planner, which cannot see what
    reading a CV's kept words costs, walked the list's own order and read each row's
    words until it had a page: 41,632 of them for a surname prefix with 1,013 matches,
    1 s at a million applicants."""
    return Func(
        F(field),
        ArraySubquery(values),
        template="(%(expressions)s))",
        arg_joiner=" = ANY(",
        output_field=BooleanField(),
    )


def full_text_matching(words: list[str]) -> QuerySet:
    """The ids of the applicants, restricted ones included, whose text has every word."""
    if not any("@" in word for word in words):
        documents, matches = _full_text_filter(ApplicantSearchDocument.objects.all(), words)
        return documents.filter(matches).values("applicant_id")
    applicants, matches = _full_text_filter(Applicant.objects.all(), words)
    return applicants.filter(matches).values("pk")


def single_tag_word(text: str) -> bool:
    """Whether the text is one word that is also a tag's name (a second set of matches)."""
    words = search_words(text)
    return len(words) == 1 and Tag.objects.filter(name=words[0]).exists()


def applicant_match_sets(
    text: str,
    *,
    applicants: QuerySet[Applicant],
    per_row: bool = False,
    recent: bool = False,
    tag: bool | None = None,
) -> list[QuerySet]:
    """The applicants applicant_search_q finds, as querysets of `applicants` whose union
    they are, each one its own index can serve.

    On PostgreSQL the text is matched on the applicant rows themselves rather than
    through `pk IN (a second read of the applicants)`, which the planner answered by
    joining a scan of every applicant to the few matches the search index found; and a
    word that is also a tag is a second set, since an OR of the two can use neither the
    search index nor the tag's (`tag`: whether the text is a tag's name, when the caller
    has asked single_tag_word already).

    `per_row` is for a queryset already narrowed to a few rows (the typeahead's window):
    the text is checked on each of them (their kept ApplicantSearchDocument), never read
    from the search index. Otherwise only the words few applicants share are read from
    the index: a word under INDEX_WORD_MIN letters, or a country code ("+48"), starts a
    word of nearly every applicant's CV or phone, and reading it would cost as much as
    reading the whole index. Such words are checked on the rows the others found,
    against the fields a suggestion shows (name, e-mail, phone); with no other word
    there is no index read at all and an empty list comes back.

    `recent` reads the index of the recently active applicants' words alone
    (RecentSearchDocument): the text's matches among them, and a tag's among everyone.
    """
    words = search_words(text)
    if not words:
        return []
    # As searchable_applicants(): the restricted are found by no search.
    applicants = applicants.filter(restricted_at__isnull=True)
    if typed_phone_key(text) or connection.vendor != "postgresql":
        return [applicants.filter(applicant_search_q(text))]
    if per_row:
        with_text, matches = _full_text_filter(applicants, words, per_row=True)
    else:
        indexed = [word for word in words if _selective(word)]
        if not indexed:
            return []
        with_text, matches = _full_text_filter(applicants, indexed, recent=recent)
        checked = [word for word in words if not _selective(word)]
        if checked:
            with_text = with_text.alias(shown_text=_SHOWN_TEXT)
            for word in checked:
                matches &= Q(shown_text__iregex=_word_start(word))
    sets = [with_text.filter(matches)]
    if single_tag_word(text) if tag is None else tag:
        sets.append(applicants.filter(tags__name=words[0]))
    return sets


def reads_word_index(text: str) -> bool:
    """Whether applicant_match_sets (on PostgreSQL, not per row) reads the text's words
    from a search index: some word is selective and not an address, and the text is not
    a whole phone number (found by its key)."""
    words = search_words(text)
    if typed_phone_key(text):
        return False
    return any(_selective(word) and "@" not in word for word in words)


def _selective(word: str) -> bool:
    """Whether few enough applicants have a word starting with `word` for the search
    index to be worth reading for it."""
    return len(word) >= INDEX_WORD_MIN and not _COUNTRY_CODE.fullmatch(word)


def _word_start(word: str) -> str:
    """A regular expression for a word of the shown text starting with `word`."""
    if word.startswith("+"):
        # "\m" needs a letter or digit after it; a phone's "+48" follows a space.
        return rf"(^|\s){re.escape(word)}"
    return rf"\m{_accent_blind(word)}"


def _accent_blind(word: str) -> str:
    """A regular expression for `word` that any accented spelling of its letters
    matches ("l" finds "Łęcka"): cheaper per row than unaccenting the text (~1 µs)."""
    return "".join(
        f"[{re.escape(''.join(_SPELLINGS[letter]))}]" if letter in _SPELLINGS else re.escape(letter)
        for letter in fold(word)
    )


def _spellings() -> dict[str, set[str]]:
    # Every Latin letter with diacritics (Latin-1 Supplement, Extended-A and -B) under
    # the plain letter it folds to, the plain letter included.
    spellings: dict[str, set[str]] = {}
    for code in range(0xC0, 0x250):
        letter = chr(code).lower()
        base = fold(letter)
        if len(base) == 1 and base.isascii() and base.isalpha() and letter != base:
            spellings.setdefault(base, {base}).add(letter)
    # Both cases spelled out: the database's case folding of "Ł" depends on its locale.
    return {
        base: sorted(letters | {letter.upper() for letter in letters})
        for base, letters in spellings.items()
    }


_SPELLINGS = _spellings()


def _full_text_filter(
    applicants: QuerySet, words: list[str], *, per_row: bool = False, recent: bool = False
) -> tuple[QuerySet, Q]:
    matches = Q()
    text_words = [word for word in words if "@" not in word]
    if text_words:
        # Each word is a prefix ("kowal" finds "Kowalski"); quoting keeps the user's
        # punctuation from being read as tsquery operators. The query is unaccented by
        # the same function as the indexed text, so both fold alike.
        terms = " & ".join("'{}':*".format(word.replace("'", "")) for word in text_words)
        query = SearchQuery(unaccented(Value(terms)), config=SEARCH_CONFIG, search_type="raw")
        documents = (RecentSearchDocument if recent else ApplicantSearchDocument).objects.all()
        if per_row:
            # Each row's own document, looked up by its key: no index has this
            # expression, so the database checks the rows it is given instead of
            # reading the search index.
            kept = documents.filter(applicant_id=OuterRef("pk")).values("document")
            # Wrapped: the search lookup cannot take a bare subquery's parameters.
            vector = Func(
                Subquery(kept), template="%(expressions)s", output_field=SearchVectorField()
            )
            applicants = applicants.alias(search=vector)
            matches &= Q(search=query)
        elif applicants.model is ApplicantSearchDocument:
            matches &= Q(document=query)
        else:
            # The matches from applicant_document_idx. Whatever plan the database picks,
            # it reads kept words: one that works the text out again per row took 49 s
            # for "k" at 100,000 applicants with CVs.
            matches &= Q(pk__in=documents.filter(document=query).values("applicant_id"))
    addresses = [word for word in words if "@" in word]
    if addresses:
        # The parser keeps a whole address as one lexeme, but splits a half-typed one
        # ("jan@exam") into pieces that match nothing: compare the start instead, on
        # the lower-cased address that applicant_email_prefix_idx orders.
        applicants = applicants.alias(email_folded=Lower("email"))
        for word in addresses:
            matches &= Q(email_folded__startswith=word)
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
