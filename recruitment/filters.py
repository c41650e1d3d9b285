"""The one filter definition of the applicant list, shared by the page and the API.

The same query string gives the same rows on `/applicants/` and on
`/api/v1/applications/`. An invalid value (``age_min=abc``, an unknown stage, a
from-date after the to-date) becomes a form error on that filter alone; the page shows
it and filters without it, the API answers 400.
"""

import datetime

import django_filters
from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db.models import (
    Case,
    Exists,
    F,
    IntegerField,
    OrderBy,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Collate
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from recruitment.collation import POLISH_COLLATION
from recruitment.confirmation import unconfirmed
from recruitment.models import (
    Applicant,
    Application,
    City,
    ClosingReason,
    Source,
    Stage,
    Tag,
    Vacancy,
)
from recruitment.search import applicant_search_q

CLOSED = "closed"
# The privacy app's legal-basis filters (privacy/legal_basis.py).
CONSENT_EXPIRING = "consent_expiring"
NO_VALID_BASIS = "no_valid_basis"
STAGE_CHOICES = [*Stage.choices, (CLOSED, _("Closed"))]
SORT_FIELDS = (
    ("id", "number"),
    ("applicant__last_name", "name"),
    ("applicant__email", "email"),
    ("applicant__city__name", "city"),
    ("applicant__source__name", "source"),
    ("applicant__experience_years", "experience"),
    ("created_at", "created"),
    ("applicant__latest_activity_at", "latest_activity"),
    ("applicant__notes_count", "notes"),
)
DEFAULT_SORT = "-created"
# Dates outside this range cannot be a latest activity, and at the ends of Python's
# calendar the day after (or midnight in the site's zone) does not exist.
DATE_MIN = datetime.date(1900, 1, 1)
DATE_MAX = datetime.date(9998, 12, 31)
DATE_RANGE_MESSAGE = _("Enter a date from %(min)s to %(max)s.") % {"min": DATE_MIN, "max": DATE_MAX}
DATE_VALIDATORS = [
    MinValueValidator(DATE_MIN, message=DATE_RANGE_MESSAGE),
    MaxValueValidator(DATE_MAX, message=DATE_RANGE_MESSAGE),
]
# Ages and years of experience the database's small integers can compare with.
NUMBER_MAX = 200


def name_order(*, prefix: str = "", descending: bool = False) -> list[OrderBy]:
    """Last, then first name in the Polish alphabet (Ł after L, Ż after Z).

    The collation is ICU's on PostgreSQL (served by applicant_name_pl_idx) and one
    registered under the same name on SQLite (recruitment/collation.py).
    """
    return [
        OrderBy(Collate(F(f"{prefix}{field}"), POLISH_COLLATION), descending=descending)
        for field in ("last_name", "first_name")
    ]


STAGE_ORDER = Case(
    *(When(stage=stage, then=Value(index)) for index, stage in enumerate(Stage)),
    output_field=IntegerField(),
)


# Ids are bigint primary keys.
ID_MAX = 2**63 - 1


class AnyKnownOrNotField(forms.ModelMultipleChoiceField):
    """Ids (or, with to_field_name, names) taken as given, without looking them up: one
    that names nothing matches nothing. The API's schema allows any integer here, so an
    id deleted meanwhile narrows the result instead of refusing the whole request."""

    def clean(self, value):
        if not value:
            return []
        if not isinstance(value, list | tuple):
            raise forms.ValidationError(self.error_messages["invalid_list"], code="invalid_list")
        if self.to_field_name:
            # The filter compares the names themselves (its field path ends in the name).
            return [str(raw) for raw in value]
        return [self.queryset.model(pk=parse_id(raw)) for raw in value]


def parse_id(raw) -> int:
    """An id from a query string (or a test's int): a whole number in the key's range."""
    text = str(raw) if isinstance(raw, int) and not isinstance(raw, bool) else raw
    if not (isinstance(text, str) and text.isascii() and text.isdigit()) or not (
        1 <= int(text) <= ID_MAX
    ):
        raise forms.ValidationError(
            _("“%(pk)s” is not an id."), code="invalid_pk_value", params={"pk": raw}
        )
    return int(text)


def is_id(raw) -> bool:
    try:
        parse_id(raw)
    except forms.ValidationError:
        return False
    return True


class AnyKnownOrNotFilter(django_filters.ModelMultipleChoiceFilter):
    field_class = AnyKnownOrNotField


class AllTagsFilter(AnyKnownOrNotFilter):
    """Applications whose applicant has every chosen tag (by name).

    An EXISTS per tag, not a join: the rows stay one per application, so the list can
    walk its sort's index and stop after a page, instead of sorting every match. The
    tag's id is a subquery of its own (names are unique), not a join to the tags: the
    database then knows the one tag_id before reading applicant_tags_tag_applicant_idx,
    whose entries for one tag come in applicant order, so a filtered count merges them
    with the other filters' applicants instead of hashing every tagged applicant.
    """

    def filter(self, qs, value):
        tagged = Applicant.tags.through.objects.filter(applicant_id=OuterRef("applicant_id"))
        for name in value or []:
            tag_id = Subquery(Tag.objects.filter(name=name).values("pk")[:1])
            qs = qs.filter(Exists(tagged.filter(tag_id=tag_id)))
        return qs


class ApplicationFilterForm(forms.Form):
    def clean(self):
        cleaned = super().clean()
        for low, high, message in (
            ("age_min", "age_max", _("The lowest age is above the highest.")),
            ("experience_min", "experience_max", _("The lowest experience is above the highest.")),
            ("activity_from", "activity_to", _("The from-date is after the to-date.")),
        ):
            both = cleaned.get(low) is not None and cleaned.get(high) is not None
            if both and cleaned[low] > cleaned[high]:
                # Both ends are left out: neither alone is what the user meant.
                self.add_error(low, message)
                self.add_error(high, message)
        return cleaned


class ApplicationSort(django_filters.OrderingFilter):
    """Sort by a column of the list, both ways; age is birth year reversed."""

    def __init__(self, **kwargs):
        fields = [*SORT_FIELDS, ("age", "age"), ("stage", "stage")]
        super().__init__(fields=fields, **kwargs)

    def get_ordering_value(self, param):
        descending = param.startswith("-")
        name = param.lstrip("-")
        if name == "age":
            return "applicant__birth_year" if descending else "-applicant__birth_year"
        if name == "stage":
            # Pipeline order, not the alphabet.
            return STAGE_ORDER.desc() if descending else STAGE_ORDER.asc()
        if name == "name":
            return name_order(prefix="applicant__", descending=descending)
        return super().get_ordering_value(param)

    def filter(self, qs, value):
        ordering = []
        for param in value or [DEFAULT_SORT]:
            order = self.get_ordering_value(param)
            ordering += order if isinstance(order, list) else [order]
        # A stable tiebreaker keeps pages from overlapping when values repeat.
        return qs.order_by(*ordering, "-id")


# The filters ApplicationFilterSet.tallied can answer from ApplicantTally's rows.
TALLIED = {"tags", "city", "source", "experience_min", "experience_max", "age_min", "age_max"}


class ApplicationFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_search", label=_("Search"))
    tags = AllTagsFilter(
        field_name="applicant__tags__name",
        to_field_name="name",
        queryset=Tag.objects.all(),
        label=_("Tags"),
    )
    stage = django_filters.ChoiceFilter(
        choices=STAGE_CHOICES, method="filter_stage", label=_("Stage")
    )
    vacancy = AnyKnownOrNotFilter(
        queryset=Vacancy.objects.only("id", "title"), distinct=False, label=_("Vacancy")
    )
    city = AnyKnownOrNotFilter(
        field_name="applicant__city", queryset=City.objects.all(), distinct=False, label=_("City")
    )
    source = AnyKnownOrNotFilter(
        field_name="applicant__source",
        queryset=Source.objects.all(),
        distinct=False,
        label=_("Source"),
    )
    closing_reason = AnyKnownOrNotFilter(
        queryset=ClosingReason.objects.all(), distinct=False, label=_("Closing reason")
    )
    age_min = django_filters.NumberFilter(
        method="filter_age_min",
        min_value=0,
        max_value=NUMBER_MAX,
        label=_("Age from"),
    )
    age_max = django_filters.NumberFilter(
        method="filter_age_max",
        min_value=0,
        max_value=NUMBER_MAX,
        label=_("Age to"),
    )
    experience_min = django_filters.NumberFilter(
        field_name="applicant__experience_years",
        lookup_expr="gte",
        min_value=0,
        max_value=NUMBER_MAX,
        label=_("Experience from"),
    )
    experience_max = django_filters.NumberFilter(
        field_name="applicant__experience_years",
        lookup_expr="lte",
        min_value=0,
        max_value=NUMBER_MAX,
        label=_("Experience to"),
    )
    current_work = django_filters.BooleanFilter(
        method="filter_current_work",
        widget=forms.Select(
            choices=[("", "---"), ("true", _("Working")), ("false", _("Not working"))]
        ),
        label=_("Current work"),
    )
    activity_from = django_filters.DateFilter(
        method="filter_activity_from", validators=DATE_VALIDATORS, label=_("Latest activity from")
    )
    activity_to = django_filters.DateFilter(
        method="filter_activity_to", validators=DATE_VALIDATORS, label=_("Latest activity to")
    )
    unconfirmed = django_filters.BooleanFilter(method="filter_unconfirmed", label=_("Unconfirmed"))
    legal_basis = django_filters.ChoiceFilter(
        choices=[
            (CONSENT_EXPIRING, _("Consent expiring in 30 days")),
            (NO_VALID_BASIS, _("No valid legal basis")),
        ],
        method="filter_legal_basis",
        label=_("Legal basis"),
    )
    sort = ApplicationSort(label=_("Sort"))

    class Meta:
        model = Application
        form = ApplicationFilterForm
        fields = []

    def __init__(self, data=None, *args, **kwargs):
        if data is not None and data.get("closing_reason") and not data.get("stage"):
            # Only closed applications have a closing reason: asking for one opens the
            # Closed tab, so the tab, its count and the rows agree.
            data = data.copy()
            data["stage"] = CLOSED
        super().__init__(data, *args, **kwargs)

    def filter_queryset(self, queryset: QuerySet) -> QuerySet:
        # Without a stage, the list shows the open applications ("All").
        if not self.form.cleaned_data.get("stage"):
            queryset = queryset.filter(closed_at__isnull=True)
        queryset = super().filter_queryset(queryset)
        if "sort" not in self.form.cleaned_data:
            # An invalid sort was left out with its error; keep the default order.
            queryset = self.filters["sort"].filter(queryset, None)
        return queryset

    def without_stage(self) -> QuerySet:
        """Every valid filter but the stage, open and closed alike: the stage tabs' base."""
        queryset = self.queryset.all()
        self.form.is_valid()
        for name, value in self.form.cleaned_data.items():
            if name not in ("stage", "sort"):
                queryset = self.filters[name].filter(queryset, value)
        return queryset

    def narrowing(self) -> dict:
        """The valid filters that narrow the list: every one with a value but the stage
        tab and the sort."""
        self.form.is_valid()
        return {
            name: value
            for name, value in self.form.cleaned_data.items()
            if name not in ("stage", "sort") and value not in (None, "", [])
        }

    def tallied(self, tallies: QuerySet) -> QuerySet | None:
        """`tallies` (ApplicantTally rows) narrowed as this list narrows its applicants,
        when every filter in use is one of an applicant's fields the tallies copy, or
        its tags; None when another filter is in use. Each filter here must keep the
        meaning of its filter_* method or declaration above."""
        narrowing = self.narrowing()
        if not narrowing.keys() <= TALLIED:
            return None
        # The tags' EXISTS joins on the rows' applicant_id, which the tallies have too.
        tallies = self.filters["tags"].filter(tallies, narrowing.pop("tags", []))
        fields = {
            "city": lambda cities: Q(city_id__in=[city.pk for city in cities]),
            "source": lambda sources: Q(source_id__in=[source.pk for source in sources]),
            "experience_min": lambda years: Q(experience_years__gte=years),
            "experience_max": lambda years: Q(experience_years__lte=years),
            "age_min": lambda age: _born("age_min", age, field="birth_year"),
            "age_max": lambda age: _born("age_max", age, field="birth_year"),
        }
        for name, value in narrowing.items():
            tallies = tallies.filter(fields[name](value))
        return tallies

    def filter_search(self, queryset, name, value):
        return queryset.filter(applicant_search_q(value, prefix="applicant__"))

    def filter_stage(self, queryset, name, value):
        if value == CLOSED:
            return queryset.filter(closed_at__isnull=False)
        return queryset.filter(closed_at__isnull=True, stage=value)

    def filter_unconfirmed(self, queryset, name, value):
        return unconfirmed(queryset, wanted=value)

    def filter_legal_basis(self, queryset, name, value):
        # Imported here: the privacy app's models import recruitment's.
        from privacy.legal_basis import consent_expiring_q, valid_basis_q

        now = timezone.now()
        if value == CONSENT_EXPIRING:
            return queryset.filter(consent_expiring_q(now=now, applicant_ref="applicant_id"))
        return queryset.exclude(valid_basis_q(now=now, applicant_ref="applicant_id"))

    def filter_age_min(self, queryset, name, value):
        return queryset.filter(_born(name, value, field="applicant__birth_year"))

    def filter_age_max(self, queryset, name, value):
        return queryset.filter(_born(name, value, field="applicant__birth_year"))

    def filter_current_work(self, queryset, name, value):
        working = ~Q(applicant__current_work="")
        return queryset.filter(working if value else ~working)

    def filter_activity_from(self, queryset, name, value):
        return queryset.filter(applicant__latest_activity_at__gte=_start_of(value))

    def filter_activity_to(self, queryset, name, value):
        next_day = value + datetime.timedelta(days=1)
        return queryset.filter(applicant__latest_activity_at__lt=_start_of(next_day))


def _this_year() -> int:
    return timezone.localdate().year


def _born(name: str, age, *, field: str) -> Q:
    """The age filter `name` ("age_min" or "age_max") as a bound on the birth year."""
    lookup = "lte" if name == "age_min" else "gte"
    return Q(**{f"{field}__{lookup}": _this_year() - int(age)})


def _start_of(day: datetime.date) -> datetime.datetime:
    """Midnight of `day` in the site's time zone, so the range filter can use the index."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))
