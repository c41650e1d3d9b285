"""Every recruiter URL, walked as anonymous, no role, interviewer, recruiter and admin."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.urls import get_resolver, reverse
from django.utils import timezone

from interviews.factories import InterviewFactory
from interviews.models import Recommendation, Scorecard
from recruitment.factories import ApplicantFactory, ApplicationFactory, UserFactory, VacancyFactory
from recruitment.models import Application, BulkJob, ExportJob, OutgoingEmail, SavedView, Stage
from recruitment.services import note_add

pytestmark = pytest.mark.django_db

LOGIN = "login"
ROLES = ("anonymous", "no_role", "interviewer", "recruiter", "admin")

# route: (method, the object it is about, expected status per role in ROLES order).
# "theirs" is an application of a vacancy assigned to the interviewer, "other" is not.
ACCESS = {
    "dashboard": ("get", None, (LOGIN, 403, 200, 200, 200)),
    # Any signed-in person may pick their language (a preference, no data behind it).
    "language_set": ("post", None, (LOGIN, 302, 302, 302, 302)),
    "applicant_list": ("get", None, (LOGIN, 403, 200, 200, 200)),
    "applicant_suggest": ("get", None, (LOGIN, 403, 200, 200, 200)),
    "applications_bulk": ("post", None, (LOGIN, 403, 403, 302, 302)),
    "applicant_report": ("get", None, (LOGIN, 403, 403, 200, 200)),
    "applicant_export": ("get", "csv", (LOGIN, 403, 403, 200, 200)),
    "applicant_create": ("get", None, (LOGIN, 403, 403, 200, 200)),
    "applicant_detail": ("get", "other.applicant", (LOGIN, 403, 404, 200, 200)),
    "applicant_edit": ("get", "other.applicant", (LOGIN, 403, 403, 200, 200)),
    "applicant_cv": ("get", "theirs.applicant", (LOGIN, 403, 200, 200, 200)),
    "note_create": ("post", "theirs.applicant", (LOGIN, 403, 200, 200, 200)),
    "tags_update": ("post", "theirs.applicant", (LOGIN, 403, 403, 302, 302)),
    "application_create": ("post", "theirs.applicant", (LOGIN, 403, 403, 302, 302)),
    "note_update": ("post", "note", (LOGIN, 403, 403, 302, 302)),
    "note_remove": ("post", "note", (LOGIN, 403, 403, 302, 302)),
    "application_move": ("post", "theirs", (LOGIN, 403, 403, 200, 200)),
    "application_close": ("post", "theirs", (LOGIN, 403, 403, 200, 200)),
    "application_reopen": ("post", "theirs", (LOGIN, 403, 403, 302, 302)),
    # Every role sees the saved views' menu, counted over what it may list.
    "saved_view_menu": ("get", None, (LOGIN, 403, 200, 200, 200)),
    # Every role saves views of what it may list; only the owner (the recruiter) deletes.
    "saved_view_create": ("post", None, (LOGIN, 403, 302, 302, 302)),
    "saved_view_delete": ("post", "saved_view", (LOGIN, 403, 404, 302, 404)),
    "rating_create": ("post", "theirs", (LOGIN, 403, 200, 200, 200)),
    "email_resend": ("post", "email", (LOGIN, 403, 403, 302, 302)),
    # The recruiter's own export; another recruiter gets 404 (test_export_jobs.py).
    "export_job": ("get", "job", (LOGIN, 403, 403, 200, 200)),
    "export_job_progress": ("get", "job", (LOGIN, 403, 403, 200, 200)),
    "export_job_download": ("get", "job", (LOGIN, 403, 403, 200, 200)),
    # The recruiter's own bulk job; another recruiter gets 403 (test_bulk_jobs.py).
    "bulk_job": ("get", "bulk_job", (LOGIN, 403, 403, 200, 200)),
    "bulk_job_progress": ("get", "bulk_job", (LOGIN, 403, 403, 200, 200)),
    "vacancy_list": ("get", None, (LOGIN, 403, 200, 200, 200)),
    "vacancy_create": ("get", None, (LOGIN, 403, 403, 200, 200)),
    "vacancy_board": ("get", "other.vacancy", (LOGIN, 403, 404, 200, 200)),
    "vacancy_edit": ("get", "other.vacancy", (LOGIN, 403, 403, 200, 200)),
}


# The interviews app's pages, walked the same way. "interview" is on the interviewer's
# vacancy with them on the panel, held two hours ago (so they may score it); "scorecard"
# is the recruiter's own on it, which only its author amends.
INTERVIEW_ACCESS = {
    "interviews:mine": ("get", None, (LOGIN, 403, 200, 200, 200)),
    "interviews:calendar": ("get", None, (LOGIN, 403, 403, 200, 200)),
    "interviews:schedule": ("get", "theirs", (LOGIN, 403, 403, 200, 200)),
    "interviews:detail": ("get", "interview", (LOGIN, 403, 200, 200, 200)),
    "interviews:reschedule": ("get", "interview", (LOGIN, 403, 403, 200, 200)),
    "interviews:cancel": ("post", "interview", (LOGIN, 403, 403, 302, 302)),
    "interviews:status": ("post", "interview", (LOGIN, 403, 403, 302, 302)),
    # The empty form comes back with its errors for the panel member; others are told
    # on the page that they are not on the panel.
    "interviews:scorecard": ("post", "interview", (LOGIN, 403, 200, 200, 200)),
    "interviews:amend": ("post", "scorecard", (LOGIN, 403, 200, 200, 200)),
}
ACCESS.update(INTERVIEW_ACCESS)


def recruitment_routes() -> set[str]:
    return {p.name for p in get_resolver("recruitment.urls").url_patterns}


def interview_routes() -> set[str]:
    return {f"interviews:{p.name}" for p in get_resolver("interviews.urls").url_patterns}


def test_the_table_covers_every_recruiter_url():
    assert recruitment_routes() | interview_routes() == set(ACCESS)


@pytest.fixture
def world(recruiter, admin_user):
    interviewer = UserFactory(username="ivan")
    interviewer.groups.add(Group.objects.get_or_create(name="interviewers")[0])
    theirs = ApplicationFactory(vacancy=VacancyFactory(), stage=Stage.INTERVIEW)
    theirs.vacancy.interviewers.add(interviewer)
    theirs.applicant.cv.save("cv.pdf", ContentFile(b"%PDF-1.7 cv"))
    other = ApplicationFactory(applicant=ApplicantFactory(), vacancy=VacancyFactory())
    note = note_add(applicant=theirs.applicant, body="<p>by the recruiter</p>", actor=recruiter)
    users = {
        "anonymous": None,
        "no_role": UserFactory(username="nobody"),
        "interviewer": interviewer,
        "recruiter": recruiter,
        "admin": admin_user,
    }
    email = OutgoingEmail.objects.create(
        message_id="<role-test@rms>", to="x@example.com", subject="s", body="b",
        applicant=theirs.applicant, status=OutgoingEmail.Status.FAILED,
    )  # fmt: skip
    job = ExportJob.objects.create(owner=recruiter, fmt="csv", status=ExportJob.Status.DONE)
    job.file.save("roles.csv", ContentFile(b"#\n"))
    saved_view = SavedView.objects.create(owner=recruiter, name="Mine", query="stage=interview")
    bulk_job = BulkJob.objects.create(owner=recruiter, action="tag_add", tag="x", total=300)
    interview = InterviewFactory(
        application=theirs,
        starts_at=timezone.now() - timedelta(hours=2),
        interviewers=[interviewer, recruiter, admin_user],
    )
    scorecard = Scorecard.objects.create(
        interview=interview, interviewer=admin_user, recommendation=Recommendation.YES
    )
    other_interview = InterviewFactory(application=other, interviewers=[recruiter])
    return {
        "theirs": theirs, "other": other, "note": note, "users": users, "email": email, "job": job,
        "saved_view": saved_view, "bulk_job": bulk_job, "interview": interview,
        "scorecard": scorecard, "other_interview": other_interview,
    }  # fmt: skip


def url_for(route: str, subject: str | None, world: dict) -> str:
    if subject is None:
        return reverse(route)
    if subject == "csv":
        return reverse(route, args=["csv"])
    target = world
    for part in subject.split("."):
        target = target[part] if isinstance(target, dict) else getattr(target, part)
    return reverse(route, args=[target.pk])


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("route", sorted(ACCESS))
def test_each_role_gets_what_it_may(client, world, route, role):
    method, subject, expected = ACCESS[route]
    user = world["users"][role]
    if user is not None:
        client.force_login(user)

    response = getattr(client, method)(url_for(route, subject, world))

    want = expected[ROLES.index(role)]
    if want == LOGIN:
        assert response.status_code == 302
        assert "/login/" in response["Location"]
    else:
        assert response.status_code == want, (route, role)


def test_an_interviewer_lists_only_applicants_of_assigned_vacancies(client, world):
    client.force_login(world["users"]["interviewer"])

    listed = client.get("/applicants/").context["listing"].page.object_list
    suggested = client.get("/applicants/suggest/", {"q": world["other"].applicant.last_name})

    assert [a.pk for a in listed] == [world["theirs"].pk]
    assert suggested.json()["results"] == []


def test_an_interviewer_sees_no_move_or_close_controls(client, world):
    client.force_login(world["users"]["interviewer"])

    html = client.get(f"/applicants/{world['theirs'].applicant.pk}/").content.decode()

    assert "move-form" not in html
    assert "close-form" not in html
    assert "rating-form" in html
    assert "note-form" in html
    assert Application.objects.get(pk=world["theirs"].pk).stage == Stage.INTERVIEW


def test_an_interviewer_cannot_fetch_the_cv_of_someone_not_theirs(client, world):
    world["other"].applicant.cv.save("cv.pdf", ContentFile(b"%PDF-1.7 other"))
    client.force_login(world["users"]["interviewer"])

    assert client.get(f"/applicants/{world['other'].applicant.pk}/cv/").status_code == 404


def test_an_interviewer_cannot_open_an_interview_off_their_vacancies(client, world):
    client.force_login(world["users"]["interviewer"])

    response = client.get(f"/interviews/{world['other_interview'].pk}/")

    assert response.status_code == 404
