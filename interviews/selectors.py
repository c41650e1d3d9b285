"""Reads of the interviews app: an interviewer's own list, the calendar week, the
summaries beside applications, and which scorecards a person may read."""

import datetime
from dataclasses import dataclass, field

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Avg, Count, Exists, Min, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from interviews.models import Interview, Recommendation, Scorecard, ScorecardAmendment
from recruitment.models import Application
from recruitment.roles import manages

PAST_SHOWN = 50
WEEK = datetime.timedelta(days=7)


def _listed(interviews: QuerySet[Interview]) -> QuerySet[Interview]:
    """What a row shows: the kind, the applicant and vacancy, the panel."""
    return interviews.select_related(
        "kind", "application__applicant", "application__vacancy"
    ).defer("application__applicant__cv_text")


@dataclass(frozen=True)
class MyInterviews:
    upcoming: list[Interview]
    past: list[Interview]
    past_count: int
    owed: list[Interview]


def my_interviews(*, user: AbstractBaseUser, past_shown: int = PAST_SHOWN) -> MyInterviews:
    """The user's interviews as a panel member: upcoming (soonest first, cancelled ones
    too, so the change is seen), the latest past ones, and those whose scorecard they
    still owe (started and not called off, not scored yet)."""
    now = timezone.now()
    theirs = Interview.objects.filter(interviewers=user)
    mine = theirs.annotate(
        scored=Exists(Scorecard.objects.filter(interview=OuterRef("pk"), interviewer=user))
    )
    ahead = Q(starts_at__gte=now)
    upcoming = mine.filter(ahead)
    past = mine.exclude(ahead)
    owed = past.filter(status__in=[Interview.Status.SCHEDULED, Interview.Status.DONE], scored=False)
    return MyInterviews(
        upcoming=list(_listed(upcoming).order_by("starts_at", "id")),
        past=list(_listed(past).order_by("-starts_at", "-id")[:past_shown]),
        past_count=theirs.exclude(ahead).count(),
        owed=list(_listed(owed).order_by("starts_at", "id")),
    )


@dataclass
class CalendarDay:
    date: datetime.date
    interviews: list[Interview] = field(default_factory=list)


def calendar_week(
    *,
    monday: datetime.date,
    interviewer: AbstractBaseUser | None = None,
    vacancy=None,
) -> list[CalendarDay]:
    """Seven days from `monday` (in the office's time zone) with the interviews starting
    on each, cancelled ones included; each interview's `overlaps` is set when one of its
    interviewers has another scheduled interview at the same time that week."""
    start = timezone.make_aware(datetime.datetime.combine(monday, datetime.time()))
    interviews = Interview.objects.filter(starts_at__gte=start, starts_at__lt=start + WEEK)
    if interviewer is not None:
        interviews = interviews.filter(interviewers=interviewer)
    if vacancy is not None:
        interviews = interviews.filter(application__vacancy=vacancy)
    rows = list(_listed(interviews).prefetch_related("interviewers").order_by("starts_at", "id"))
    _flag_overlaps(rows)
    days = [CalendarDay(date=monday + datetime.timedelta(days=n)) for n in range(7)]
    for interview in rows:
        day = timezone.localtime(interview.starts_at).date()
        days[(day - monday).days].interviews.append(interview)
    return days


def _flag_overlaps(rows: list[Interview]) -> None:
    """Mark the shown interviews that clash with another shown one of a shared interviewer."""
    scheduled = [row for row in rows if row.status == Interview.Status.SCHEDULED]
    for row in rows:
        row.overlaps = False
    for index, row in enumerate(scheduled):
        panel = {person.pk for person in row.interviewers.all()}
        for later in scheduled[index + 1 :]:
            if later.starts_at >= row.ends_at:
                break
            if panel & {person.pk for person in later.interviewers.all()}:
                row.overlaps = later.overlaps = True


@dataclass(frozen=True)
class InterviewSummary:
    interviews: int
    next_at: datetime.datetime | None
    scorecards: int
    recommendation: float | None
    rating: float | None
    # False: the viewer is an interviewer who has not submitted their own scorecard on
    # this application, so the scorecards' verdicts are kept from them.
    visible: bool

    @property
    def recommendation_label(self) -> str:
        if self.recommendation is None:
            return ""
        return str(Recommendation(round(self.recommendation)).label)


def interview_summaries(
    *, application_ids: list[int], user: AbstractBaseUser
) -> dict[int, InterviewSummary]:
    """Per application: interviews held or planned, the next one, and the scorecards'
    verdict where the user may read it. One query, whatever the number of rows."""
    now = timezone.now()
    rows = (
        Interview.objects.filter(application_id__in=application_ids)
        .values("application_id")
        .annotate(
            interview_count=Count(
                "id", filter=~Q(status=Interview.Status.CANCELLED), distinct=True
            ),
            next_at=Min(
                "starts_at", filter=Q(status=Interview.Status.SCHEDULED, starts_at__gte=now)
            ),
            scorecard_count=Count("scorecards", distinct=True),
            recommendation=Avg("scorecards__recommendation"),
            rating=Avg("scorecards__ratings__rating"),
            mine=Count("scorecards", filter=Q(scorecards__interviewer=user), distinct=True),
        )
        .order_by()
    )
    sees_all = manages(user)
    summaries = {}
    for row in rows:
        visible = sees_all or row["mine"] > 0
        summaries[row["application_id"]] = InterviewSummary(
            interviews=row["interview_count"],
            next_at=row["next_at"],
            scorecards=row["scorecard_count"],
            recommendation=row["recommendation"] if visible else None,
            rating=row["rating"] if visible else None,
            visible=visible,
        )
    return summaries


def application_interviews(*, applications: list[Application]) -> dict[int, list[Interview]]:
    """The interviews of these applications, soonest first, with their panels."""
    interviews = (
        Interview.objects.filter(application__in=applications)
        .select_related("kind")
        .prefetch_related("interviewers")
        .order_by("starts_at", "id")
    )
    grouped: dict[int, list[Interview]] = {application.pk: [] for application in applications}
    for interview in interviews:
        grouped[interview.application_id].append(interview)
    return grouped


def scorecards_unblinded(*, application: Application, user: AbstractBaseUser) -> bool:
    """Recruiters and admins read every scorecard; an interviewer reads them once they
    submitted their own on any interview of this application."""
    if manages(user):
        return True
    return Scorecard.objects.filter(interview__application=application, interviewer=user).exists()


@dataclass(frozen=True)
class InterviewScorecards:
    shown: list[Scorecard]
    hidden_count: int
    own: Scorecard | None


def interview_scorecards(*, interview: Interview, user: AbstractBaseUser) -> InterviewScorecards:
    """The interview's scorecards this user may read, and how many are kept from them."""
    scorecards = list(
        interview.scorecards.select_related("interviewer").prefetch_related(
            "ratings", Prefetch("amendments", queryset=_amendments())
        )
    )
    own = next((card for card in scorecards if card.interviewer_id == user.pk), None)
    if own is not None or scorecards_unblinded(application=interview.application, user=user):
        return InterviewScorecards(shown=scorecards, hidden_count=0, own=own)
    return InterviewScorecards(shown=[], hidden_count=len(scorecards), own=None)


def _amendments():
    return ScorecardAmendment.objects.select_related("author").order_by("created_at", "id")


def interview_overlaps(*, interview: Interview) -> list[Interview]:
    """Scheduled interviews of the same interviewers that overlap this one in time."""
    return list(
        _listed(
            Interview.objects.filter(
                interviewers__in=interview.interviewers.all(),
                status=Interview.Status.SCHEDULED,
                starts_at__lt=interview.ends_at,
                ends_at__gt=interview.starts_at,
            ).exclude(pk=interview.pk)
        )
        .prefetch_related("interviewers")
        .distinct()
        .order_by("starts_at", "id")
    )


def interview_detail(*, interviews: QuerySet[Interview], pk: int) -> Interview:
    return _listed(interviews).prefetch_related("interviewers").get(pk=pk)
