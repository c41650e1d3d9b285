"""The report's summary, kept in the transaction of every change the report counts.

Called by the application and applicant services (create, move, close, merge, a new
source); deletions, which cascade from places no service sees (the admin, an applicant's
deletion), are caught by a pre_delete receiver. `report_summary_rebuild` computes the
whole summary again from the applications and their timeline.
"""

from collections import Counter
from collections.abc import Iterable
from datetime import datetime

from django.db import connection, transaction
from django.db.models import Count, Model, QuerySet

from recruitment.models import Activity, Applicant, Application
from recruitment.report_tables import (
    NO_SOURCE,
    PIPELINE_KINDS,
    ApplicationTally,
    StageStay,
    StayTally,
    stay_hours,
    timeline_stays,
)

REBUILD_CHUNK = 20_000


def _tally_add(model: type[Model], *, keys: tuple[str, ...], count: str, deltas: Counter) -> None:
    """Add `deltas` ({key values: change}) to the tally's rows, creating missing ones.

    INSERT … ON CONFLICT (PostgreSQL and SQLite alike), so two transactions adding to a
    new cell at once both count; the rows go in key order, so two transactions locking
    the same cells lock them in the same order and cannot deadlock.
    """
    rows = sorted((*key, delta) for key, delta in deltas.items() if delta)
    if not rows:
        return
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    names = (*keys, count)
    conflict = ", ".join(quote(name) for name in keys)
    total = f"{table}.{quote(count)} + EXCLUDED.{quote(count)}"
    upsert = f"ON CONFLICT ({conflict}) DO UPDATE SET {quote(count)} = {total}"
    insert = f"INSERT INTO {table} ({', '.join(quote(name) for name in names)})"
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # One statement, a parameter per column: seed_demo adds ~1,000 cells a batch,
            # which took longer as single statements than the batch's other rows.
            types = [model._meta.get_field(name).db_type(connection) for name in names]
            arrays = ", ".join(f"%s::{kind}[]" for kind in types)
            sql = f"{insert} SELECT * FROM unnest({arrays}) {upsert}"  # noqa: S608 - own names
            cursor.execute(sql, [list(column) for column in zip(*rows, strict=True)])
        else:
            placeholders = ", ".join(["%s"] * len(names))
            cursor.executemany(f"{insert} VALUES ({placeholders}) {upsert}", rows)


def _applications_add(deltas: Counter) -> None:
    _tally_add(
        ApplicationTally,
        keys=("vacancy_id", "source_id", "stage"),
        count="applications",
        deltas=deltas,
    )


def _stays_add(deltas: Counter) -> None:
    _tally_add(StayTally, keys=("vacancy_id", "stage", "hours"), count="stays", deltas=deltas)


def report_summary_tallies_add(*, applications: Counter, stays: Counter) -> None:
    """Add counted cells at once, for rows written in bulk around the services (seed_demo):
    `applications` by (vacancy id, source id or NO_SOURCE, stage), `stays` by (vacancy id,
    stage, hours)."""
    _applications_add(applications)
    _stays_add(stays)


def report_summary_application_added(*, application: Application, source_id: int | None) -> None:
    key = (application.vacancy_id, source_id or NO_SOURCE, application.stage)
    _applications_add(Counter({key: 1}))


def report_summary_stay_ended(*, application: Application, stage: str, ended_at: datetime) -> None:
    """Record the stay in `stage` that a move or a close is ending now.

    Call it before the move's or close's own timeline entry is written: the stay began
    at the application's latest pipeline entry so far.
    """
    began = (
        Activity.objects.filter(application_id=application.pk, kind__in=PIPELINE_KINDS)
        .order_by("-created_at", "-id")
        .values_list("created_at", flat=True)
        .first()
    )
    if began is None:
        return
    hours = stay_hours(began=began, ended=ended_at)
    StageStay.objects.create(application_id=application.pk, stage=stage, hours=hours)
    _stays_add(Counter({(application.vacancy_id, stage, hours): 1}))


def report_summary_stage_moved(
    *, application: Application, from_stage: str, ended_at: datetime
) -> None:
    """`application` (already at its new stage) left `from_stage` at `ended_at`."""
    # The applicant is fetched once for the move's timeline entry as well.
    source_id = application.applicant.source_id or NO_SOURCE
    deltas = Counter()
    deltas[(application.vacancy_id, source_id, from_stage)] -= 1
    deltas[(application.vacancy_id, source_id, application.stage)] += 1
    _applications_add(deltas)
    report_summary_stay_ended(application=application, stage=from_stage, ended_at=ended_at)


def report_summary_source_changed(
    *, applications: QuerySet[Application], from_source_id: int | None, to_source_id: int | None
) -> None:
    """`applications` now count under another source (an edit, or a merge into someone)."""
    if (from_source_id or NO_SOURCE) == (to_source_id or NO_SOURCE):
        return
    deltas = Counter()
    cells = applications.order_by().values("vacancy_id", "stage").annotate(count=Count("id"))
    for cell in cells:
        vacancy, stage, count = cell["vacancy_id"], cell["stage"], cell["count"]
        deltas[(vacancy, from_source_id or NO_SOURCE, stage)] -= count
        deltas[(vacancy, to_source_id or NO_SOURCE, stage)] += count
    _applications_add(deltas)


def report_summary_application_removed(sender, instance: Application, **kwargs) -> None:
    """pre_delete receiver: the application and its stays leave the tallies.

    A receiver rather than a service call: deletions cascade from an applicant's deletion
    in the admin (and any other place), which no application service sees. It runs
    before any row of the deletion is gone, so the applicant and the stays are there.
    """
    source_id = (
        Applicant.objects.filter(pk=instance.applicant_id)
        .values_list("source_id", flat=True)
        .first()
    )
    _applications_add(Counter({(instance.vacancy_id, source_id or NO_SOURCE, instance.stage): -1}))
    stays = StageStay.objects.filter(application_id=instance.pk).values_list("stage", "hours")
    deltas = Counter()
    for stage, hours in stays:
        deltas[(instance.vacancy_id, stage, hours)] -= 1
    _stays_add(deltas)


@transaction.atomic
def report_summary_rebuild() -> dict:
    """The whole summary again, from the applications and their timeline; its row counts.

    For a database that had data before the summary existed, or was written around the
    services. On PostgreSQL the tables are locked first: a change committing meanwhile
    waits, then adds itself to the rebuilt tallies instead of being counted twice or lost.
    """
    tables = [model._meta.db_table for model in (StageStay, ApplicationTally, StayTally)]
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            quoted = ", ".join(connection.ops.quote_name(table) for table in tables)
            cursor.execute(f"LOCK TABLE {quoted} IN EXCLUSIVE MODE")
    for model in (StageStay, ApplicationTally, StayTally):
        model.objects.all().delete()
    stays = report_summary_stays_add(timeline_stays(_pipeline_entries()))
    cells = (
        Application.objects.order_by()
        .values("vacancy_id", "applicant__source_id", "stage")
        .annotate(count=Count("id"))
    )
    _applications_add(
        Counter(
            {
                (c["vacancy_id"], c["applicant__source_id"] or NO_SOURCE, c["stage"]): c["count"]
                for c in cells
            }
        )
    )
    return {
        "stays": stays,
        "application_cells": ApplicationTally.objects.count(),
        "stay_cells": StayTally.objects.count(),
    }


def _pipeline_entries():
    # order_by() replaces Activity.Meta.ordering, which would add a second sort of every row.
    # Inside the rebuild's transaction, iterator() reads through a server-side cursor that
    # streams (outside one, Django's WITH HOLD cursor would materialise every row first).
    return (
        Activity.objects.filter(kind__in=PIPELINE_KINDS, application__isnull=False)
        .order_by("application_id", "created_at", "id")
        .values_list("application_id", "kind", "from_stage", "created_at")
        .iterator(chunk_size=REBUILD_CHUNK)
    )


def report_summary_stays_add(stays: Iterable) -> int:
    """Store ended stays (StageStay rows and their tally) in chunks; how many."""
    added = 0
    chunk: list = []
    for stay in stays:
        chunk.append(stay)
        if len(chunk) == REBUILD_CHUNK:
            added += _stays_store(chunk)
            chunk = []
    return added + _stays_store(chunk)


def _stays_store(stays: list) -> int:
    StageStay.objects.bulk_create(
        StageStay(application_id=stay.application_id, stage=stay.stage, hours=stay.hours)
        for stay in stays
    )
    vacancies = dict(
        Application.objects.filter(pk__in={stay.application_id for stay in stays}).values_list(
            "pk", "vacancy_id"
        )
    )
    _stays_add(Counter((vacancies[stay.application_id], stay.stage, stay.hours) for stay in stays))
    return len(stays)
