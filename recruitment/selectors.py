"""Reads: queries that filter, count and page. Views and the API call these."""

from django.db.models import Count, Q, QuerySet

from recruitment.models import Application, Stage


def application_stage_counts(*, applications: QuerySet[Application] | None = None) -> dict:
    """Open applications per stage, plus "all" (every open one) and "closed", in one query."""
    if applications is None:
        applications = Application.objects.all()
    open_ = Q(closed_at__isnull=True)
    aggregates = {stage.value: Count("id", filter=open_ & Q(stage=stage)) for stage in Stage}
    aggregates["all"] = Count("id", filter=open_)
    aggregates["closed"] = Count("id", filter=Q(closed_at__isnull=False))
    return applications.order_by().aggregate(**aggregates)
