"""The "Create report" page: funnel, sources, vacancies and time spent in each stage."""

from collections import Counter, defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count, QuerySet, Sum

from recruitment.collation import polish_sort_key
from recruitment.models import Activity, Application, Source, Stage, Vacancy
from recruitment.planner import planner_settings
from recruitment.report_tables import (
    NO_SOURCE,
    PIPELINE_KINDS,
    ApplicationTally,
    StageStay,
    StayTally,
    timeline_stays,
)

STAGES = list(Stage)
HOURS_PER_DAY = 24


@dataclass(frozen=True)
class FunnelStep:
    stage: Stage
    reached: int
    conversion: float | None  # share of this stage's applications that reached the next


@dataclass(frozen=True)
class Report:
    total: int
    funnel: list[FunnelStep]
    by_source: list[tuple[str, int]]
    by_vacancy: list[tuple[str, int]]
    median_days: list[tuple[Stage, float | None]]


@dataclass
class _Counts:
    """What every report is made of: applications at (or closed at) each stage, per
    source id (NO_SOURCE for none) and per vacancy id, and the ended stays' lengths
    (hours) per stage, each with how many."""

    at_stage: Counter
    by_source: Counter
    by_vacancy: Counter
    stays: dict[str, Counter]


def application_report(
    *,
    applications: QuerySet[Application] | None = None,
    vacancy_ids: list[int] | None = None,
) -> Report:
    """The report on `applications`, on the applications of `vacancy_ids`, or on every
    application (neither given).

    Every application, or a vacancy's: from the summary the services keep (its rows for
    those vacancies, whatever the size of the database). Any other filtered set: grouped
    counts over the chosen applications and their StageStay rows, which the filters'
    indexes narrow down.
    """
    if applications is not None:
        return _assembled(_filtered_counts(applications))
    return _assembled(_summary_counts(vacancy_ids))


def application_report_from_timeline(*, applications: QuerySet[Application]) -> Report:
    """The same report computed from scratch, from the applications and their timeline
    alone (no summary table): what the summary must always agree with."""
    counts = _Counts(Counter(), Counter(), Counter(), defaultdict(Counter))
    rows = applications.order_by().values_list("stage", "applicant__source_id", "vacancy_id")
    for stage, source_id, vacancy_id in rows:
        counts.at_stage[stage] += 1
        counts.by_source[source_id or NO_SOURCE] += 1
        counts.by_vacancy[vacancy_id] += 1
    entries = (
        Activity.objects.filter(application__in=applications.values("pk"), kind__in=PIPELINE_KINDS)
        .order_by("application_id", "created_at", "id")
        .values_list("application_id", "kind", "from_stage", "created_at")
    )
    for stay in timeline_stays(entries):
        counts.stays[stay.stage][stay.hours] += 1
    return _assembled(counts)


def _summary_counts(vacancy_ids: list[int] | None) -> _Counts:
    counts = _Counts(Counter(), Counter(), Counter(), defaultdict(Counter))
    applications = ApplicationTally.objects.exclude(applications=0)
    stays = StayTally.objects.exclude(stays=0)
    if vacancy_ids is not None:
        applications = applications.filter(vacancy_id__in=vacancy_ids)
        stays = stays.filter(vacancy_id__in=vacancy_ids)
    cells = applications.values_list("vacancy_id", "source_id", "stage", "applications")
    for vacancy_id, source_id, stage, count in cells:
        counts.at_stage[stage] += count
        counts.by_source[source_id] += count
        counts.by_vacancy[vacancy_id] += count
    # Summed across vacancies in the database: a row per stage and length comes back.
    lengths = (
        stays.order_by()
        .values("stage", "hours")
        .annotate(count=Sum("stays"))
        .values_list("stage", "hours", "count")
    )
    for stage, hours, count in lengths:
        counts.stays[stage][hours] += count
    return counts


def _parallel_scans():
    """PostgreSQL's parallel query for the queries inside, which connections otherwise
    go without (DATABASE_PARALLEL_WORKERS): a filtered report at a million applicants
    scans hundreds of thousands of rows, and splitting the scans over the cores takes
    it from about 2 s to 0.8 s."""
    workers = int(settings.RMS_REPORT_PARALLEL_WORKERS)
    return planner_settings(max_parallel_workers_per_gather=workers)


def _filtered_counts(applications: QuerySet[Application]) -> _Counts:
    with _parallel_scans():
        return _filtered_counts_read(applications)


def _filtered_counts_read(applications: QuerySet[Application]) -> _Counts:
    # order_by() everywhere: a grouped count needs no order, and Meta.ordering would
    # make the database sort every chosen row once more.
    chosen = applications.order_by()
    counts = _Counts(Counter(), Counter(), Counter(), defaultdict(Counter))
    # One pass over the chosen applications for the three counts: a cell per stage,
    # vacancy and source, a few hundred rows whatever their number.
    cells = (
        chosen.values("stage", "vacancy_id", "applicant__source_id")
        .annotate(count=Count("*"))
        .values_list("stage", "vacancy_id", "applicant__source_id", "count")
    )
    for stage, vacancy_id, source_id, count in cells:
        counts.at_stage[stage] += count
        counts.by_vacancy[vacancy_id] += count
        counts.by_source[source_id or NO_SOURCE] += count
    lengths = (
        StageStay.objects.filter(application__in=chosen.values("pk"))
        .order_by()
        .values("stage", "hours")
        .annotate(count=Count("*"))
        .values_list("stage", "hours", "count")
    )
    for stage, hours, count in lengths:
        counts.stays[stage][hours] += count
    return counts


def _assembled(counts: _Counts) -> Report:
    return Report(
        total=sum(counts.at_stage.values()),
        funnel=_funnel(counts.at_stage),
        by_source=_named(counts.by_source, _source_names(counts.by_source)),
        by_vacancy=_named(counts.by_vacancy, _vacancy_titles(counts.by_vacancy)),
        median_days=[(stage, _median_days(counts.stays.get(stage))) for stage in STAGES],
    )


def _funnel(at_stage: Counter) -> list[FunnelStep]:
    # An application has reached its current stage (or the stage it was closed at)
    # and every stage before it.
    reached = [
        sum(at_stage[later.value] for later in STAGES[index:]) for index in range(len(STAGES))
    ]
    steps = []
    for index, stage in enumerate(STAGES):
        following = reached[index + 1] if index + 1 < len(STAGES) else None
        conversion = None
        if following is not None and reached[index]:
            conversion = following / reached[index]
        steps.append(FunnelStep(stage=stage, reached=reached[index], conversion=conversion))
    return steps


def _source_names(counts: Counter) -> dict[int, str]:
    names = dict(Source.objects.filter(pk__in=list(counts)).values_list("pk", "name"))
    return {pk: names.get(pk, "—") for pk in counts}


def _vacancy_titles(counts: Counter) -> dict[int, str]:
    return dict(Vacancy.objects.filter(pk__in=list(counts)).values_list("pk", "title"))


def _named(counts: Counter, names: dict[int, str]) -> list[tuple[str, int]]:
    """Counts per name (two vacancies of one title are one row), largest first, ties in
    the Polish alphabet."""
    by_name = Counter()
    for pk, count in counts.items():
        if count:
            by_name[names.get(pk, "—")] += count
    return sorted(by_name.items(), key=lambda item: (-item[1], polish_sort_key(item[0])))


def _median_days(lengths: Counter | None) -> float | None:
    """The median of the stays' lengths (whole hours, as counted), in days to a tenth."""
    if not lengths:
        return None
    total = sum(lengths.values())
    middle = {(total - 1) // 2, total // 2}
    picked, seen = [], 0
    for hours in sorted(lengths):
        count = lengths[hours]
        picked += [hours for position in middle if seen <= position < seen + count]
        seen += count
    return round(sum(picked) / len(picked) / HOURS_PER_DAY, 1)


def chart_data(report: Report) -> dict:
    """The report's figures as label/value series for the page's charts."""
    return {
        "funnel": _series((step.stage.label, step.reached) for step in report.funnel),
        "days": _series((stage.label, days or 0) for stage, days in report.median_days),
        "sources": _series(report.by_source),
        "vacancies": _series(report.by_vacancy),
    }


def _series(pairs) -> dict:
    pairs = list(pairs)
    return {
        "labels": [str(label) for label, _value in pairs],
        "values": [value for _label, value in pairs],
    }
