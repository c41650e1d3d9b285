"""The stage tabs' counts: kept by the database when nothing is filtered (PostgreSQL),
counted when something is, and equal to a count from scratch either way."""

import random

import pytest
from django.db import connection
from django.db.models import Count
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from recruitment.factories import (
    ApplicantFactory,
    ApplicationFactory,
    CityFactory,
    TagFactory,
    VacancyFactory,
)
from recruitment.models import Applicant, Application, ApplicationCount, Stage
from recruitment.selectors import application_stage_counts

pytestmark = pytest.mark.django_db

STAGES = list(Stage)

# The counts are kept by PostgreSQL's triggers; SQLite counts every time.
needs_postgres = pytest.mark.postgres


def from_scratch(applications=None) -> dict:
    applications = Application.objects.all() if applications is None else applications
    counts = {stage.value: 0 for stage in Stage}
    open_ = applications.filter(closed_at__isnull=True)
    for row in open_.values("stage").annotate(n=Count("id")).order_by():
        counts[row["stage"]] = row["n"]
    counts["all"] = open_.count()
    counts["closed"] = applications.filter(closed_at__isnull=False).count()
    return counts


def random_history(generator: random.Random, rounds: int = 60) -> None:
    """Creates, moves, closes, reopens and deletes, one row and many at once."""
    vacancies = VacancyFactory.create_batch(3)
    for _ in range(rounds):
        action = generator.choice(["create", "bulk", "move", "close", "reopen", "delete", "mass"])
        existing = list(Application.objects.values_list("pk", flat=True))
        if action == "create" or not existing:
            ApplicationFactory(vacancy=generator.choice(vacancies), stage=generator.choice(STAGES))
        elif action == "bulk":
            applicants = ApplicantFactory.create_batch(generator.randint(1, 4))
            Application.objects.bulk_create(
                Application(applicant=applicant, vacancy=vacancy, stage=generator.choice(STAGES))
                for applicant in applicants
                for vacancy in vacancies[: generator.randint(1, 3)]
            )
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
        elif action == "delete":
            # The applicant's applications go with them (ON DELETE CASCADE in Django).
            Applicant.objects.filter(applications__pk=generator.choice(existing)).delete()
        else:
            Application.objects.filter(
                closed_at__isnull=True, stage=generator.choice(STAGES)
            ).update(stage=generator.choice(STAGES))


@needs_postgres
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_kept_counts_equal_a_count_from_scratch(seed):
    random_history(random.Random(seed))

    assert application_stage_counts() == from_scratch()


@needs_postgres
def test_unfiltered_counts_read_the_kept_rows_not_the_applications():
    ApplicationFactory.create_batch(3)

    with CaptureQueriesContext(connection) as captured:
        counts = application_stage_counts(applications=Application.objects.all())

    assert counts["all"] == 3
    assert len(captured) == 1
    assert '"recruitment_applicationcount"' in captured[0]["sql"]
    assert '"recruitment_application"' not in captured[0]["sql"]


@needs_postgres
@pytest.mark.django_db(transaction=True)
def test_a_truncate_empties_the_kept_counts():
    ApplicationFactory.create_batch(2)

    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE recruitment_application CASCADE")

    assert not ApplicationCount.objects.exclude(count=0).exists()
    assert application_stage_counts()["all"] == 0


def test_filtered_counts_are_counted_exactly():
    generator = random.Random(7)
    poznan, lodz = CityFactory(name="Poznań"), CityFactory(name="Łódź")
    for _ in range(40):
        closed = generator.random() < 0.2
        ApplicationFactory(
            applicant=ApplicantFactory(city=generator.choice([poznan, lodz])),
            stage=generator.choice(STAGES),
            closed_at=timezone.now() if closed else None,
            close_reason="rejected" if closed else "",
        )
    in_poznan = Application.objects.filter(applicant__city=poznan)

    assert application_stage_counts(applications=in_poznan) == from_scratch(in_poznan)
    assert application_stage_counts() == from_scratch()
    assert from_scratch(in_poznan) != from_scratch()


def test_the_list_tabs_show_the_counts_of_every_application(recruiter_client):
    random_history(random.Random(11), rounds=30)

    response = recruiter_client.get("/applicants/")

    tabs = {key: count for key, _label, count in response.context["tabs"]}
    assert tabs == from_scratch()


@pytest.mark.parametrize("seed", [5, 6])
def test_counts_under_tags_city_and_experience_equal_a_count_in_python(recruiter_client, seed):
    """The filtered tabs (tag ids read by subquery, the covering indexes on PostgreSQL)
    against the same filters applied to plain Python objects."""
    generator = random.Random(seed)
    cities = [CityFactory(name="Poznań"), CityFactory(name="Łódź"), None]
    tags = [TagFactory(name=name) for name in ("python", "django", "żółw")]
    vacancies = VacancyFactory.create_batch(3)
    for _ in range(50):
        applicant = ApplicantFactory(
            city=generator.choice(cities), experience_years=generator.randint(0, 8)
        )
        applicant.tags.set(generator.sample(tags, generator.randint(0, 3)))
        for vacancy in generator.sample(vacancies, generator.randint(1, 3)):
            closed = generator.random() < 0.25
            ApplicationFactory(
                applicant=applicant,
                vacancy=vacancy,
                stage=generator.choice(STAGES),
                closed_at=timezone.now() if closed else None,
                close_reason="rejected" if closed else "",
            )
    poznan = cities[0]
    queries = [
        ({"tags": ["python"], "city": [poznan.pk], "experience_min": 3}, {"python"}, poznan, 3),
        ({"tags": ["python", "żółw"], "experience_min": 2}, {"python", "żółw"}, None, 2),
        ({"tags": ["django"], "city": [poznan.pk]}, {"django"}, poznan, 0),
        ({"tags": ["nobody-has-it"]}, {"nobody-has-it"}, None, 0),
        # One tag alone: PostgreSQL reads its kept counts (TagStageCount).
        ({"tags": ["żółw"]}, {"żółw"}, None, 0),
    ]
    rows = Application.objects.select_related("applicant").prefetch_related("applicant__tags")
    for query, wanted_tags, city, experience in queries:
        chosen = Application.objects.filter(
            pk__in=[
                row.pk
                for row in rows
                if wanted_tags <= {tag.name for tag in row.applicant.tags.all()}
                and (city is None or row.applicant.city_id == city.pk)
                and row.applicant.experience_years >= experience
            ]
        )

        response = recruiter_client.get("/applicants/", query)

        tabs = {key: count for key, _label, count in response.context["tabs"]}
        assert tabs == from_scratch(chosen), query
        assert len(response.context["listing"].page.object_list) == min(tabs["all"], 50)
