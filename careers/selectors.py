"""Reads of the careers site. Recruitment's data come through its own selectors."""

from django.db.models import Exists, F, OuterRef, Prefetch, Q, QuerySet

from careers.models import Posting, Submission
from recruitment.collation import fold
from recruitment.models import Applicant, Application, City, Vacancy
from recruitment.search import search_words, unaccented
from recruitment.selectors import applicant_duplicates


def _live() -> QuerySet[Posting]:
    return Posting.objects.filter(is_published=True, vacancy__is_open=True)


def posting_list(
    *, city: City | None = None, seniority: str = "", text: str = ""
) -> QuerySet[Posting]:
    """Published postings of open vacancies, newest first, each with its cities."""
    postings = _live()
    if city is not None:
        # One city joins at most one row per vacancy (the link table's pairs are unique),
        # and the words are a subquery: no row repeats, and no DISTINCT has to sort every
        # posting with its description.
        postings = postings.filter(vacancy__cities=city)
    if seniority:
        postings = postings.filter(seniority=seniority)
    words = search_words(text)
    if words:
        postings = postings.filter(vacancy__in=_vacancies_matching(words))
    return (
        postings.select_related("vacancy")
        .prefetch_related(Prefetch("vacancy__cities", queryset=City.objects.order_by("name")))
        .order_by("-published_at", "-id")
    )


def _vacancies_matching(words: list[str]) -> QuerySet[Vacancy]:
    """Vacancies whose title, description (English or Polish) or a city holds every word,
    blind to case and Polish accents ("lodz" finds Łódź): recruitment's folding, the same
    function on PostgreSQL (unaccent) and SQLite (registered per connection). Both
    languages in either: a candidate may search in the other one."""
    vacancies = Vacancy.objects.annotate(
        folded_title=unaccented(F("title")),
        folded_description=unaccented(F("description")),
        folded_title_pl=unaccented(F("title_pl")),
        folded_description_pl=unaccented(F("description_pl")),
    )
    for word in words:
        folded = fold(word)
        in_city = City.objects.annotate(folded_name=unaccented(F("name"))).filter(
            vacancies=OuterRef("pk"), folded_name__icontains=folded
        )
        vacancies = vacancies.filter(
            Q(folded_title__icontains=folded)
            | Q(folded_description__icontains=folded)
            | Q(folded_title_pl__icontains=folded)
            | Q(folded_description_pl__icontains=folded)
            | Exists(in_city)
        )
    return vacancies.values("pk")


def posting_cities() -> QuerySet[City]:
    """The cities the careers list can be filtered by: those of a live posting."""
    return (
        City.objects.filter(vacancies__posting__is_published=True, vacancies__is_open=True)
        .distinct()
        .order_by("name")
    )


def posting_by_slug(*, slug: str) -> Posting | None:
    """A posting that is, or once was, published; None for any other address."""
    return (
        Posting.objects.select_related("vacancy")
        .prefetch_related("vacancy__cities")
        .filter(slug=slug, published_at__isnull=False)
        .first()
    )


def posting_for_vacancy(*, vacancy) -> Posting | None:
    return Posting.objects.filter(vacancy=vacancy).first()


def applicant_with_email(*, email: str) -> Applicant | None:
    """The applicant on file with this e-mail (any case), the one duplicate rule a
    candidate's own form may act on: a phone alone is no proof it is the same person."""
    wanted = email.strip().lower()
    matches = applicant_duplicates(email=email, phone="")
    return next((a for a in matches if a.email.lower() == wanted), None)


def open_application_exists(*, applicant: Applicant, vacancy) -> bool:
    return Application.objects.filter(
        applicant=applicant, vacancy=vacancy, closed_at__isnull=True
    ).exists()


def submission_for_confirmation(*, pk: int) -> Submission | None:
    return (
        Submission.objects.select_related("application__applicant", "application__vacancy")
        .filter(pk=pk)
        .first()
    )
