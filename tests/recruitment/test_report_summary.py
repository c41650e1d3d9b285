"""The report's summary agrees with a computation from scratch, whatever happened."""

import datetime
import itertools
import random
from collections import Counter

import pytest
from django.utils import timezone

from recruitment import services
from recruitment.demo_data import demo_data_seed
from recruitment.factories import (
    ActivityFactory,
    ApplicantFactory,
    ApplicationFactory,
    SourceFactory,
    VacancyFactory,
)
from recruitment.models import (
    Activity,
    Applicant,
    Application,
    ApplicationTally,
    CloseReason,
    Stage,
    StageStay,
    StayTally,
)
from recruitment.reports import application_report, application_report_from_timeline
from recruitment.services.report_summary import report_summary_rebuild

pytestmark = pytest.mark.django_db

STAGES = list(Stage)
POLISH = [("Łukasz", "Żółtowski"), ("Ścibor", "Łęcka"), ("Żaneta", "Ósmy"), ("Ola", "Śliwa")]


def history(rng: random.Random, *, vacancies, sources, applicants: int) -> None:
    """Applications with a past: created, moved and maybe closed at random days ago."""
    for n in range(applicants):
        first, last = POLISH[n % len(POLISH)]
        applicant = ApplicantFactory(
            first_name=first, last_name=f"{last}{n}", source=rng.choice(sources)
        )
        for vacancy in rng.sample(vacancies, k=rng.choice((1, 1, 2))):
            past(rng, applicant=applicant, vacancy=vacancy)


def past(rng: random.Random, *, applicant, vacancy) -> None:
    at = timezone.now() - datetime.timedelta(days=rng.uniform(60, 400))
    path = STAGES[: rng.randint(1, len(STAGES))]
    application = ApplicationFactory(applicant=applicant, vacancy=vacancy, stage=path[-1])
    kind = Activity.Kind
    ActivityFactory(
        applicant=applicant, application=application, kind=kind.APPLICATION_CREATED,
        to_stage=path[0], body="", created_at=at,
    )  # fmt: skip
    for before, after in itertools.pairwise(path):
        at += datetime.timedelta(hours=rng.uniform(1, 24 * 20))
        ActivityFactory(
            applicant=applicant, application=application, kind=kind.STAGE_CHANGED,
            from_stage=before, to_stage=after, body="", created_at=at,
        )  # fmt: skip
    if rng.random() < 0.3:
        at += datetime.timedelta(hours=rng.uniform(1, 24 * 20))
        application.closed_at, application.close_reason = at, CloseReason.REJECTED
        application.save(update_fields=["closed_at", "close_reason"])
        ActivityFactory(
            applicant=applicant, application=application, kind=kind.APPLICATION_CLOSED,
            from_stage=path[-1], body="", created_at=at,
        )  # fmt: skip


def today(rng: random.Random, *, admin, vacancies, sources, steps: int) -> Counter:
    """Random changes through the services, as recruiters and admins make them."""
    done = Counter()
    for _ in range(steps):
        action = rng.choice(
            ["create", "move", "move", "close", "reopen", "merge", "source", "delete", "delete_one"]
        )
        try:
            perform(action, rng, admin=admin, vacancies=vacancies, sources=sources)
        except services.ServiceError:
            continue
        done[action] += 1
    return done


def perform(action: str, rng: random.Random, *, admin, vacancies, sources) -> None:
    open_ = list(Application.objects.filter(closed_at__isnull=True))
    closed = list(Application.objects.filter(closed_at__isnull=False))
    people = list(Applicant.objects.filter(merged_into__isnull=True))
    if action == "create":
        services.application_create(
            applicant=rng.choice(people), vacancy=rng.choice(vacancies), actor=admin,
            stage=rng.choice(STAGES),
        )  # fmt: skip
    elif action == "move" and open_:
        application = rng.choice(open_)
        stage = rng.choice([stage for stage in STAGES if stage != application.stage])
        services.application_move_to_stage(application=application, stage=stage, actor=admin)
    elif action == "close" and open_:
        services.application_close(
            application=rng.choice(open_), actor=admin, reason=CloseReason.WITHDRAWN
        )
    elif action == "reopen" and closed:
        services.application_reopen(application=rng.choice(closed), actor=admin)
    elif action == "merge" and len(people) > 1:
        keep, merge = rng.sample(people, k=2)
        services.applicant_merge(keep=keep, merge=merge, actor=admin)
    elif action == "source" and people:
        services.applicant_update(
            applicant=rng.choice(people), source=rng.choice(sources), actor=admin
        )
    elif action == "delete" and people:
        # A merge's survivor keeps the merged record pointing at it: it cannot go.
        deletable = [person for person in people if not person.merged_from.exists()]
        if deletable:
            rng.choice(deletable).delete()
    elif action == "delete_one" and open_ + closed:
        rng.choice(open_ + closed).delete()


def summary_rows() -> tuple[Counter, Counter, Counter]:
    """The summary's contents, rows of no count left out (a rebuild makes none)."""
    return (
        Counter(StageStay.objects.values_list("application_id", "stage", "hours")),
        Counter(
            {
                row[:3]: row[3]
                for row in ApplicationTally.objects.exclude(applications=0).values_list(
                    "vacancy_id", "source_id", "stage", "applications"
                )
            }
        ),
        Counter(
            {
                row[:3]: row[3]
                for row in StayTally.objects.exclude(stays=0).values_list(
                    "vacancy_id", "stage", "hours", "stays"
                )
            }
        ),
    )


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_summary_equals_the_timeline_after_random_changes(seed, admin_user):
    rng = random.Random(seed)
    # Two vacancies share a title: the report counts them as one row, either way.
    vacancies = [VacancyFactory(title=title) for title in ("Tester", "Tester", "Łódź PHP")]
    sources = [SourceFactory(name="Polecenie"), SourceFactory(name="Źródło"), None]
    history(rng, vacancies=vacancies, sources=sources, applicants=25)

    done = today(rng, admin=admin_user, vacancies=vacancies, sources=sources, steps=80)

    assert {"move", "close", "reopen", "merge", "source", "delete"} <= set(done), done
    everything = Application.objects.all()
    from_scratch = application_report_from_timeline(applications=everything)
    assert application_report() == from_scratch
    assert from_scratch.total == everything.count()
    assert any(days for _stage, days in from_scratch.median_days)
    tester = everything.filter(vacancy=vacancies[0])
    assert application_report(applications=tester) == application_report_from_timeline(
        applications=tester
    )
    # A vacancy filter alone is read from the summary kept per vacancy; two vacancies at
    # once as well (both "Tester": one row of the report).
    for chosen in ([vacancies[0]], [vacancies[0], vacancies[1]], [vacancies[2]]):
        ids = [vacancy.pk for vacancy in chosen]
        expected = application_report_from_timeline(applications=everything.filter(vacancy__in=ids))
        assert application_report(vacancy_ids=ids) == expected
        assert expected.total == everything.filter(vacancy__in=ids).count()
    kept = summary_rows()
    report_summary_rebuild()
    assert summary_rows() == kept


def test_a_report_on_nothing_is_empty():
    report = application_report()

    assert report.total == 0
    assert report.by_source == report.by_vacancy == []
    assert all(days is None for _stage, days in report.median_days)


def test_the_median_of_an_even_count_is_the_mean_of_the_middle_two(admin_user):
    start = timezone.now() - datetime.timedelta(days=30)
    for hours in (10, 20, 30, 1000):
        application = ApplicationFactory()
        moved = start + datetime.timedelta(hours=hours)
        ActivityFactory(
            applicant=application.applicant, application=application,
            kind=Activity.Kind.APPLICATION_CREATED, body="", created_at=start,
        )  # fmt: skip
        ActivityFactory(
            applicant=application.applicant, application=application,
            kind=Activity.Kind.STAGE_CHANGED, from_stage=Stage.APPLICATION,
            to_stage=Stage.CONFIRMATION, body="", created_at=moved,
        )  # fmt: skip

    days = dict(application_report().median_days)

    assert days[Stage.APPLICATION] == round(25 / 24, 1)


def test_a_stay_ended_by_a_service_counts_from_the_previous_entry(admin_user):
    application = services.application_create(
        applicant=ApplicantFactory(), vacancy=VacancyFactory(), actor=admin_user
    )
    Activity.objects.filter(application=application).update(
        created_at=timezone.now() - datetime.timedelta(hours=50, minutes=30)
    )

    services.application_move_to_stage(
        application=application, stage=Stage.INTERVIEW, actor=admin_user
    )

    assert list(StageStay.objects.values_list("stage", "hours")) == [(Stage.APPLICATION, 50)]
    assert dict(application_report().median_days)[Stage.APPLICATION] == round(50 / 24, 1)


def test_seed_demo_keeps_the_summary_as_the_services_would(recruiter):
    demo_data_seed(applicants=60, actor=recruiter)

    assert application_report() == application_report_from_timeline(
        applications=Application.objects.all()
    )
    assert StageStay.objects.exists()
    kept = summary_rows()
    report_summary_rebuild()
    assert summary_rows() == kept


@pytest.mark.postgres
def test_only_the_filtered_report_asks_for_parallel_scans(admin_user, settings):
    """Connections start without PostgreSQL's parallel query (small list queries paid
    for starting helper processes); the filtered report's big scans get it back, inside
    its own transaction only."""
    from unittest import mock

    from django.db import connection

    from recruitment import reports

    settings.RMS_REPORT_PARALLEL_WORKERS = 3
    ApplicationFactory.create_batch(3)
    seen = []
    read = reports._filtered_counts_read

    def spy(applications):
        seen.append(_parallel_workers(connection))
        return read(applications)

    with mock.patch.object(reports, "_filtered_counts_read", spy):
        report = application_report(applications=Application.objects.filter(vacancy__isnull=False))

    assert report.total == 3
    assert seen == ["3"]
    assert _parallel_workers(connection) == str(settings.DATABASE_PARALLEL_WORKERS) == "0"


def _parallel_workers(connection) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SHOW max_parallel_workers_per_gather")
        return cursor.fetchone()[0]
