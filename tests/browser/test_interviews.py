"""Interviews in a real browser: scheduling from the vacancy board, and an interviewer
whose colleagues' scorecards appear only once they submitted their own."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from interviews.factories import InterviewFactory, InterviewKindFactory
from interviews.models import Interview, Scorecard
from recruitment.factories import ApplicationFactory, UserFactory, VacancyFactory
from recruitment.models import Stage
from tests.conftest import role

pytestmark = pytest.mark.django_db(transaction=True)


def interviewer(vacancy, username: str, first_name: str, last_name: str):
    person = UserFactory(username=username, first_name=first_name, last_name=last_name)
    person.groups.add(role("interviewers"))
    vacancy.interviewers.add(person)
    return person


def sign_in(page, live_server, username: str) -> None:
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill("secret-password")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{live_server.url}/")


def test_schedule_an_interview_from_the_board(signed_in, live_server):
    InterviewKindFactory(name="Technical")
    application = ApplicationFactory(
        stage=Stage.INTERVIEW,
        vacancy=VacancyFactory(title="Python Developer"),
        applicant__first_name="Łucja",
        applicant__last_name="Śliwińska",
    )
    interviewer(application.vacancy, "ivan", "Iwan", "Żak")
    day = timezone.localdate() + timedelta(days=3)
    page = signed_in
    page.goto(f"{live_server.url}/vacancies/{application.vacancy_id}/")

    page.get_by_role("link", name="Schedule an interview with Łucja Śliwińska").click()
    page.get_by_label("Kind").select_option(label="Technical")
    page.get_by_label("Starts").fill(f"{day.isoformat()}T09:00")
    page.get_by_label("Ends").fill(f"{day.isoformat()}T08:00")
    page.get_by_label("Location").fill("Poznań, sala Żółta")
    page.get_by_label("Iwan Żak").check()
    page.get_by_role("button", name="Schedule").click()
    # End before start: the form comes back with the error on its field, values kept.
    expect(page.locator(".invalid-feedback")).to_contain_text("must end after it starts")
    page.get_by_label("Ends").fill(f"{day.isoformat()}T10:00")
    page.get_by_role("button", name="Schedule").click()

    page.wait_for_url(f"{live_server.url}/vacancies/{application.vacancy_id}/")
    expect(page.locator(".message-success")).to_have_text("Interview scheduled.")
    interview = Interview.objects.get()
    assert interview.local_start.hour == 9
    assert [p.username for p in interview.interviewers.all()] == ["ivan"]
    page.goto(f"{live_server.url}/applicants/{application.applicant_id}/")
    expect(page.locator(".interview-list")).to_contain_text("Technical")


def test_an_interviewer_sees_the_others_scorecards_only_after_submitting(page, live_server):
    application = ApplicationFactory(
        stage=Stage.INTERVIEW, applicant__first_name="Jan", applicant__last_name="Wąs"
    )
    ivan = interviewer(application.vacancy, "ivan", "Iwan", "Żak")
    ola = interviewer(application.vacancy, "ola", "Ola", "Ślęzak")
    interview = InterviewFactory(
        application=application,
        kind=InterviewKindFactory(name="Technical"),
        starts_at=timezone.now() - timedelta(hours=2),
        interviewers=[ivan, ola],
    )
    Scorecard.objects.create(
        interview=interview, interviewer=ola, recommendation=1, comment="Ola: za słabo"
    )
    sign_in(page, live_server, "ivan")

    page.get_by_role("link", name="My interviews").click()
    expect(page.locator(".owed")).to_contain_text("You owe 1 scorecard")
    page.locator(".owed a").click()
    expect(page.locator(".scorecards-hidden")).to_contain_text("stays hidden until you submit")
    expect(page.get_by_text("Ola: za słabo")).to_have_count(0)
    page.get_by_label("Technical").select_option("4")
    page.get_by_label("Communication").select_option("3")
    page.get_by_label("Team fit").select_option("5")
    page.get_by_label("Recommendation").select_option(label="Yes")
    page.get_by_label("Comment").fill("Iwan: dobry kod")
    page.get_by_role("button", name="Submit scorecard").click()

    expect(page.get_by_text("Ola: za słabo")).to_be_visible()
    expect(page.get_by_text("Iwan: dobry kod")).to_be_visible()
    expect(page.locator(".scorecard-form")).to_have_count(0)
    assert Scorecard.objects.filter(interviewer=ivan, recommendation=3).exists()
