"""Reads: queries that filter, count and page. Views and the API call these."""

import datetime
from dataclasses import dataclass

from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import (
    Avg,
    Count,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    prefetch_related_objects,
)
from django.db.models.functions import Coalesce
from django.http import QueryDict
from django.utils import timezone

from recruitment.confirmation import with_confirmation
from recruitment.filters import ApplicationFilterSet
from recruitment.models import (
    RECENT_SEARCH_DAYS,
    Activity,
    Applicant,
    ApplicantTally,
    Application,
    ApplicationCount,
    SavedView,
    Stage,
    Tag,
    TagStageCount,
    Vacancy,
    phone_key,
)
from recruitment.paging import (
    NUMBERED_ROWS,
    BadCursor,
    cursor_for,
    cursor_values,
    order_by_keys,
    reversed_keys,
    rows_after,
    sort_keys,
    with_sort_values,
)
from recruitment.planner import planner_settings
from recruitment.search import applicant_match_sets, reads_word_index, single_tag_word

# The list's menu shows this many saved views at most: each costs a count.
SAVED_VIEWS_SHOWN = 20
# The typeahead first looks for its suggestions among this many most recently active
# applicants (see applicant_suggestions).
SUGGESTION_WINDOW = 500


def application_stage_counts(*, applications: QuerySet[Application] | None = None) -> dict:
    """Open applications per stage, plus "all" (every open one) and "closed", in one query.

    Every application, unfiltered, is read from the counts the database keeps
    (ApplicationCount, PostgreSQL only): eight small rows instead of a count over every
    application on each page load. A filtered set is counted, exactly, in one query.
    """
    if applications is None:
        applications = Application.objects.all()
    if connection.vendor == "postgresql" and not applications.query.where:
        return _kept_stage_counts()
    open_ = Q(closed_at__isnull=True)
    # Counted by the applicant's column (never null), not the id: with the applicant-side
    # filters PostgreSQL reads each matching applicant's applications, stage and
    # closed_at from application_applicant_idx alone, without the table.
    counted = "applicant_id"
    aggregates = {stage.value: Count(counted, filter=open_ & Q(stage=stage)) for stage in Stage}
    aggregates["all"] = Count(counted, filter=open_)
    aggregates["closed"] = Count(counted, filter=Q(closed_at__isnull=False))
    return applications.order_by().aggregate(**aggregates)


def _kept_stage_counts() -> dict:
    return _counts_by_key(dict(ApplicationCount.objects.values_list("key", "count")))


def _counts_by_key(kept: dict[str, int]) -> dict:
    counts = {stage.value: kept.get(stage.value, 0) for stage in Stage}
    counts["all"] = sum(counts.values())
    counts["closed"] = kept.get(ApplicationCount.CLOSED_KEY, 0)
    return counts


def filtered_stage_counts(filterset: ApplicationFilterSet) -> dict:
    """The stage tabs' counts of a filtered list: every filter but the stage applied.

    Read from counts PostgreSQL keeps (_kept_counts) when the filters allow it; any
    other filter is counted, exactly, from the rows.
    """
    kept = _kept_counts(filterset)
    if kept is None:
        return application_stage_counts(applications=filterset.without_stage())
    return kept


def _kept_counts(filterset: ApplicationFilterSet) -> dict | None:
    """The tabs' counts from what PostgreSQL keeps, when the filterset narrows every
    application (the stage tab and the sort aside) by:
    - one tag and nothing else: that tag's TagStageCount rows (the commonest tag has
      13 % of a million applicants' applications), as a saved view such as "Python
      interviews" is filtered;
    - an applicant's city, source, experience, age or tags alone: the matching
      applicants' ApplicantTally rows, one index range per city.
    None when they must be counted: on SQLite, without filters (ApplicationCount's
    rows answer then), or with any other filter.
    """
    if connection.vendor != "postgresql" or filterset.queryset.query.where:
        return None
    narrowing = filterset.narrowing()
    if not narrowing:
        return None
    tags = narrowing.get("tags", [])
    if narrowing.keys() == {"tags"} and len(tags) == 1:
        tag_id = Subquery(Tag.objects.filter(name=tags[0]).values("pk")[:1])
        rows = TagStageCount.objects.filter(tag_id=tag_id).values_list("key", "count")
        return _counts_by_key(dict(rows))
    tallies = filterset.tallied(ApplicantTally.objects.all())
    if tallies is None:
        return None
    keys = [*Stage.values, ApplicationCount.CLOSED_KEY]
    return _counts_by_key(tallies.aggregate(**{key: Coalesce(Sum(key), 0) for key in keys}))


def application_list_rows(*, applications: QuerySet[Application]) -> QuerySet[Application]:
    """The list page's and the API's rows: everything a row shows, in a fixed number of queries."""
    average = (
        Activity.objects.filter(applicant=OuterRef("applicant"), kind=Activity.Kind.RATING)
        .order_by()
        .values("applicant")
        .annotate(average=Avg("rating"))
        .values("average")
    )
    return (
        applications.select_related(
            "applicant__city", "applicant__source", "vacancy", "closing_reason"
        )
        .prefetch_related(Prefetch("applicant__tags", queryset=Tag.objects.order_by("name")))
        # A CV's text can run to pages; no row shows it.
        .defer("applicant__cv_text")
        .annotate(rating_average=Subquery(average))
    )


def applicant_suggestions(
    *, text: str, applicants: QuerySet[Applicant] | None = None, limit: int = 10
) -> list[Applicant]:
    """The quick-search typeahead: the most recently active matching applicants.

    Bounded reads instead of one plan PostgreSQL has to guess, each tried only when the
    one before has not settled the answer:
    - a common prefix ("kow") has its ten among the SUGGESTION_WINDOW most recently
      active applicants, and the text is checked on those rows alone;
    - the recently active applicants' own search index (RecentSearchDocument) holds the
      matches of the last RECENT_SEARCH_DAYS: if ten of them were active within that
      time, they are the answer, since no one it leaves out was;
    - a rare text, or none, is looked up in the whole search index (and a tag in its own
      index) and its few matches sorted.
    Left to itself, the planner walked the latest-activity index recomputing each row's
    search text until it had ten, which for a text that matches nobody meant every
    applicant (10 s at 1,000,000); and a word one applicant in a hundred has is 14,000
    matches to sort in the whole index at a million, a fifth of that in the recent one.
    """
    if applicants is None:
        applicants = Applicant.objects.all()
    fields = ("id", "first_name", "last_name", "email", "phone", "phone_key", "latest_activity_at")
    applicants = applicants.filter(merged_into__isnull=True)
    if connection.vendor == "postgresql":
        found = _postgres_suggestions(text=text, applicants=applicants, fields=fields, limit=limit)
    else:
        found = _suggestions_found([], text=text, applicants=applicants, fields=fields, limit=limit)
    prefetch_related_objects(found, Prefetch("tags", queryset=Tag.objects.only("id", "name")))
    return found


def _postgres_suggestions(
    *, text: str, applicants: QuerySet, fields: tuple, limit: int
) -> list[Applicant]:
    """The reads applicant_suggestions describes, in turn."""
    tag = single_tag_word(text)
    recent = Applicant.objects.order_by("-latest_activity_at", "-id").values("pk")[
        :SUGGESTION_WINDOW
    ]
    window = applicant_match_sets(
        text, applicants=applicants.filter(pk__in=recent), per_row=True, tag=tag
    )
    found = _latest(
        [matches.only(*fields) for matches in window], ("-latest_activity_at", "-id"), limit=limit
    )
    settled = len(found) == limit
    if not settled and reads_word_index(text):
        # The planner prices matching a row's words like any operator (0.0025), but it
        # unpacks the row's stored words first, about a hundred times that: priced so,
        # it reads the index instead of every recent row ("wrocław" at 100,000
        # applicants: 110 ms scanning them, 3 ms from the index).
        with planner_settings(cpu_operator_cost=0.25):
            found = _suggestions_found(
                found, text=text, applicants=applicants, fields=fields, limit=limit, tag=tag,
                recent=True,
            )  # fmt: skip
        since = timezone.now() - datetime.timedelta(days=RECENT_SEARCH_DAYS)
        settled = len(found) == limit and found[-1].latest_activity_at >= since
    if not settled:
        # Everyone's index; for an address or a whole phone number the only read, which
        # the recent index has no part in.
        found = _suggestions_found(
            found, text=text, applicants=applicants, fields=fields, limit=limit, tag=tag
        )
    return found


def _suggestions_found(
    found: list[Applicant], *, text: str, applicants: QuerySet, fields: tuple, limit: int, **sets
) -> list[Applicant]:
    """`found` with the most recently active of applicant_match_sets(text, **sets)."""
    matches = [m.only(*fields) for m in applicant_match_sets(text, applicants=applicants, **sets)]
    # Sorting on an expression no index provides makes the database collect the matches
    # from the search index first (see applicant_suggestions).
    latest = Coalesce("latest_activity_at", "created_at")
    return _most_recent([*found, *_latest(matches, (latest.desc(), "-id"), limit=limit)], limit)


def _latest(sets: list[QuerySet], order: tuple, *, limit: int) -> list[Applicant]:
    """The `limit` most recently active applicants of any of `sets`."""
    return _most_recent(
        [applicant for matches in sets for applicant in matches.order_by(*order)[:limit]], limit
    )


def _most_recent(applicants: list[Applicant], limit: int) -> list[Applicant]:
    by_id = {applicant.pk: applicant for applicant in applicants}
    ordered = sorted(by_id.values(), key=lambda a: (a.latest_activity_at, a.pk), reverse=True)
    return ordered[:limit]


@dataclass(frozen=True)
class ListPage:
    page: Page
    counts: dict
    tab: str
    per_page: int
    # Cursors for the neighbouring pages when they lie beyond the numbered ones.
    next_after: str = ""
    previous_before: str = ""
    # A numbered page beyond NUMBERED_ROWS was asked for: the nearest one is shown.
    capped: bool = False
    # A cursor this site did not make, or made for another sort: page 1 is shown.
    bad_cursor: bool = False

    @property
    def numbered_rows(self) -> int:
        return NUMBERED_ROWS

    def is_numbered(self, number: int) -> bool:
        """Whether page `number` is served by its number (near either end of the list)."""
        return _is_numbered(number, per_page=self.per_page, count=self.page.paginator.count)


def _is_numbered(number: int, *, per_page: int, count: int) -> bool:
    before = (number - 1) * per_page
    after = count - number * per_page
    return before <= NUMBERED_ROWS or after <= NUMBERED_ROWS


def application_list_page(
    *, filterset, page_number: str | None, per_page: int, after: str = "", before: str = ""
) -> ListPage:
    """One page of the applicant list with its stage tabs' counts.

    The active tab's count doubles as the paginator's count, so paging costs no COUNT
    query of its own. Pages near either end are found by their number, deeper ones by
    the cursor of the page they were reached from (recruitment.paging). The page's ids
    are found first and its rows fetched by id, so that finding them walks the sort's
    index alone.
    """
    counts = filtered_stage_counts(filterset)
    tab = filterset.form.cleaned_data.get("stage") or "all"
    paginator = Paginator([], per_page)
    paginator.count = counts[tab]
    number = paginator.get_page(page_number).number
    ordered = filterset.qs
    keys = sort_keys(ordered)
    sort = ",".join(filterset.form.cleaned_data.get("sort") or [])
    seek = with_sort_values(ordered, keys).values_list(
        "pk", *(f"seek_{index}" for index in range(len(keys)))
    )
    found, capped, bad_cursor = [], False, False
    try:
        if after:
            values = cursor_values(after, sort=sort, keys=keys)
            found = list(rows_after(seek, keys, values)[:per_page])
        elif before:
            values = cursor_values(before, sort=sort, keys=keys)
            found = list(rows_after(seek, reversed_keys(keys), values)[:per_page])[::-1]
    except BadCursor:
        bad_cursor, number = True, 1
    if not (after or before) or bad_cursor:
        if not _is_numbered(number, per_page=per_page, count=paginator.count):
            capped, number = True, NUMBERED_ROWS // per_page + 1
        found = _numbered_page(seek, keys, number=number, per_page=per_page, count=paginator.count)
    page = Page([], number, paginator)
    ids = [row[0] for row in found]
    # The page alone shows whether candidates confirmed (exports and the API do not).
    page_rows = with_confirmation(Application.objects.filter(pk__in=ids))
    rows = application_list_rows(applications=page_rows)
    by_id = {row.pk: row for row in rows}
    page.object_list = [by_id[pk] for pk in ids if pk in by_id]
    links = {}
    if (
        found
        and page.has_next()
        and not _is_numbered(number + 1, per_page=per_page, count=paginator.count)
    ):
        links["next_after"] = cursor_for(found[-1][1:], sort=sort)
    if (
        found
        and page.has_previous()
        and not _is_numbered(number - 1, per_page=per_page, count=paginator.count)
    ):
        links["previous_before"] = cursor_for(found[0][1:], sort=sort)
    return ListPage(
        page=page,
        counts=counts,
        tab=tab,
        per_page=per_page,
        capped=capped,
        bad_cursor=bad_cursor,
        **links,
    )


def _numbered_page(seek: QuerySet, keys, *, number: int, per_page: int, count: int) -> list:
    """Rows of page `number` by offset, from whichever end of the list is nearer: the last
    page is the first page of the reversed order."""
    offset = (number - 1) * per_page
    if offset <= NUMBERED_ROWS:
        return list(seek[offset : offset + per_page])
    skip = max(0, count - offset - per_page)
    take = min(per_page, count - offset)
    backwards = order_by_keys(seek, reversed_keys(keys))
    return list(backwards[skip : skip + take])[::-1]


def _within(activities: QuerySet[Activity], applications: QuerySet[Application] | None):
    """Entries about the person, and those on `applications` only (None: on any)."""
    if applications is None:
        return activities
    return activities.filter(Q(application__isnull=True) | Q(application__in=applications))


def applicant_ratings(
    *, applicant: Applicant, applications: QuerySet[Application] | None = None
) -> dict:
    """Average rating per criterion and over all ratings (on `applications` only, when
    given), in one query."""
    ratings = _within(
        Activity.objects.filter(applicant=applicant, kind=Activity.Kind.RATING), applications
    )
    averages = {
        criterion.value: Avg("rating", filter=Q(criterion=criterion))
        for criterion in Activity.Criterion
    }
    return ratings.aggregate(overall=Avg("rating"), count=Count("id"), **averages)


def applicant_timeline(
    *, applicant: Applicant, applications: QuerySet[Application] | None = None
) -> QuerySet[Activity]:
    """The applicant's timeline, newest first, with who did what to which application.

    With `applications`, entries on other applications are left out (an interviewer sees
    only their vacancies'); entries about the person themselves stay.
    """
    activities = applicant.activities.select_related(
        "actor", "application__vacancy", "target", "email"
    )
    return _within(activities, applications)


def vacancy_list(
    *, vacancies: QuerySet[Vacancy] | None = None, include_closed: bool = True
) -> QuerySet[Vacancy]:
    """Vacancies with their open applications counted per stage, in one query."""
    if vacancies is None:
        vacancies = Vacancy.objects.all()
    open_ = Q(applications__closed_at__isnull=True)
    counts = {
        f"count_{stage.value}": Count("applications", filter=open_ & Q(applications__stage=stage))
        for stage in Stage
    }
    vacancies = vacancies.annotate(open_count=Count("applications", filter=open_), **counts)
    if not include_closed:
        vacancies = vacancies.filter(is_open=True)
    return vacancies.order_by("-is_open", "title")


def vacancy_board(*, vacancy: Vacancy) -> list[tuple[Stage, list[Application]]]:
    """The vacancy's open applications in a column per stage, oldest move first."""
    applications = (
        vacancy.applications.filter(closed_at__isnull=True)
        .select_related("applicant")
        .prefetch_related(Prefetch("applicant__tags", queryset=Tag.objects.order_by("name")))
        .order_by("stage_changed_at", "id")
    )
    columns = {stage: [] for stage in Stage}
    for application in applications:
        columns[Stage(application.stage)].append(application)
    return list(columns.items())


def vacancy_closed_applications(*, vacancy: Vacancy) -> list[Application]:
    """The vacancy's closed applications with their reasons, most recently closed first."""
    applications = vacancy.applications.filter(closed_at__isnull=False)
    return list(
        applications.select_related("applicant", "closing_reason").order_by("-closed_at", "-id")
    )


@dataclass(frozen=True)
class WorkList:
    stale: list[Application]
    stale_count: int
    unconfirmed: list[Application]
    unconfirmed_count: int
    recent: list[Activity]


def dashboard_work_list(
    *, applications: QuerySet[Application], stale_days: int, shown: int = 10
) -> WorkList:
    """What needs the user: open applications gone quiet for `stale_days`, the ones not
    yet confirmed (oldest first, both), and the latest activity on these applications."""
    open_ = (
        applications.filter(closed_at__isnull=True)
        .select_related("applicant", "vacancy")
        .defer("applicant__cv_text")
    )
    since = timezone.now() - datetime.timedelta(days=stale_days)
    stale = open_.filter(applicant__latest_activity_at__lt=since)
    unconfirmed = open_.filter(stage=Stage.APPLICATION)
    recent = (
        # Notes are on the applicant, not an application: the applicants count.
        Activity.objects.filter(applicant__in=applications.values("applicant"))
        .select_related("actor", "applicant", "application__vacancy")
        .order_by("-created_at", "-id")
    )
    return WorkList(
        stale=list(stale.order_by("applicant__latest_activity_at", "id")[:shown]),
        stale_count=stale.count(),
        unconfirmed=list(unconfirmed.order_by("created_at", "id")[:shown]),
        unconfirmed_count=unconfirmed.count(),
        recent=list(recent[:shown]),
    )


def saved_views_for(*, user) -> list[SavedView]:
    """The user's own views and the team's shared ones, as the list's menu shows them."""
    views = SavedView.objects.filter(Q(owner=user) | Q(is_shared=True)).select_related("owner")
    return list(views[:SAVED_VIEWS_SHOWN])


def saved_views_with_counts(*, user, applications: QuerySet[Application]) -> list:
    """The menu's views, each with its rows counted now.

    One COUNT per view (plus what its filters need to check their values): a view is
    any combination of filters, so there is no single query for all of them. The list
    page does not wait for these: its menu asks for them after it has loaded
    (saved_view_menu), so a slow view's count delays only its own badge.
    """
    counted = []
    for view in saved_views_for(user=user):
        filterset = ApplicationFilterSet(QueryDict(view.query), queryset=applications)
        kept = _kept_counts(filterset)
        if kept is None:
            view.count = filterset.qs.order_by().count()
        else:
            view.count = kept[filterset.form.cleaned_data.get("stage") or "all"]
        counted.append(view)
    return counted


def applicant_duplicates(
    *, email: str, phone: str, exclude: Applicant | None = None
) -> list[Applicant]:
    """Applicants already on file with this e-mail (any case) or phone (any spelling);
    never an anonymised one."""
    same = Q(email__iexact=email.strip()) if email.strip() else Q(pk__in=[])
    key = phone_key(phone)
    if key:
        same |= Q(phone_key=key)
    # An anonymised person is nobody any more: nothing may match them again.
    matches = Applicant.objects.filter(
        same, merged_into__isnull=True, anonymised_at__isnull=True
    ).select_related("city")
    if exclude is not None:
        matches = matches.exclude(pk=exclude.pk)
    return list(matches.order_by("last_name", "first_name")[:10])


def applications_matching(
    *, applications: QuerySet[Application], query: str
) -> tuple[QuerySet[Application], str | None]:
    """The applications the list's filters choose, in id order, and the stage expected of
    them: the stage tab they were chosen on (None off a tab)."""
    filterset = ApplicationFilterSet(QueryDict(query), queryset=applications)
    stage = filterset.form.cleaned_data.get("stage") if filterset.is_valid() else None
    return filterset.qs.order_by("pk"), stage if stage in Stage.values else None
