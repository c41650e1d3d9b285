from datetime import timedelta
from io import StringIO
from itertools import pairwise

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.db.models import Count, Max, Min, Q
from django.utils import timezone

from recruitment.factories import CITIES, SOURCES, TAGS, ApplicantFactory, CityFactory
from recruitment.models import (
    Activity,
    Applicant,
    Application,
    City,
    Source,
    Stage,
    Tag,
    Vacancy,
)
from recruitment.richtext import sanitize_html
from recruitment.selectors import application_stage_counts

pytestmark = pytest.mark.django_db

# Three blocks of the 20 shuffled outcomes: every stage open, and some closed.
APPLICANTS = 60
SIGN_IN = "Sign in at http://127.0.0.1:8000/ as demo / demo-recruiter"


def seed(applicants: int = APPLICANTS, **options) -> str:
    out = StringIO()
    call_command("seed_demo", applicants=applicants, stdout=out, **options)
    return out.getvalue()


def row_counts() -> dict[str, int]:
    models = [Applicant, Applicant.tags.through, Application, Activity, City, Source, Tag, Vacancy]
    models.append(get_user_model())
    return {model.__name__: model.objects.count() for model in models}


@pytest.fixture
def seeded() -> str:
    return seed()


def test_creates_the_applicants_with_realistic_profiles(seeded):
    applicants = Applicant.objects.all()

    assert applicants.count() == APPLICANTS
    assert set(applicants.values_list("city__name", flat=True)) - {None} <= set(CITIES)
    assert set(applicants.values_list("source__name", flat=True)) <= set(SOURCES)
    used_tags = Tag.objects.filter(applicants__isnull=False).values_list("name", flat=True)
    assert set(used_tags) <= set(TAGS)
    assert applicants.filter(linkedin_url__startswith="https://www.linkedin.com/in/").exists()
    assert applicants.exclude(current_work="").exists()
    for applicant in applicants.annotate(tag_count=Count("tags")):
        assert 18 <= applicant.age <= 65
        assert applicant.experience_years <= applicant.age - 18
        assert applicant.tag_count <= 4


def test_every_stage_has_open_applications_and_some_are_closed(seeded):
    counts = application_stage_counts()

    assert all(counts[stage] > 0 for stage in Stage.values), counts
    closed = Application.objects.filter(closed_at__isnull=False)
    assert closed.count() == counts["closed"] > 0
    assert not closed.filter(close_note="").exists()
    per_applicant = Applicant.objects.annotate(n=Count("applications")).values_list("n", flat=True)
    assert set(per_applicant) == {1, 2}


def test_dates_spread_over_the_last_two_years(seeded):
    now = timezone.now()
    created = Applicant.objects.aggregate(oldest=Min("created_at"), newest=Max("created_at"))

    assert now - timedelta(days=731) < created["oldest"] < now - timedelta(days=365)
    assert now - timedelta(days=365) < created["newest"] < now
    assert not Activity.objects.filter(created_at__gt=now).exists()


def test_latest_activity_is_the_newest_timeline_entry(seeded):
    newest = dict(
        Activity.objects.values_list("applicant").annotate(newest=Max("created_at")).order_by()
    )
    notes = Count("activities", filter=Q(activities__kind=Activity.Kind.NOTE))

    assert newest == dict(Applicant.objects.values_list("pk", "latest_activity_at"))
    for applicant in Applicant.objects.annotate(notes=notes):
        assert applicant.notes_count == applicant.notes


def test_each_application_walks_the_pipeline_in_order(seeded):
    stages = list(Stage)
    for application in Application.objects.prefetch_related("activities"):
        timeline = sorted(application.activities.all(), key=lambda activity: activity.created_at)
        changes = [a for a in timeline if a.kind == Activity.Kind.STAGE_CHANGED]

        assert timeline[0].kind == Activity.Kind.APPLICATION_CREATED
        assert timeline[0].created_at == application.created_at
        walked = [Stage.APPLICATION] + [change.to_stage for change in changes]
        assert walked == stages[: stages.index(application.stage) + 1]
        assert [change.from_stage for change in changes] == walked[:-1]
        assert all(earlier.created_at < later.created_at for earlier, later in pairwise(timeline))
        last_change = changes[-1].created_at if changes else application.created_at
        assert application.stage_changed_at == last_change


def test_closed_applications_end_with_a_reasoned_close(seeded):
    for application in Application.objects.filter(closed_at__isnull=False):
        closed = application.activities.get(kind=Activity.Kind.APPLICATION_CLOSED)

        assert closed.created_at == application.closed_at
        assert closed.from_stage == application.stage
        assert closed.body == f"{application.closed_because} — {application.close_note}"
        assert not application.activities.filter(created_at__gt=application.closed_at).exists()
    open_ = Activity.objects.filter(application__closed_at__isnull=True)
    assert not open_.filter(kind=Activity.Kind.APPLICATION_CLOSED).exists()


def test_ratings_only_from_the_interview_on_and_notes_are_sanitized(seeded):
    ratings = Activity.objects.filter(kind=Activity.Kind.RATING)
    early = [Stage.APPLICATION, Stage.CONFIRMATION, Stage.VERIFICATION]
    notes = Activity.objects.filter(kind=Activity.Kind.NOTE)

    assert ratings.exists()
    assert not ratings.filter(application__stage__in=early).exists()
    for rating in ratings.select_related("application"):
        interview = rating.application.activities.get(to_stage=Stage.INTERVIEW)
        assert interview.created_at < rating.created_at
        assert 1 <= rating.rating <= 5
    assert notes.exists()
    assert all(sanitize_html(note.body) == note.body.strip() for note in notes)


def test_a_second_run_creates_nothing(seeded):
    before = row_counts()

    output = seed()

    assert row_counts() == before
    assert "Created 0 applicants, 0 applications and 0 activities" in output


def test_a_larger_run_adds_only_the_missing_applicants(seeded):
    first_names = dict(Applicant.objects.values_list("email", "first_name"))

    seed(applicants=APPLICANTS + 20)

    after = dict(Applicant.objects.values_list("email", "first_name"))
    assert set(after) == {f"demo{n}@example.com" for n in range(1, APPLICANTS + 21)}
    assert {email: after[email] for email in first_names} == first_names


def test_a_deleted_demo_applicant_comes_back_and_others_do_not_count(seeded):
    Applicant.objects.get(email="demo7@example.com").delete()
    ApplicantFactory(email="someone@example.com", city=CityFactory(name="Poznań"))

    seed()

    assert Applicant.objects.filter(email="demo7@example.com").exists()
    assert Applicant.objects.count() == APPLICANTS + 1


def test_the_demo_recruiter_can_sign_in_and_is_who_did_the_work(seeded, client):
    user = get_user_model().objects.get(username="demo")

    # Through the sign-in page: the lockout backend needs the request a real sign-in has.
    response = client.post("/accounts/login/", {"username": "demo", "password": "demo-recruiter"})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)
    assert user.is_staff
    assert list(user.groups.values_list("name", flat=True)) == ["recruiters"]
    assert Activity.objects.exclude(actor=user).count() == 0


def test_every_run_prints_progress_summary_and_credentials(seeded):
    assert f"\r  {APPLICANTS}/{APPLICANTS} applicants" in seeded
    assert f"Created {APPLICANTS} applicants" in seeded
    assert SIGN_IN in seeded
    assert SIGN_IN in seed()


def test_verbosity_0_prints_nothing(db):
    assert seed(verbosity=0) == ""
    assert Applicant.objects.count() == APPLICANTS


def test_a_negative_count_is_refused(db):
    with pytest.raises(CommandError, match="cannot be negative"):
        seed(applicants=-1)

    assert not Applicant.objects.exists()


def test_cv_text_gives_most_applicants_a_searchable_cv(db, client):
    """--cv-text (for benchmarks): most applicants get the text of a one- or two-page CV
    with their name and skills in it, which the list's search finds, marked "in CV"."""
    seed(cv_text=True, verbosity=0)
    with_cv = Applicant.objects.exclude(cv_text="")
    applicant = with_cv.order_by("pk").first()
    skill = applicant.cv_text.split("Umiejętności ")[1].split(",")[0]

    assert with_cv.count() >= APPLICANTS // 2
    for cv in with_cv.values_list("cv_text", flat=True):
        assert 150 <= len(cv.split()) <= 900
        assert "\n" not in cv
    assert applicant.full_name in applicant.cv_text
    client.force_login(get_user_model().objects.get(username="demo"))
    found = client.get("/applicants/suggest/", {"q": skill}).json()["results"]
    assert found and all(result["in_cv"] or skill in TAGS for result in found)


def test_without_cv_text_the_demo_has_no_cv_text(seeded):
    assert not Applicant.objects.exclude(cv_text="").exists()
