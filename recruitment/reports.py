"""The "Create report" page: funnel, sources, vacancies and time spent in each stage."""

from collections import defaultdict
from dataclasses import dataclass
from statistics import median

from django.db.models import Count, F, Q, QuerySet, Window
from django.db.models.functions import Lag

from recruitment.models import Activity, Application, Stage

STAGES = list(Stage)


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


def application_report(*, applications: QuerySet[Application]) -> Report:
    return Report(
        total=applications.count(),
        funnel=_funnel(applications),
        by_source=_grouped(applications, "applicant__source__name"),
        by_vacancy=_grouped(applications, "vacancy__title"),
        median_days=_median_days(applications),
    )


def _funnel(applications: QuerySet[Application]) -> list[FunnelStep]:
    # An application has reached its current stage (or the stage it was closed at)
    # and every stage before it; one query counts them all.
    at = applications.order_by().aggregate(
        **{stage.value: Count("id", filter=Q(stage=stage)) for stage in STAGES}
    )
    reached = [sum(at[later.value] for later in STAGES[index:]) for index in range(len(STAGES))]
    steps = []
    for index, stage in enumerate(STAGES):
        following = reached[index + 1] if index + 1 < len(STAGES) else None
        conversion = None
        if following is not None and reached[index]:
            conversion = following / reached[index]
        steps.append(FunnelStep(stage=stage, reached=reached[index], conversion=conversion))
    return steps


def _grouped(applications: QuerySet[Application], field: str) -> list[tuple[str, int]]:
    rows = (
        applications.order_by()
        .values(field)
        .annotate(count=Count("id"))
        .order_by("-count", field)
        .values_list(field, "count")
    )
    return [(name or "—", count) for name, count in rows]


def _median_days(applications: QuerySet[Application]) -> list[tuple[Stage, float | None]]:
    """Median days an application stayed in each stage, over the stays that ended.

    A stay ends at a stage change or a close; it began at the previous timeline entry
    of the same application (its creation or the change that brought it there).
    """
    kinds = [
        Activity.Kind.APPLICATION_CREATED,
        Activity.Kind.STAGE_CHANGED,
        Activity.Kind.APPLICATION_CLOSED,
    ]
    entries = (
        Activity.objects.filter(application__in=applications.values("pk"), kind__in=kinds)
        .annotate(
            began=Window(Lag("created_at"), partition_by=F("application_id"), order_by="created_at")
        )
        .values_list("kind", "from_stage", "created_at", "began")
    )
    stays = defaultdict(list)
    for kind, from_stage, ended, began in entries:
        if kind != Activity.Kind.APPLICATION_CREATED and began is not None and from_stage:
            stays[from_stage].append((ended - began).total_seconds() / 86400)
    return [(stage, round(median(stays[stage]), 1) if stays[stage] else None) for stage in STAGES]


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
