"""Interviews: when and where an application's interviews happen, who holds them, and
the interviewers' scorecards."""

import uuid
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from recruitment.models import RATING_MAX, RATING_MIN, Activity, Application
from recruitment.validators import no_control_characters


class InterviewKind(models.Model):
    """Phone screen, technical, culture, final, ...: named by the admins, each with the
    mail the candidate gets with the invitation (like the stage e-mails)."""

    name = models.CharField(
        _("name"), max_length=100, unique=True, validators=[no_control_characters]
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    duration_minutes = models.PositiveSmallIntegerField(_("usual length (minutes)"), default=60)
    is_active = models.BooleanField(
        _("offered"),
        default=True,
        help_text=_("Unticked: kept on old interviews, no longer offered."),
    )
    subject = models.CharField(_("candidate's e-mail subject"), max_length=200)
    body = models.TextField(
        _("candidate's e-mail body"),
        help_text=_(
            "Plain text; $first_name, $last_name, $vacancy, $kind, $when, $where are filled in."
        ),
    )

    class Meta:
        verbose_name = _("interview kind")
        verbose_name_plural = _("interview kinds")
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.name


def new_uid() -> str:
    return f"{uuid.uuid4()}@rms"


class Interview(models.Model):
    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("Scheduled")
        DONE = "done", _("Done")
        CANCELLED = "cancelled", _("Cancelled")
        NO_SHOW = "no_show", _("No-show")

    # The calendar event's UID: fixed for the interview's life, so every mail about it
    # (a new time, a cancellation) updates the same event in the recipients' calendars.
    uid = models.CharField(
        _("calendar UID"), max_length=100, unique=True, default=new_uid, editable=False
    )
    # RFC 5545 SEQUENCE: one more on each change sent out, or calendars ignore the update.
    sequence = models.PositiveIntegerField(_("revision"), default=0, editable=False)
    application = models.ForeignKey(
        Application,
        verbose_name=_("application"),
        on_delete=models.CASCADE,
        related_name="interviews",
    )
    kind = models.ForeignKey(
        InterviewKind, verbose_name=_("kind"), on_delete=models.PROTECT, related_name="interviews"
    )
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    # The zone the time was given in: the invitation carries it, so calendars abroad and
    # across a daylight-saving change show the time the recruiter meant.
    time_zone = models.CharField(_("time zone"), max_length=64, default=settings.TIME_ZONE)
    location = models.CharField(
        _("location"), max_length=200, blank=True, validators=[no_control_characters]
    )
    video_link = models.URLField(_("video link"), blank=True)
    interviewers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("interviewers"), related_name="interviews"
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.SCHEDULED
    )
    # Set once the day-before reminders are queued; a new time clears it.
    reminded_at = models.DateTimeField(_("reminded"), null=True, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("scheduled by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("interview")
        verbose_name_plural = _("interviews")
        ordering = ["starts_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")),
                name="interview_ends_after_start",
                violation_error_message=_("An interview ends after it starts."),
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=["scheduled", "done", "cancelled", "no_show"]),
                name="interview_status_valid",
            ),
        ]
        indexes = [
            # The calendar week (interviews starting in a week) and "My interviews"'
            # upcoming/past split, both ranges over the start.
            models.Index(fields=["starts_at"], name="interview_starts_idx"),
            # The hourly reminder run: scheduled interviews starting within a day.
            models.Index(
                fields=["starts_at"],
                condition=models.Q(status="scheduled", reminded_at__isnull=True),
                name="interview_reminder_due_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} · {self.application.applicant}"

    @property
    def is_cancelled(self) -> bool:
        return self.status == self.Status.CANCELLED

    @property
    def local_start(self):
        return self.starts_at.astimezone(ZoneInfo(self.time_zone))

    @property
    def local_end(self):
        return self.ends_at.astimezone(ZoneInfo(self.time_zone))

    @property
    def when_text(self) -> str:
        """'2026-12-10 10:00-11:00 (Europe/Warsaw)': the time as the recruiter gave it."""
        start, end = self.local_start, self.local_end
        end_format = "%H:%M" if end.date() == start.date() else "%Y-%m-%d %H:%M"
        return f"{start:%Y-%m-%d %H:%M}-{end.strftime(end_format)} ({self.time_zone})"

    @property
    def where_text(self) -> str:
        return " · ".join(part for part in (self.location, self.video_link) if part)


class Recommendation(models.IntegerChoices):
    STRONG_NO = 1, _("Strong no")
    NO = 2, _("No")
    YES = 3, _("Yes")
    STRONG_YES = 4, _("Strong yes")


class Scorecard(models.Model):
    """One interviewer's verdict on one interview. Written once, when submitted; later
    thoughts are amendments beside it."""

    interview = models.ForeignKey(
        Interview, verbose_name=_("interview"), on_delete=models.CASCADE, related_name="scorecards"
    )
    interviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("interviewer"),
        on_delete=models.PROTECT,
        related_name="scorecards",
    )
    recommendation = models.PositiveSmallIntegerField(
        _("recommendation"), choices=Recommendation.choices
    )
    comment = models.TextField(_("comment"), blank=True)
    submitted_at = models.DateTimeField(_("submitted"), default=timezone.now)

    class Meta:
        verbose_name = _("scorecard")
        verbose_name_plural = _("scorecards")
        ordering = ["submitted_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["interview", "interviewer"],
                name="scorecard_one_per_interviewer",
                violation_error_message=_("You have submitted your scorecard for this interview."),
            ),
            models.CheckConstraint(
                condition=models.Q(recommendation__gte=1, recommendation__lte=4),
                name="scorecard_recommendation_range",
            ),
        ]
        indexes = [
            # "Scorecards owed" and blindness: has this interviewer submitted one?
            models.Index(fields=["interviewer", "interview"], name="scorecard_interviewer_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.interviewer} · {self.interview}"


class ScorecardRating(models.Model):
    """A scorecard's mark on one of the rating criteria the applicant page uses."""

    scorecard = models.ForeignKey(
        Scorecard, verbose_name=_("scorecard"), on_delete=models.CASCADE, related_name="ratings"
    )
    criterion = models.CharField(_("criterion"), max_length=20, choices=Activity.Criterion.choices)
    rating = models.PositiveSmallIntegerField(_("rating"))

    class Meta:
        verbose_name = _("scorecard rating")
        verbose_name_plural = _("scorecard ratings")
        ordering = ["scorecard", "criterion"]
        constraints = [
            models.UniqueConstraint(
                fields=["scorecard", "criterion"], name="scorecard_rating_one_per_criterion"
            ),
            models.CheckConstraint(
                condition=models.Q(rating__gte=RATING_MIN, rating__lte=RATING_MAX),
                name="scorecard_rating_range",
                violation_error_message=_("A rating is from 1 to 5."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_criterion_display()}: {self.rating}"


class ScorecardAmendment(models.Model):
    """An addition to a submitted scorecard, which itself stays as it was submitted."""

    scorecard = models.ForeignKey(
        Scorecard, verbose_name=_("scorecard"), on_delete=models.CASCADE, related_name="amendments"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.PROTECT, related_name="+"
    )
    body = models.TextField(_("text"))
    created_at = models.DateTimeField(_("when"), default=timezone.now)

    class Meta:
        verbose_name = _("scorecard amendment")
        verbose_name_plural = _("scorecard amendments")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.author} · {self.created_at:%Y-%m-%d %H:%M}"
