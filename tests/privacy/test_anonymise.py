"""Anonymisation: the person's data go, the recruitment's history and figures stay."""

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from careers.models import Consent, Submission
from privacy.services import anonymous_email, applicant_anonymise
from privacy.services.anonymise import applicants_anonymise
from recruitment import reports, services
from recruitment.demo_data import demo_data_seed, demo_user_ensure
from recruitment.factories import ApplicantFactory
from recruitment.models import (
    Activity,
    Applicant,
    ApplicantSearchDocument,
    Application,
    BulkJob,
    OutgoingEmail,
    Stage,
)
from recruitment.search import applicant_search_vector
from recruitment.selectors import applicant_duplicates
from tests.privacy.conftest import apply

pytestmark = pytest.mark.django_db

OLD_VALUES = ["Żaneta", "Łęcka", "zofia.zolkiewska", "601 202 303", "601202303", "zaneta-lecka"]


@pytest.fixture
def person(posting, recruiter, django_capture_on_commit_callbacks):
    """Applied on the careers site, then noted, rated, mailed and rejected."""
    with django_capture_on_commit_callbacks(execute=True):
        submission = apply(posting)
    application = submission.application
    applicant = application.applicant
    services.note_add(applicant=applicant, body="<p>Zna Kubernetesa, Łódź.</p>", actor=recruiter)
    application = services.application_move_to_stage(
        application=application, stage=Stage.INTERVIEW, actor=recruiter
    )
    services.rating_add(
        application=application, criterion="technical", rating=4, actor=recruiter,
        comment="Świetna rozmowa o Django.",
    )  # fmt: skip
    services.email_queue(to=applicant.email, subject="Zaproszenie", body="Cześć Żaneto!",
                         application=application, actor=recruiter)  # fmt: skip
    services.application_close(
        application=application, reason="rejected", note="Za mało doświadczenia.", actor=recruiter
    )
    Applicant.objects.filter(pk=applicant.pk).update(cv_text="kubernetes helm terraform")
    applicant.refresh_from_db()
    return applicant


def test_the_personal_fields_are_replaced(person, admin_user):
    applicant_anonymise(applicant=person, actor=admin_user, reason="Asked by e-mail")

    person.refresh_from_db()
    assert person.first_name == "Anonymised"
    assert person.last_name == f"#{person.pk}"
    assert person.phone == person.linkedin_url == person.cv_text == ""
    assert person.email == anonymous_email(person.pk)
    assert person.birth_year is None
    assert not person.cv
    assert person.anonymised_at is not None


def test_free_text_about_the_person_is_erased_but_the_history_stays(person, admin_user):
    kinds_before = sorted(person.activities.values_list("kind", flat=True))

    applicant_anonymise(applicant=person, actor=admin_user, reason="Asked by e-mail")

    activities = Activity.objects.filter(applicant=person).exclude(kind=Activity.Kind.ANONYMISED)
    assert sorted(activities.values_list("kind", flat=True)) == kinds_before
    assert set(activities.values_list("body", flat=True)) == {""}
    rating = activities.get(kind=Activity.Kind.RATING)
    assert (rating.rating, rating.criterion) == (4, "technical")
    emails = OutgoingEmail.objects.filter(applicant=person)
    assert emails.count() == 2  # the careers confirmation and the recruiter's
    assert set(emails.values_list("to", "subject", "body")) == {("", "", "")}
    submission = Submission.objects.get(application__applicant=person)
    assert (submission.ip_address, submission.message, submission.candidate_says) == (
        None, "", {},
    )  # fmt: skip
    assert set(Consent.objects.filter(applicant=person).values_list("ip_address", flat=True)) == {
        None
    }
    application = Application.objects.get(applicant=person)
    assert application.stage == Stage.INTERVIEW


def test_a_bulk_jobs_refusal_line_loses_the_name(person, admin_user, recruiter):
    application = person.applications.get()
    other = ApplicantFactory(first_name="Ola", last_name="Nowak")
    job = BulkJob.objects.create(
        owner=recruiter,
        action=BulkJob.Action.MOVE,
        refused=2,
        refusals=[
            f"{person} ({application.pk}): The application is closed.",
            f"{other} (999{application.pk}): The application is closed.",
        ],
    )

    applicant_anonymise(applicant=person, actor=admin_user, reason="Asked by e-mail")

    job.refresh_from_db()
    assert job.refusals == [
        f"Anonymised ({application.pk}): The application is closed.",
        f"Ola Nowak (999{application.pk}): The application is closed.",
    ]


def test_the_timeline_says_who_erased_and_why(person, admin_user):
    applicant_anonymise(applicant=person, actor=admin_user, reason="Prośba kandydatki")

    entry = person.activities.get(kind=Activity.Kind.ANONYMISED)
    assert (entry.actor, entry.body) == (admin_user, "Prośba kandydatki")


def test_no_reason_no_erasure(person, admin_user):
    with pytest.raises(services.ServiceError) as refused:
        applicant_anonymise(applicant=person, actor=admin_user, reason="   ")

    assert refused.value.field == "reason"
    person.refresh_from_db()
    assert person.anonymised_at is None and person.first_name == "Żaneta"


def test_twice_is_refused(person, admin_user):
    applicant_anonymise(applicant=person, actor=admin_user, reason="once")

    with pytest.raises(services.ServiceError):
        applicant_anonymise(applicant=person, actor=admin_user, reason="twice")


def test_the_cv_file_is_deleted_from_disk_after_the_commit(
    person, admin_user, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.STORAGES = {**settings.STORAGES, "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(tmp_path)},
    }}  # fmt: skip
    person.cv.save("cv.pdf", ContentFile(b"%PDF-1.4 Zaneta"))
    submission = Submission.objects.get(application__applicant=person)
    submission.cv.save("cv.pdf", ContentFile(b"%PDF-1.4 second"))
    files = [tmp_path / person.cv.name, tmp_path / submission.cv.name]
    assert all(path.exists() for path in files)

    with django_capture_on_commit_callbacks(execute=True):
        applicant_anonymise(applicant=person, actor=admin_user, reason="Retention")

    assert not any(path.exists() for path in files)
    assert not default_storage.exists(files[0].name)


def test_records_merged_into_the_person_are_erased_too(person, admin_user):
    duplicate = ApplicantFactory(first_name="Żaneta", last_name="Łęcka", phone="+48 601 202 303")
    services.applicant_merge(keep=person, merge=duplicate, actor=admin_user)

    applicant_anonymise(applicant=person, actor=admin_user, reason="Erase")

    duplicate.refresh_from_db()
    assert duplicate.first_name == "Anonymised"
    assert duplicate.phone == ""


def test_a_frozen_record_cannot_be_changed_or_mailed(person, admin_user, recruiter):
    applicant_anonymise(applicant=person, actor=admin_user, reason="Erase")
    person.refresh_from_db()

    with pytest.raises(services.FrozenApplicantError):
        services.applicant_update(applicant=person, actor=recruiter, first_name="Jan")
    with pytest.raises(services.FrozenApplicantError):
        services.note_add(applicant=person, body="<p>hello</p>", actor=recruiter)
    application = person.applications.get()
    with pytest.raises(services.FrozenApplicantError):
        services.email_queue(to="x@example.com", subject="s", body="b", application=application)
    person.refresh_from_db()
    assert person.first_name == "Anonymised"


def test_duplicate_detection_never_matches_an_anonymised_person(person, admin_user):
    email, phone = person.email, person.phone
    assert applicant_duplicates(email=email, phone=phone)

    applicant_anonymise(applicant=person, actor=admin_user, reason="Erase")

    assert applicant_duplicates(email=email, phone=phone) == []
    assert applicant_duplicates(email=anonymous_email(person.pk), phone="") == []


def test_applying_again_makes_a_new_record(person, admin_user, posting):
    applicant_anonymise(applicant=person, actor=admin_user, reason="Erase")

    again = apply(posting).application.applicant

    assert again.pk != person.pk
    assert again.first_name == "Żaneta"


def _search_finds(client, text: str) -> dict:
    # The person's application is closed: the Closed tab lists it.
    query = {"q": text, "stage": "closed"}
    list_page = client.get("/applicants/", query)
    rows = [row.applicant_id for row in list_page.context["listing"].page.object_list]
    api = client.get("/api/v1/applications/", query).json()
    suggest = client.get("/applicants/suggest/", {"q": text}).json()
    return {"list": rows, "api": api["results"], "suggest": suggest["results"]}


@pytest.mark.parametrize("text", ["Łęcka", "zaneta", "zofia.zolkiewska@example.com",
                                  "601 202 303", "terraform"])  # fmt: skip
def test_search_list_api_and_typeahead_no_longer_find_the_old_values(
    person, admin_user, client, text
):
    client.force_login(admin_user)
    before = _search_finds(client, text)
    assert before["list"] and before["api"] and before["suggest"]

    applicant_anonymise(applicant=person, actor=admin_user, reason="Erase")

    assert _search_finds(client, text) == {"list": [], "api": [], "suggest": []}


def test_the_api_returns_no_old_value(person, admin_user, client):
    applicant_anonymise(applicant=person, actor=admin_user, reason="Erase")
    client.force_login(admin_user)

    record = client.get(f"/api/v1/applicants/{person.pk}/").content.decode()
    timeline = client.get("/api/v1/activities/", {"applicant": person.pk}).content.decode()

    for old in [*OLD_VALUES, "Kubernetes", "Świetna", "Cześć"]:
        assert old not in record
        assert old not in timeline


@pytest.mark.postgres
@pytest.mark.parametrize("read", ["the index's expression", "the kept document"])
def test_postgres_search_index_holds_no_old_word(person, admin_user, read):
    def indexed() -> str:
        if read == "the kept document":
            return ApplicantSearchDocument.objects.get(applicant_id=person.pk).document
        row = Applicant.objects.annotate(v=applicant_search_vector()).get(pk=person.pk)
        return str(row.v)

    assert "lecka" in indexed()

    applicant_anonymise(applicant=person, actor=admin_user, reason="Erase")

    words = indexed()
    for old in ["zaneta", "lecka", "zofia", "601202303", "terraform", "kubernetes"]:
        assert old not in words


def test_the_reports_count_the_same_before_and_after_on_the_demo_data(admin_user):
    demo_data_seed(applicants=60, actor=demo_user_ensure()[0])
    applications = Application.objects.all()
    before = reports.application_report(applications=applications)
    closed = Applicant.objects.filter(applications__closed_at__isnull=False).distinct()
    everyone = list(closed) + list(Applicant.objects.exclude(pk__in=closed)[:10])
    assert len(everyone) > 20

    for applicant in everyone:
        applicant_anonymise(applicant=applicant, actor=admin_user, reason="Report test")

    after = reports.application_report(applications=applications)
    assert after == before
    assert Applicant.objects.filter(anonymised_at__isnull=False).count() == len(everyone)


def test_the_nightly_bulk_path_erases_the_same_as_the_single_one(
    person, posting, admin_user, django_capture_on_commit_callbacks
):
    other = apply(posting, email="second@example.com").application.applicant
    duplicate = ApplicantFactory(first_name="Żaneta", phone="+48 601 999 888")
    services.applicant_merge(keep=other, merge=duplicate, actor=admin_user)

    applicant_anonymise(applicant=person, actor=admin_user, reason="single")
    with django_capture_on_commit_callbacks(execute=True):
        assert applicants_anonymise(pks=[other.pk], actor=None, reason="bulk") == 1

    fields = ["first_name", "phone", "phone_key", "birth_year", "linkedin_url", "cv", "cv_text"]
    single = Applicant.objects.values(*fields).get(pk=person.pk)
    bulk = Applicant.objects.values(*fields).get(pk=other.pk)
    assert single == bulk
    assert Applicant.objects.get(pk=other.pk).email == anonymous_email(other.pk)
    assert Applicant.objects.get(pk=other.pk).last_name == f"#{other.pk}"
    assert Applicant.objects.get(pk=duplicate.pk).first_name == "Anonymised"
    assert set(Activity.objects.filter(applicant=other).exclude(
        kind=Activity.Kind.ANONYMISED).values_list("body", flat=True)) == {""}  # fmt: skip
    assert other.activities.get(kind=Activity.Kind.ANONYMISED).body == "bulk"
    assert applicants_anonymise(pks=[other.pk], actor=None, reason="again") == 0
