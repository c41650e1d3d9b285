"""Each database constraint refuses bad data with a clear error and writes nothing."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from recruitment.factories import ActivityFactory, ApplicantFactory, ApplicationFactory
from recruitment.models import Activity, Applicant, Application

pytestmark = pytest.mark.django_db


def assert_refused(make, *, constraint):
    """The insert fails at the database, naming the constraint, and leaves no row."""
    before = (Applicant.objects.count(), Application.objects.count(), Activity.objects.count())
    with pytest.raises(IntegrityError, match=constraint), transaction.atomic():
        make()
    after = (Applicant.objects.count(), Application.objects.count(), Activity.objects.count())
    assert after == before


def test_applicant_email_is_unique_regardless_of_case():
    ApplicantFactory(email="Anna.Nowak@example.com")

    assert_refused(
        lambda: ApplicantFactory(email="anna.nowak@EXAMPLE.com"),
        constraint="applicant_email_ci_unique",
    )
    with pytest.raises(ValidationError, match="already exists"):
        ApplicantFactory.build(email="ANNA.NOWAK@example.com").full_clean()


@pytest.mark.parametrize("year", [1929, 2016])
def test_birth_year_outside_the_sane_range_is_refused(year):
    assert_refused(
        lambda: ApplicantFactory(birth_year=year), constraint="applicant_birth_year_range"
    )
    with pytest.raises(ValidationError, match="Birth year must be between 1930 and 2015"):
        ApplicantFactory.build(birth_year=year).validate_constraints()


def test_unknown_birth_year_is_allowed():
    assert ApplicantFactory(birth_year=None).age is None


def test_experience_over_sixty_years_is_refused():
    assert_refused(
        lambda: ApplicantFactory(experience_years=61), constraint="applicant_experience_range"
    )
    with pytest.raises(ValidationError, match="Experience must be between 0 and 60"):
        ApplicantFactory.build(experience_years=61).validate_constraints()


def test_only_one_open_application_per_applicant_and_vacancy():
    first = ApplicationFactory()

    assert_refused(
        lambda: ApplicationFactory(applicant=first.applicant, vacancy=first.vacancy),
        # SQLite names a partial unique index by its columns.
        constraint="application_one_open_per_vacancy|application.applicant_id, .*vacancy_id",
    )


def test_a_new_application_is_allowed_once_the_old_one_is_closed():
    first = ApplicationFactory(closed_at=timezone.now(), close_reason="rejected")

    again = ApplicationFactory(applicant=first.applicant, vacancy=first.vacancy)

    assert again.pk != first.pk


def test_closed_application_needs_a_reason():
    assert_refused(
        lambda: ApplicationFactory(closed_at=timezone.now(), close_reason=""),
        constraint="application_closed_has_reason",
    )


def test_open_application_cannot_carry_a_close_reason():
    assert_refused(
        lambda: ApplicationFactory(close_reason="rejected"),
        constraint="application_closed_has_reason",
    )


def test_unknown_stage_is_refused():
    assert_refused(lambda: ApplicationFactory(stage="hired"), constraint="application_stage_valid")


@pytest.mark.parametrize("rating", [0, 6])
def test_rating_outside_one_to_five_is_refused(rating):
    assert_refused(
        lambda: ActivityFactory(kind=Activity.Kind.RATING, rating=rating, body=""),
        constraint="activity_rating_range",
    )


def test_rating_activity_without_a_value_is_refused():
    assert_refused(
        lambda: ActivityFactory(kind=Activity.Kind.RATING, rating=None),
        constraint="activity_rating_has_value",
    )
