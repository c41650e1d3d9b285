"""The interview services: scheduling rules, overlap flags, revisions, blind scorecards."""

from datetime import timedelta

import pytest
from django.utils import timezone

from interviews import services
from interviews.factories import InterviewFactory
from interviews.models import Interview, Recommendation, Scorecard
from interviews.selectors import interview_scorecards, interview_summaries, scorecards_unblinded
from recruitment.factories import ApplicationFactory, UserFactory, VacancyFactory
from recruitment.models import Activity
from recruitment.services import ServiceError
from tests.conftest import role
from tests.interviews.conftest import interviewer_for

pytestmark = pytest.mark.django_db

ALL_THREE = {"technical": 4, "communication": 3, "team_fit": 5}


def when(days: float = 2, hours: float = 1, **extra) -> services.When:
    start = (timezone.now() + timedelta(days=days)).replace(second=0, microsecond=0)
    fields = {"time_zone": "Europe/Warsaw", "location": "Poznań, sala Żółta", **extra}
    return services.When(starts_at=start, ends_at=start + timedelta(hours=hours), **fields)


def schedule(application, kind, people, actor, **when_args):
    return services.interview_schedule(
        application=application,
        kind=kind,
        when=when(**when_args),
        interviewers=people,
        actor=actor,
    )


def test_scheduling_records_the_timeline_and_queues_the_invitations(
    application, kind, ivan, recruiter
):
    scheduled = schedule(application, kind, [ivan], recruiter)

    interview = scheduled.interview
    assert interview.status == Interview.Status.SCHEDULED
    assert interview.sequence == 0
    entry = application.applicant.activities.get(kind=Activity.Kind.INTERVIEW_SCHEDULED)
    assert "Technical" in entry.body and "Iwan Żak" in entry.body
    recipients = set(application.applicant.emails.values_list("to", flat=True))
    assert recipients == {"lucja@example.com"}
    from recruitment.models import OutgoingEmail

    to_ivan = OutgoingEmail.objects.get(to=ivan.email)
    assert "METHOD:REQUEST" in to_ivan.calendar
    assert scheduled.overlaps == []


@pytest.mark.parametrize(
    ("when_args", "field"),
    [
        ({"hours": -1}, "ends_at"),
        ({"hours": 0}, "ends_at"),
        ({"days": -1}, "starts_at"),
        ({"location": "", "video_link": ""}, "location"),
        ({"time_zone": "Mars/Olympus"}, "time_zone"),
    ],
)
def test_bad_times_and_places_are_refused_on_their_field(
    application, kind, ivan, recruiter, when_args, field
):
    with pytest.raises(ServiceError) as refused:
        schedule(application, kind, [ivan], recruiter, **when_args)

    assert refused.value.field == field
    assert not Interview.objects.exists()


def test_an_interviewer_without_the_vacancy_is_refused_not_granted(application, kind, recruiter):
    outsider = interviewer_for(VacancyFactory(), "obcy")

    with pytest.raises(ServiceError) as refused:
        schedule(application, kind, [outsider], recruiter)

    assert refused.value.field == "interviewers"
    assert not application.vacancy.interviewers.filter(pk=outsider.pk).exists()
    assert not Interview.objects.exists()


def test_a_person_with_no_role_cannot_sit_on_the_panel(application, kind, recruiter):
    with pytest.raises(ServiceError) as refused:
        schedule(application, kind, [UserFactory(username="nikt")], recruiter)

    assert refused.value.field == "interviewers"


def test_a_closed_application_gets_no_interview(application, kind, ivan, recruiter):
    application.closed_at, application.close_reason = timezone.now(), "rejected"
    application.save()

    with pytest.raises(ServiceError):
        schedule(application, kind, [ivan], recruiter)


@pytest.mark.postgres
def test_an_overlap_of_the_same_interviewer_is_flagged_not_refused(
    application, kind, ivan, ola, recruiter
):
    other = ApplicationFactory(vacancy=application.vacancy)
    first = schedule(other, kind, [ivan], recruiter, days=3).interview

    clash = schedule(application, kind, [ivan, ola], recruiter, days=3)
    apart = schedule(application, kind, [ivan], recruiter, days=4)
    elsewhere = schedule(application, kind, [ola], recruiter, days=3)

    assert [o.pk for o in clash.overlaps] == [first.pk]
    assert apart.overlaps == []
    assert [o.pk for o in elsewhere.overlaps] == [clash.interview.pk]
    assert Interview.objects.count() == 4


@pytest.mark.postgres
def test_reschedule_and_cancel_raise_the_sequence_and_keep_the_uid(
    application, kind, ivan, ola, recruiter
):
    interview = schedule(application, kind, [ivan, ola], recruiter).interview
    uid = interview.uid

    moved = services.interview_reschedule(
        interview=interview, when=when(days=5), interviewers=[ivan], actor=recruiter
    ).interview
    cancelled = services.interview_cancel(interview=moved, actor=recruiter)

    assert (moved.sequence, cancelled.sequence) == (1, 2)
    assert cancelled.uid == uid
    assert cancelled.status == Interview.Status.CANCELLED
    kinds = list(application.applicant.activities.values_list("kind", flat=True))
    assert Activity.Kind.INTERVIEW_RESCHEDULED in kinds
    assert Activity.Kind.INTERVIEW_CANCELLED in kinds
    with pytest.raises(ServiceError):
        services.interview_reschedule(
            interview=cancelled, when=when(days=6), interviewers=[ivan], actor=recruiter
        )


def held(application, kind, people) -> Interview:
    start = timezone.now() - timedelta(hours=2)
    return InterviewFactory(
        application=application, kind=kind, starts_at=start, interviewers=people
    )


def submit(interview, person, recommendation=Recommendation.YES, **extra):
    return services.scorecard_submit(
        interview=interview,
        interviewer=person,
        ratings=ALL_THREE,
        recommendation=recommendation,
        comment="Zna Django, świetnie",
        **extra,
    )


@pytest.mark.postgres
def test_scorecards_are_blind_per_role_until_one_submits(
    application, kind, ivan, ola, recruiter, admin_user
):
    interview = held(application, kind, [ivan, ola])
    submit(interview, ivan, Recommendation.STRONG_YES)

    ola_before = interview_scorecards(interview=interview, user=ola)
    ivan_view = interview_scorecards(interview=interview, user=ivan)
    recruiter_view = interview_scorecards(interview=interview, user=recruiter)
    admin_view = interview_scorecards(interview=interview, user=admin_user)
    submit(interview, ola, Recommendation.NO)
    ola_after = interview_scorecards(interview=interview, user=ola)

    assert (ola_before.shown, ola_before.hidden_count) == ([], 1)
    assert [c.interviewer for c in ivan_view.shown] == [ivan]
    assert len(recruiter_view.shown) == 1 and len(admin_view.shown) == 1
    assert [c.interviewer for c in ola_after.shown] == [ivan, ola]


@pytest.mark.postgres
def test_a_scorecard_on_another_interview_of_the_application_opens_them_all(
    application, kind, ivan, ola
):
    first = held(application, kind, [ivan])
    second = held(application, kind, [ola])
    submit(first, ivan)

    assert not scorecards_unblinded(application=application, user=ola)
    submit(second, ola)
    assert scorecards_unblinded(application=application, user=ola)
    assert len(interview_scorecards(interview=first, user=ola).shown) == 1


@pytest.mark.postgres
def test_the_summary_hides_the_verdict_from_an_interviewer_who_owes(
    application, kind, ivan, ola, recruiter
):
    interview = held(application, kind, [ivan, ola])
    submit(interview, ivan, Recommendation.STRONG_YES)

    for_ola = interview_summaries(application_ids=[application.pk], user=ola)[application.pk]
    for_rita = interview_summaries(application_ids=[application.pk], user=recruiter)[application.pk]

    assert (for_ola.scorecards, for_ola.visible, for_ola.recommendation) == (1, False, None)
    assert for_rita.visible and for_rita.recommendation_label == "Strong yes"
    assert for_rita.rating == pytest.approx(4.0)


def test_a_submitted_scorecard_is_not_replaced_only_amended(application, kind, ivan):
    interview = held(application, kind, [ivan])
    card = submit(interview, ivan)

    with pytest.raises(ServiceError):
        submit(interview, ivan, Recommendation.STRONG_NO)
    services.scorecard_amend(scorecard=card, author=ivan, body="Dopisek: sprawdzić SQL")

    card.refresh_from_db()
    assert card.recommendation == Recommendation.YES
    assert [a.body for a in card.amendments.all()] == ["Dopisek: sprawdzić SQL"]
    assert application.applicant.activities.filter(kind=Activity.Kind.SCORECARD_AMENDED).exists()


def test_only_the_author_amends(application, kind, ivan, ola):
    card = submit(held(application, kind, [ivan, ola]), ivan)

    with pytest.raises(ServiceError):
        services.scorecard_amend(scorecard=card, author=ola, body="nie moje")


@pytest.mark.parametrize("status", [Interview.Status.CANCELLED, Interview.Status.NO_SHOW])
def test_an_interview_that_did_not_happen_takes_no_scorecard(application, kind, ivan, status):
    interview = held(application, kind, [ivan])
    Interview.objects.filter(pk=interview.pk).update(status=status)

    with pytest.raises(ServiceError, match="nothing to score"):
        submit(interview, ivan)
    assert not Scorecard.objects.exists()


def test_someone_off_the_panel_cannot_submit(application, kind, ivan, ola):
    with pytest.raises(ServiceError):
        submit(held(application, kind, [ivan]), ola)


def test_the_timeline_says_a_scorecard_came_in_but_not_what_it_says(application, kind, ivan):
    submit(held(application, kind, [ivan]), ivan)

    entry = application.applicant.activities.get(kind=Activity.Kind.SCORECARD_SUBMITTED)
    assert entry.body == "Technical"


def test_done_and_no_show_only_once_started(application, kind, ivan, recruiter):
    future = schedule(application, kind, [ivan], recruiter).interview
    past = held(application, kind, [ivan])

    with pytest.raises(ServiceError):
        services.interview_status_set(interview=future, status="done", actor=recruiter)
    services.interview_status_set(interview=past, status="no_show", actor=recruiter)

    past.refresh_from_db()
    assert past.status == Interview.Status.NO_SHOW


def test_reminders_go_once_for_interviews_within_a_day(application, kind, ivan, recruiter):
    from recruitment.models import OutgoingEmail

    soon = InterviewFactory(
        application=application,
        kind=kind,
        starts_at=timezone.now() + timedelta(hours=20),
        interviewers=[ivan],
    )
    InterviewFactory(application=application, kind=kind, interviewers=[ivan])  # in two days

    first = services.interview_reminders_send()
    second = services.interview_reminders_send()

    assert (first, second) == (1, 0)
    soon.refresh_from_db()
    assert soon.reminded_at is not None
    reminders = OutgoingEmail.objects.filter(subject__startswith="Reminder")
    assert list(reminders.values_list("to", flat=True)) == ["lucja@example.com"]
    assert OutgoingEmail.objects.filter(to=ivan.email, subject__startswith="Tomorrow").count() == 1


def test_a_new_time_brings_a_new_reminder(application, kind, ivan, recruiter):
    interview = InterviewFactory(
        application=application,
        kind=kind,
        starts_at=timezone.now() + timedelta(hours=20),
        interviewers=[ivan],
    )
    services.interview_reminders_send()

    services.interview_reschedule(
        interview=interview, when=when(days=0.5), interviewers=[ivan], actor=recruiter
    )

    assert services.interview_reminders_send() == 1


def test_the_reminder_run_is_a_beat_row():
    from django_celery_beat.models import PeriodicTask

    task = PeriodicTask.objects.get(task="interviews.tasks.interview_reminders_send")
    assert task.enabled


def test_group_role_helper_is_the_shared_one():
    assert role("interviewers").name == "interviewers"
