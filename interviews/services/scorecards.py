"""Scorecards: submitted once, never edited; later thoughts are recorded amendments."""

from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from interviews.models import (
    Interview,
    Recommendation,
    Scorecard,
    ScorecardAmendment,
    ScorecardRating,
)
from recruitment.models import RATING_MAX, RATING_MIN, Activity
from recruitment.services import ServiceError
from recruitment.services.base import record_activity

# Interviews that did not take place have nothing to score.
UNSCORED = (Interview.Status.CANCELLED, Interview.Status.NO_SHOW)


def _check_scores(ratings: dict[str, int], recommendation: int) -> None:
    for criterion in Activity.Criterion:
        value = ratings.get(criterion.value)
        if value is None or not RATING_MIN <= value <= RATING_MAX:
            raise ServiceError(_("Rate from 1 to 5."), field=f"rating_{criterion.value}")
    if recommendation not in Recommendation.values:
        raise ServiceError(_("Choose a recommendation."), field="recommendation")


@transaction.atomic
def scorecard_submit(
    *,
    interview: Interview,
    interviewer: AbstractBaseUser,
    ratings: dict[str, int],
    recommendation: int,
    comment: str = "",
) -> Scorecard:
    interview = (
        Interview.objects.select_for_update(of=("self",))
        .select_related("kind", "application__applicant")
        .get(pk=interview.pk)
    )
    if interview.status in UNSCORED:
        raise ServiceError(
            _("This interview was %(status)s: there is nothing to score.")
            % {"status": interview.get_status_display().lower()}
        )
    if not interview.interviewers.filter(pk=interviewer.pk).exists():
        raise ServiceError(_("Only the interview's interviewers submit scorecards."))
    if interview.starts_at > timezone.now():
        raise ServiceError(_("The interview has not started yet."))
    _check_scores(ratings, recommendation)
    if Scorecard.objects.filter(interview=interview, interviewer=interviewer).exists():
        raise ServiceError(_("Your scorecard is in already: add an amendment instead."))
    try:
        with transaction.atomic():
            scorecard = Scorecard.objects.create(
                interview=interview,
                interviewer=interviewer,
                recommendation=recommendation,
                comment=comment.strip(),
            )
    except IntegrityError as error:
        # Two submissions at once: the first one stands.
        raise ServiceError(_("Your scorecard is in already: add an amendment instead.")) from error
    ScorecardRating.objects.bulk_create(
        ScorecardRating(scorecard=scorecard, criterion=criterion, rating=value)
        for criterion, value in sorted(ratings.items())
    )
    # The timeline says that one was submitted, never what it says: interviewers read
    # the timeline, and scorecards stay hidden from them until they submit their own.
    record_activity(
        applicant=interview.application.applicant,
        application=interview.application,
        kind=Activity.Kind.SCORECARD_SUBMITTED,
        actor=interviewer,
        body=interview.kind.name,
    )
    return scorecard


@transaction.atomic
def scorecard_amend(
    *, scorecard: Scorecard, author: AbstractBaseUser, body: str
) -> ScorecardAmendment:
    if scorecard.interviewer_id != author.pk:
        raise ServiceError(_("Only the scorecard's author amends it."))
    if not body.strip():
        raise ServiceError(_("Write what you add."), field="body")
    amendment = ScorecardAmendment.objects.create(
        scorecard=scorecard, author=author, body=body.strip()
    )
    interview = scorecard.interview
    record_activity(
        applicant=interview.application.applicant,
        application=interview.application,
        kind=Activity.Kind.SCORECARD_AMENDED,
        actor=author,
        body=interview.kind.name,
    )
    return amendment
