"""Each applicant's tally (the fields the list filters by, copied, and the stage counts),
kept by PostgreSQL's triggers: equal to the applicants and applications themselves after
any mix of writes, concurrent ones included, and what a filtered list's tabs show."""

import importlib
import random
import threading

import pytest
from django.db import connection, connections
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from recruitment import services
from recruitment.factories import (
    ApplicantFactory,
    ApplicationFactory,
    CityFactory,
    SourceFactory,
    TagFactory,
    VacancyFactory,
)
from recruitment.filters import ApplicationFilterSet
from recruitment.models import Applicant, ApplicantTally, Application, Stage
from recruitment.selectors import filtered_stage_counts, saved_views_with_counts
from recruitment.services import applications as applications_service
from recruitment.services.saved_views import saved_view_create
from tests.recruitment.concurrency import write_while_open

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]

STAGES = list(Stage)
FIELDS = ("city_id", "source_id", "experience_years", "birth_year")
COUNTS = (*Stage.values, "closed")
ACTIONS = (
    *("create", "bulk", "edit", "bulk_edit", "quiet_edit", "move", "close", "reopen"),
    *("merge", "delete", "delete_application", "mass"),
)


def kept() -> dict:
    return {row[0]: row[1:] for row in ApplicantTally.objects.values_list("pk", *FIELDS, *COUNTS)}


def from_scratch() -> dict:
    tallies = {
        row[0]: [*row[1:], *([0] * len(COUNTS))]
        for row in Applicant.objects.values_list("pk", *FIELDS)
    }
    for applicant_id, stage, closed_at in Application.objects.values_list(
        "applicant_id", "stage", "closed_at"
    ):
        tallies[applicant_id][len(FIELDS) + COUNTS.index("closed" if closed_at else stage)] += 1
    return {pk: tuple(row) for pk, row in tallies.items()}


def random_history(generator: random.Random, rounds: int = 80):
    """Yields after each of `rounds` random writes: applicants created (one and many),
    edited through save() and in bulk (their city, source, experience or birth year, or
    only other fields), and deleted; applications created, moved, closed,
    reopened, given to another applicant and deleted."""
    cities = [CityFactory(name="Poznań"), CityFactory(name="Łódź"), None]
    sources = [SourceFactory(), None]
    vacancies = VacancyFactory.create_batch(3)
    for _ in range(rounds):
        action = generator.choice(ACTIONS)
        applicants = list(Applicant.objects.values_list("pk", flat=True))
        existing = list(Application.objects.values_list("pk", flat=True))
        if action == "create" or not existing:
            ApplicationFactory(
                applicant__city=generator.choice(cities),
                vacancy=generator.choice(vacancies),
                stage=generator.choice(STAGES),
            )
        elif action == "bulk":
            made = Applicant.objects.bulk_create(
                ApplicantFactory.build(city=generator.choice(cities), source=None) for _ in range(3)
            )
            Application.objects.bulk_create(
                Application(applicant=applicant, vacancy=vacancy, stage=generator.choice(STAGES))
                for applicant in made
                for vacancy in generator.sample(vacancies, 2)
            )
        elif action == "edit":
            applicant = Applicant.objects.get(pk=generator.choice(applicants))
            applicant.city = generator.choice(cities)
            applicant.experience_years = generator.randint(0, 20)
            applicant.save()
        elif action == "bulk_edit":
            Applicant.objects.filter(pk__in=applicants[::2]).update(
                source=generator.choice(sources), birth_year=generator.choice([None, 1990, 2001])
            )
        elif action == "quiet_edit":
            Applicant.objects.filter(pk__in=applicants).update(current_work="Acme")
        elif action == "move":
            Application.objects.filter(
                pk=generator.choice(existing), closed_at__isnull=True
            ).update(stage=generator.choice(STAGES))
        elif action == "close":
            Application.objects.filter(
                pk=generator.choice(existing), closed_at__isnull=True
            ).update(closed_at=timezone.now(), close_reason="withdrawn")
        elif action == "reopen":
            Application.objects.filter(pk__in=existing[::3]).update(closed_at=None, close_reason="")
        elif action == "merge":
            # An application handed to another applicant, as a merge does.
            pk, other = generator.choice(existing), generator.choice(applicants)
            Application.objects.filter(pk=pk).exclude(
                vacancy__applications__applicant_id=other
            ).update(applicant_id=other)
        elif action == "delete":
            Applicant.objects.filter(pk=generator.choice(applicants)).delete()
        elif action == "delete_application":
            Application.objects.filter(pk=generator.choice(existing)).delete()
        else:
            Application.objects.filter(
                closed_at__isnull=True, stage=generator.choice(STAGES)
            ).update(stage=generator.choice(STAGES))
        yield action


@pytest.mark.parametrize("seed", [1, 2, 3, 4])
def test_kept_tallies_equal_the_applicants_and_their_applications(seed):
    actions = set()
    for action in random_history(random.Random(seed)):
        assert kept() == from_scratch(), action
        actions.add(action)

    assert len(actions) >= 10
    assert Applicant.objects.count() > 5


def test_the_migration_fills_the_tallies_of_what_is_already_there():
    applicant = ApplicantFactory()
    ApplicationFactory(applicant=applicant, stage=Stage.INTERVIEW)
    ApplicationFactory(applicant=applicant, closed_at=timezone.now(), close_reason="rejected")
    ApplicantFactory(city=None, source=None, birth_year=None)
    migration = importlib.import_module("recruitment.migrations.0034_applicant_tallies")
    ApplicantTally.objects.all().delete()

    with connection.cursor() as cursor:
        cursor.execute(migration.FILL.format(applicants="recruitment_applicant"))

    assert kept() == from_scratch()
    assert kept()[applicant.pk][len(FIELDS) :] == (0, 0, 0, 1, 0, 0, 1)


def test_a_truncate_zeroes_the_counts_or_empties_the_tallies():
    ApplicationFactory.create_batch(2, stage=Stage.INTERVIEW)

    with connection.cursor() as cursor:
        # The foreign keys' checks, deferred to the commit, must not be pending.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("TRUNCATE recruitment_application CASCADE")
    zeroed, wanted = kept(), from_scratch()
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE recruitment_applicant CASCADE")

    assert zeroed == wanted
    assert len(zeroed) == 2
    assert not ApplicantTally.objects.exists()


def test_saved_views_are_counted_from_the_tallies(recruiter):
    poznan = CityFactory(name="Poznań")
    for stage in (Stage.INTERVIEW, Stage.INTERVIEW, Stage.DECISION):
        ApplicationFactory(applicant__city=poznan, applicant__experience_years=5, stage=stage)
    ApplicationFactory(applicant__city=poznan, applicant__experience_years=1)
    ApplicationFactory(stage=Stage.INTERVIEW)
    saved_view_create(
        owner=recruiter, name="Poznań, interviews", query=f"city={poznan.pk}&stage=interview"
    )
    saved_view_create(
        owner=recruiter, name="Poznań, seniors", query=f"city={poznan.pk}&experience_min=3"
    )

    with CaptureQueriesContext(connection) as captured:
        views = saved_views_with_counts(user=recruiter, applications=Application.objects.all())

    assert {view.name: view.count for view in views} == {
        "Poznań, interviews": 2,
        "Poznań, seniors": 3,
    }
    assert not any('"recruitment_application"' in query["sql"] for query in captured)


def test_an_edit_of_other_fields_writes_no_tally():
    applicant = ApplicationFactory().applicant

    def version() -> str:
        # The row's place in the table: every update writes a new one.
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT ctid::text FROM recruitment_applicanttally WHERE applicant_id = %s",
                [applicant.pk],
            )
            return cursor.fetchone()[0]

    before = version()
    Applicant.objects.filter(pk=applicant.pk).update(current_work="Acme", linkedin_url="")
    unchanged = version()
    Applicant.objects.filter(pk=applicant.pk).update(
        experience_years=applicant.experience_years + 1
    )

    assert unchanged == before
    assert version() != before


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("first", ["edit", "move"])
def test_an_edit_and_a_move_at_once_are_both_kept(first):
    """A new city and a move of the same applicant's application in two transactions
    at once, in either order: the tally ends with both."""
    poznan, lodz = CityFactory(name="Poznań"), CityFactory(name="Łódź")
    application = ApplicationFactory(applicant__city=poznan, stage=Stage.APPLICATION)

    def edit():
        applicant = Applicant.objects.get(pk=application.applicant_id)
        applicant.city = lodz
        applicant.save()

    def move():
        Application.objects.filter(pk=application.pk).update(stage=Stage.INTERVIEW)

    first_write, second_write = (edit, move) if first == "edit" else (move, edit)
    overlap = write_while_open(first_write, second_write)

    assert overlap.first_finished
    assert not overlap.failures
    tally = ApplicantTally.objects.get(pk=application.applicant_id)
    assert (tally.city_id, tally.application, tally.interview) == (lodz.pk, 0, 1)
    assert kept() == from_scratch()


@pytest.mark.django_db(transaction=True)
def test_an_edit_in_the_middle_of_a_move_waits_instead_of_deadlocking(monkeypatch):
    """A move writes the tally (its trigger) and then the applicant's row (its latest
    activity); an edit of the applicant in between holds that row and wants the tally.
    The trigger locks the applicant first, so the edit waits for the move; without that
    lock PostgreSQL failed one of the two with "deadlock detected"."""
    poznan, lodz = CityFactory(name="Poznań"), CityFactory(name="Łódź")
    application = ApplicationFactory(applicant__city=poznan, stage=Stage.APPLICATION)
    moved, failures = threading.Event(), []
    record_activity = applications_service.record_activity

    def record_activity_a_moment_later(**kwargs):
        moved.set()
        threading.Event().wait(0.5)  # the edit begins meanwhile
        return record_activity(**kwargs)

    monkeypatch.setattr(applications_service, "record_activity", record_activity_a_moment_later)

    def move():
        try:
            services.application_move_to_stage(
                application=application, stage=Stage.INTERVIEW, actor=None
            )
        except Exception as error:  # reported by the main thread
            failures.append(error)
            moved.set()
        finally:
            connections.close_all()

    mover = threading.Thread(target=move)
    mover.start()
    assert moved.wait(10)
    services.applicant_update(
        applicant=Applicant.objects.get(pk=application.applicant_id), city=lodz
    )
    mover.join(10)

    assert not mover.is_alive()
    assert not failures
    tally = ApplicantTally.objects.get(pk=application.applicant_id)
    assert (tally.city_id, tally.application, tally.interview) == (lodz.pk, 0, 1)


def test_applications_inserted_before_their_applicant_are_counted():
    """Foreign keys are checked at commit, so a load may write an applicant's
    applications first: the applicant's row then counts them."""
    vacancy = VacancyFactory()
    applicant = ApplicantFactory.build(pk=10_000_000, city=CityFactory(), source=None)
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")
    Application.objects.create(applicant_id=applicant.pk, vacancy=vacancy, stage=Stage.DECISION)
    applicant.save(force_insert=True)

    assert kept()[applicant.pk][len(FIELDS) :] == (0, 0, 0, 0, 1, 0, 0)
    assert kept() == from_scratch()


@pytest.mark.parametrize(
    "query",
    [
        {"city": "poznan"},
        {"city": "both"},
        {"city": "poznan", "experience_min": 3, "tags": ["python"]},
        {"source": "jobs", "age_min": 30},
        {"age_max": 45, "experience_max": 12, "tags": ["python", "django"]},
    ],
)
def test_a_list_filtered_by_applicant_fields_reads_the_tallies(recruiter_client, query):
    poznan, lodz = CityFactory(name="Poznań"), CityFactory(name="Łódź")
    jobs = SourceFactory(name="Jobs board")
    tags = [TagFactory(name="python"), TagFactory(name="django")]
    generator = random.Random(7)
    for _ in range(30):
        applicant = ApplicantFactory(
            city=generator.choice([poznan, lodz, None]),
            source=generator.choice([jobs, None]),
            experience_years=generator.randint(0, 15),
            birth_year=generator.choice([None, *range(1970, 2005)]),
        )
        applicant.tags.set(generator.sample(tags, generator.randint(0, 2)))
        for vacancy in VacancyFactory.create_batch(generator.randint(1, 2)):
            closed = generator.random() < 0.25
            ApplicationFactory(
                applicant=applicant,
                vacancy=vacancy,
                stage=generator.choice(STAGES),
                closed_at=timezone.now() if closed else None,
                close_reason="rejected" if closed else "",
            )
    ids = {"poznan": [poznan.pk], "both": [poznan.pk, lodz.pk], "jobs": [jobs.pk]}
    data = {
        name: ids.get(value, value) if isinstance(value, str) else value
        for name, value in query.items()
    }
    filterset = ApplicationFilterSet(data, queryset=Application.objects.all())
    counted = filterset.without_stage()
    wanted = {
        stage: counted.filter(closed_at__isnull=True, stage=stage).count() for stage in Stage.values
    }
    wanted["all"] = counted.filter(closed_at__isnull=True).count()
    wanted["closed"] = counted.filter(closed_at__isnull=False).count()

    with CaptureQueriesContext(connection) as captured:
        counts = filtered_stage_counts(filterset)

    assert counts == wanted
    assert wanted["all"] + wanted["closed"] > 0
    sql = "\n".join(query["sql"] for query in captured)
    assert '"recruitment_applicanttally"' in sql
    assert '"recruitment_application"' not in sql
    response = recruiter_client.get("/applicants/", data)
    tabs = {key: count for key, _label, count in response.context["tabs"]}
    assert tabs == wanted


def test_a_filter_the_tallies_do_not_copy_is_counted_from_the_applications():
    vacancy = VacancyFactory()
    ApplicationFactory(vacancy=vacancy, stage=Stage.DECISION)
    ApplicationFactory(stage=Stage.DECISION)
    filterset = ApplicationFilterSet(
        {"vacancy": [vacancy.pk], "experience_min": 0}, queryset=Application.objects.all()
    )

    with CaptureQueriesContext(connection) as captured:
        counts = filtered_stage_counts(filterset)

    assert (counts["all"], counts["decision"]) == (1, 1)
    assert not any('"recruitment_applicanttally"' in query["sql"] for query in captured)
