"""The interview pages as their users see them: forms and their field errors, the
interviewer's own list, the calendar week, the scorecards, and the pinned query counts."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from interviews.factories import InterviewFactory
from interviews.models import Interview, Scorecard
from recruitment.factories import ApplicationFactory, VacancyFactory
from tests.interviews.conftest import interviewer_for

pytestmark = pytest.mark.django_db


def local(days: float, hour: int = 10) -> str:
    moment = timezone.localtime() + timedelta(days=days)
    return moment.replace(hour=hour, minute=0).strftime("%Y-%m-%dT%H:%M")


def form_data(interview_kind, people, **changes) -> dict:
    data = {
        "kind": interview_kind.pk,
        "starts_at": local(3, 10),
        "ends_at": local(3, 11),
        "time_zone": "Europe/Warsaw",
        "location": "Łódź, Piotrkowska 1",
        "video_link": "",
        "interviewers": [person.pk for person in people],
        "send_invitations": "on",
    }
    return {**data, **changes}


def test_a_recruiter_schedules_from_the_application(recruiter_client, application, kind, ivan):
    url = f"/applications/{application.pk}/interviews/new/"

    page = recruiter_client.get(url)
    response = recruiter_client.post(url, form_data(kind, [ivan]), follow=True)

    assert page.status_code == 200
    interview = Interview.objects.get()
    assert response.redirect_chain[-1][0] == f"/interviews/{interview.pk}/"
    assert "Interview scheduled." in response.content.decode()
    assert interview.local_start.hour == 10
    assert list(interview.interviewers.all()) == [ivan]


def test_with_no_end_the_kinds_usual_length_is_taken(recruiter_client, application, kind, ivan):
    kind.duration_minutes = 90
    kind.save()

    recruiter_client.post(
        f"/applications/{application.pk}/interviews/new/", form_data(kind, [ivan], ends_at="")
    )

    interview = Interview.objects.get()
    assert interview.ends_at - interview.starts_at == timedelta(minutes=90)


def test_the_form_goes_back_to_the_board_it_came_from(recruiter_client, application, kind, ivan):
    board = f"/vacancies/{application.vacancy_id}/"
    url = f"/applications/{application.pk}/interviews/new/?next={board}"

    response = recruiter_client.post(url, form_data(kind, [ivan]))

    assert response.status_code == 302
    assert response["Location"] == board


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"ends_at": local(3, 9)}, "ends_at", "must end after it starts"),
        ({"starts_at": local(-2, 10), "ends_at": local(-2, 11)}, "starts_at", "in the past"),
        ({"starts_at": "0001-01-01T00:00"}, "starts_at", "Enter a year"),
        ({"starts_at": "jutro"}, "starts_at", "Enter a date and time"),
        ({"time_zone": "Mars/Olympus"}, "time_zone", "Select a valid choice"),
        ({"location": ""}, "location", "Give a place or a video link"),
        ({"video_link": "javascript:alert(1)"}, "video_link", "Enter a valid URL"),
        ({"interviewers": []}, "interviewers", "required"),
        ({"kind": "x"}, "kind", "Select a valid choice"),
        (
            {"starts_at": "2031-03-30T02:30", "ends_at": "2031-03-30T04:00"},
            "starts_at",
            "does not exist in Europe/Warsaw",
        ),
    ],
)
def test_bad_input_is_a_field_error(
    recruiter_client, application, kind, ivan, changes, field, message
):
    response = recruiter_client.post(
        f"/applications/{application.pk}/interviews/new/", form_data(kind, [ivan], **changes)
    )

    assert response.status_code == 200
    assert any(message in error for error in response.context["form"].errors[field])
    assert not Interview.objects.exists()


def test_an_interviewer_of_another_vacancy_is_a_field_error(recruiter_client, application, kind):
    outsider = interviewer_for(VacancyFactory(), "obcy", first_name="Żaneta", last_name="Obca")

    response = recruiter_client.post(
        f"/applications/{application.pk}/interviews/new/", form_data(kind, [outsider])
    )

    (error,) = response.context["form"].errors["interviewers"]
    assert "Żaneta Obca cannot see this vacancy" in error
    assert not Interview.objects.exists()


def test_an_overlap_is_a_warning_after_scheduling(recruiter_client, application, kind, ivan):
    other = ApplicationFactory(vacancy=application.vacancy, applicant__last_name="Wąs")
    InterviewFactory(
        application=other,
        kind=kind,
        starts_at=timezone.now() + timedelta(days=3, minutes=-30),
        interviewers=[ivan],
    )
    starts = (timezone.now() + timedelta(days=3)).astimezone(timezone.get_current_timezone())
    data = form_data(
        kind,
        [ivan],
        starts_at=starts.strftime("%Y-%m-%dT%H:%M"),
        ends_at=(starts + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
    )

    response = recruiter_client.post(
        f"/applications/{application.pk}/interviews/new/", data, follow=True
    )

    assert Interview.objects.count() == 2
    assert "Overlaps for Iwan Żak" in response.content.decode()


def test_reschedule_and_cancel_from_the_interview_page(recruiter_client, application, kind, ivan):
    interview = InterviewFactory(application=application, kind=kind, interviewers=[ivan])

    recruiter_client.post(
        f"/interviews/{interview.pk}/edit/",
        form_data(kind, [ivan], starts_at=local(5, 14), ends_at=local(5, 15)),
    )
    recruiter_client.post(f"/interviews/{interview.pk}/cancel/", {"send_invitations": "on"})

    interview.refresh_from_db()
    assert (interview.local_start.hour, interview.sequence) == (14, 2)
    assert interview.status == Interview.Status.CANCELLED


def held(application, kind, people) -> Interview:
    return InterviewFactory(
        application=application,
        kind=kind,
        starts_at=timezone.now() - timedelta(hours=3),
        interviewers=people,
    )


SCORES = {
    "rating_technical": "4",
    "rating_communication": "5",
    "rating_team_fit": "3",
    "recommendation": "4",
    "comment": "Świetna rozmowa",
}


def test_an_interviewer_sees_the_others_only_after_submitting(client, application, kind, ivan, ola):
    interview = held(application, kind, [ivan, ola])
    client.force_login(ola)
    client.post(f"/interviews/{interview.pk}/scorecard/", {**SCORES, "comment": "Ola: tak"})
    client.force_login(ivan)

    before = client.get(f"/interviews/{interview.pk}/").content.decode()
    client.post(f"/interviews/{interview.pk}/scorecard/", SCORES)
    after = client.get(f"/interviews/{interview.pk}/").content.decode()

    assert "Ola: tak" not in before
    assert "1 scorecard is in. It stays hidden until you submit yours." in before
    assert "Ola: tak" in after and "Świetna rozmowa" in after
    assert "scorecard-form" not in after


def test_a_cancelled_interviews_scorecard_is_a_form_error(client, application, kind, ivan):
    interview = held(application, kind, [ivan])
    Interview.objects.filter(pk=interview.pk).update(status=Interview.Status.CANCELLED)
    client.force_login(ivan)

    response = client.post(f"/interviews/{interview.pk}/scorecard/", SCORES)

    assert response.status_code == 200
    assert "nothing to score" in response.context["scorecard_form"].non_field_errors()[0]
    assert "This interview was cancelled: there is nothing to score." in response.content.decode()
    assert not Scorecard.objects.exists()


@pytest.mark.parametrize(
    "changes",
    [
        {"rating_technical": "6"},
        {"recommendation": "9"},
        {"rating_team_fit": ""},
        {"comment": "a\x00"},
    ],
)
def test_bad_scores_are_field_errors(client, application, kind, ivan, changes):
    interview = held(application, kind, [ivan])
    client.force_login(ivan)

    response = client.post(f"/interviews/{interview.pk}/scorecard/", {**SCORES, **changes})

    assert response.status_code == 200
    assert set(response.context["scorecard_form"].errors) == {next(iter(changes))}
    assert not Scorecard.objects.exists()


def test_an_amendment_is_shown_beside_the_untouched_scorecard(client, application, kind, ivan):
    interview = held(application, kind, [ivan])
    client.force_login(ivan)
    client.post(f"/interviews/{interview.pk}/scorecard/", SCORES)
    card = Scorecard.objects.get()

    empty = client.post(f"/scorecards/{card.pk}/amend/", {"body": "  "})
    client.post(f"/scorecards/{card.pk}/amend/", {"body": "Po namyśle: SQL słabszy"})
    page = client.get(f"/interviews/{interview.pk}/").content.decode()

    assert empty.context["amendment_form"].errors["body"]
    assert "Po namyśle: SQL słabszy" in page and "Świetna rozmowa" in page
    assert Scorecard.objects.get().comment == "Świetna rozmowa"


def test_only_the_author_adds_to_a_scorecard(client, application, kind, ivan, ola):
    interview = held(application, kind, [ivan, ola])
    client.force_login(ivan)
    client.post(f"/interviews/{interview.pk}/scorecard/", SCORES)
    card = Scorecard.objects.get()
    client.force_login(ola)

    response = client.post(f"/scorecards/{card.pk}/amend/", {"body": "nie moje"}, follow=True)

    assert "Only the scorecard&#x27;s author amends it." in response.content.decode()
    assert not card.amendments.exists()


def test_my_interviews_lists_upcoming_past_and_owed(client, application, kind, ivan, ola):
    upcoming = InterviewFactory(application=application, kind=kind, interviewers=[ivan])
    called_off = InterviewFactory(
        application=application,
        kind=kind,
        starts_at=timezone.now() + timedelta(days=4),
        status=Interview.Status.CANCELLED,
        interviewers=[ivan],
    )
    owed = held(application, kind, [ivan])
    InterviewFactory(application=application, kind=kind, interviewers=[ola])
    application.applicant.cv.save("cv.pdf", __import__("io").BytesIO(b"%PDF-1.7"))
    client.force_login(ivan)

    response = client.get("/interviews/")

    mine = response.context["mine"]
    assert [i.pk for i in mine.upcoming] == [upcoming.pk, called_off.pk]
    assert [i.pk for i in mine.past] == [owed.pk]
    assert [i.pk for i in mine.owed] == [owed.pk]
    html = response.content.decode()
    assert "You owe 1 scorecard" in html
    assert f"/applicants/{application.applicant_id}/cv/" in html
    assert client.get(f"/applicants/{application.applicant_id}/").status_code == 200


@pytest.mark.parametrize("count", [2, 20])
def test_my_interviews_query_count_does_not_grow(
    client, application, kind, ivan, django_assert_num_queries, count
):
    for number in range(count):
        InterviewFactory(
            application=application,
            kind=kind,
            starts_at=timezone.now() + timedelta(days=number - count // 2, hours=1),
            interviewers=[ivan],
        )
    client.force_login(ivan)

    # 1 session, 2 user, 3 the user's role, 4 upcoming, 5 past, 6 past counted, 7 owed.
    with django_assert_num_queries(7):
        response = client.get("/interviews/")

    shown = len(response.context["mine"].upcoming) + len(response.context["mine"].past)
    assert shown == count


@pytest.mark.parametrize("count", [2, 20])
def test_the_calendar_week_query_count_does_not_grow(
    recruiter_client, application, kind, ivan, ola, django_assert_num_queries, count
):
    monday = timezone.localdate() + timedelta(days=7 - timezone.localdate().weekday())
    start = timezone.make_aware(timezone.datetime.combine(monday, timezone.datetime.min.time()))
    for number in range(count):
        InterviewFactory(
            application=application,
            kind=kind,
            starts_at=start + timedelta(hours=9 + number % 8, days=number % 5),
            interviewers=[ivan, ola],
        )

    # 1 session, 2 user, 3 role, 4 the week's interviews, 5 their panels, 6-7 the
    # interviewer and vacancy pickers.
    with django_assert_num_queries(7):
        response = recruiter_client.get("/interviews/calendar/", {"week": monday.isoformat()})

    assert sum(len(day.interviews) for day in response.context["days"]) == count


def test_the_calendar_filters_by_interviewer_and_vacancy_and_flags_overlaps(
    recruiter_client, application, kind, ivan, ola
):
    monday = timezone.localdate() + timedelta(days=7 - timezone.localdate().weekday())
    start = timezone.make_aware(timezone.datetime.combine(monday, timezone.datetime.min.time()))
    at_nine = start + timedelta(hours=9)
    first = InterviewFactory(
        application=application, kind=kind, starts_at=at_nine, interviewers=[ivan]
    )
    clash = InterviewFactory(
        application=ApplicationFactory(vacancy=application.vacancy),
        kind=kind,
        starts_at=at_nine + timedelta(minutes=30),
        interviewers=[ivan],
    )
    elsewhere = InterviewFactory(
        application=ApplicationFactory(), kind=kind, starts_at=at_nine, interviewers=[ola]
    )
    week = monday.isoformat()

    by_ivan = recruiter_client.get("/interviews/calendar/", {"week": week, "interviewer": ivan.pk})
    by_other_vacancy = recruiter_client.get(
        "/interviews/calendar/", {"week": week, "vacancy": elsewhere.application.vacancy_id}
    )

    monday_cards = by_ivan.context["days"][0].interviews
    assert [i.pk for i in monday_cards] == [first.pk, clash.pk]
    assert all(i.overlaps for i in monday_cards)
    assert by_ivan.content.decode().count("overlap-flag") == 2
    assert [i.pk for i in by_other_vacancy.context["days"][0].interviews] == [elsewhere.pk]


@pytest.mark.parametrize(
    "query",
    [
        "week=0001-01-01",
        "week=9999-12-31",
        "week=x",
        "interviewer=abc",
        "vacancy=99999",
        "week=%00",
    ],
)
def test_bad_calendar_input_shows_this_week_with_an_error(recruiter_client, query):
    response = recruiter_client.get(f"/interviews/calendar/?{query}")

    assert response.status_code == 200
    assert response.context["form"].errors
    today = timezone.localdate()
    assert response.context["monday"] == today - timedelta(days=today.weekday())


def test_the_applicant_page_and_list_show_the_summary(
    recruiter_client, application, kind, ivan, ola
):
    interview = held(application, kind, [ivan, ola])
    client = Client()
    client.force_login(ola)
    client.post(f"/interviews/{interview.pk}/scorecard/", SCORES)

    page = recruiter_client.get(f"/applicants/{application.applicant_id}/").content.decode()
    listed = recruiter_client.get("/applicants/").content.decode()
    client.force_login(ivan)
    blind = client.get(f"/applicants/{application.applicant_id}/").content.decode()
    blind_list = client.get("/applicants/").content.decode()

    assert "1 interview · 1 scorecard: Strong yes · ★ 4.0" in page
    assert "1 interview · 1 scorecard: Strong yes" in listed
    assert "1 interview · 1 scorecard<" in blind and "Strong yes" not in blind
    assert "verdicts hidden until you submit" in blind
    assert "1 interview · 1 scorecard<" in blind_list
    assert f'href="/applications/{application.pk}/interviews/new/"' in page


def test_the_board_offers_scheduling(recruiter_client, application):
    html = recruiter_client.get(f"/vacancies/{application.vacancy_id}/").content.decode()

    assert f"/applications/{application.pk}/interviews/new/?next=/vacancies/" in html
