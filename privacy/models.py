"""Personal data under the GDPR: legal bases, retention rules, subject requests, access log.

Recruitment's and careers' tables stay as they are: the careers site's consents
(careers.Consent) are one kind of legal basis, and those recorded by hand live here.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class LegalBasis(models.Model):
    """Why RMS may hold an applicant's data, as a recruiter recorded it (applicants entered
    by hand; the careers site records its consents itself)."""

    class Basis(models.TextChoices):
        CONSENT = "consent", _("Consent")
        LEGITIMATE_INTEREST = "legitimate_interest", _("Legitimate interest for a vacancy")
        CONTRACT = "contract", _("Contract")

    class Purpose(models.TextChoices):
        # The same values as careers.Consent.Purpose: one vocabulary for both.
        PROCESSING = "processing", _("Processing for a vacancy")
        FUTURE_OPENINGS = "future_openings", _("Keeping the data for future openings")

    class Source(models.TextChoices):
        EMAIL = "email", _("E-mail")
        PHONE = "phone", _("Phone call")
        IN_PERSON = "in_person", _("In person")
        DOCUMENT = "document", _("Signed document")
        OTHER = "other", _("Other")

    applicant = models.ForeignKey(
        "recruitment.Applicant",
        verbose_name=_("applicant"),
        on_delete=models.CASCADE,
        related_name="legal_bases",
    )
    basis = models.CharField(_("legal basis"), max_length=30, choices=Basis.choices)
    purpose = models.CharField(_("purpose"), max_length=30, choices=Purpose.choices)
    vacancy = models.ForeignKey(
        "recruitment.Vacancy",
        verbose_name=_("vacancy"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    wording_version = models.CharField(_("wording version"), max_length=20, blank=True)
    given_at = models.DateTimeField(_("given"), default=timezone.now)
    source = models.CharField(_("source"), max_length=20, choices=Source.choices)
    valid_until = models.DateTimeField(_("valid until"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded"), default=timezone.now)

    class Meta:
        verbose_name = _("legal basis")
        verbose_name_plural = _("legal bases")
        ordering = ["-given_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(basis="legitimate_interest") | models.Q(vacancy__isnull=False),
                name="legal_basis_interest_names_vacancy",
                violation_error_message=_("A legitimate interest is for one vacancy: choose it."),
            ),
            models.CheckConstraint(
                condition=~models.Q(purpose="future_openings") | models.Q(basis="consent"),
                name="legal_basis_future_needs_consent",
                violation_error_message=_("Only a consent lets us keep data for future openings."),
            ),
            models.CheckConstraint(
                condition=models.Q(valid_until__isnull=True)
                | models.Q(valid_until__gt=models.F("given_at")),
                name="legal_basis_expires_after_given",
                violation_error_message=_("The expiry must come after the day it was given."),
            ),
        ]
        indexes = [
            # The list's "expiring" and "no valid basis" filters and the nightly job's
            # reminders look bases up by applicant, purpose and expiry.
            models.Index(
                fields=["applicant", "purpose", "valid_until"], name="legal_basis_applicant_idx"
            ),
            # The nightly job's look for consents expiring soon, across everyone.
            models.Index(fields=["purpose", "valid_until"], name="legal_basis_expiry_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_basis_display()}: {self.get_purpose_display()}"


class RetentionRule(models.Model):
    """How long data are kept once an applicant's recruitment is over (admin-edited)."""

    class Case(models.TextChoices):
        CLOSED = "closed", _("Rejected or withdrawn, without a future-openings consent")
        FUTURE_CONSENT = "future_consent", _("With a future-openings consent")
        HIRED = "hired", _("Hired")

    case = models.CharField(_("case"), max_length=20, choices=Case.choices, unique=True)
    months = models.PositiveSmallIntegerField(
        _("months"),
        help_text=_("Counted from the last close, the consent's end or the hire."),
    )
    is_active = models.BooleanField(
        _("active"), default=True, help_text=_("Unticked: nobody in this case is anonymised.")
    )

    class Meta:
        verbose_name = _("retention rule")
        verbose_name_plural = _("retention rules")
        ordering = ["case"]

    def __str__(self) -> str:
        return str(self.get_case_display())


class RenewalReminder(models.Model):
    """A renewal link mailed for one consent's expiry: the nightly job asks only once."""

    applicant = models.ForeignKey(
        "recruitment.Applicant",
        verbose_name=_("applicant"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    careers_consent = models.ForeignKey(
        "careers.Consent",
        verbose_name=_("careers consent"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    legal_basis = models.ForeignKey(
        LegalBasis,
        verbose_name=_("legal basis"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="reminders",
    )
    # The expiry it was about: a renewed consent expires later and is asked about again.
    valid_until = models.DateTimeField(_("expiry"))
    sent_at = models.DateTimeField(_("sent"), default=timezone.now)

    class Meta:
        verbose_name = _("renewal reminder")
        verbose_name_plural = _("renewal reminders")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(careers_consent__isnull=True, legal_basis__isnull=False)
                | models.Q(careers_consent__isnull=False, legal_basis__isnull=True),
                name="renewal_reminder_one_consent",
            ),
            models.UniqueConstraint(
                fields=["careers_consent", "valid_until"], name="renewal_reminder_careers_once"
            ),
            models.UniqueConstraint(
                fields=["legal_basis", "valid_until"], name="renewal_reminder_basis_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.applicant_id} · {self.valid_until:%Y-%m-%d}"


class SubjectRequest(models.Model):
    """A candidate's request about their data, verified by e-mail, in the admins' queue."""

    class Kind(models.TextChoices):
        EXPORT = "export", _("A copy of my data")
        ERASE = "erase", _("Erase my data")
        RESTRICT = "restrict", _("Restrict the processing of my data")

    class Status(models.TextChoices):
        # Words other pages use too, with another sense in Polish.
        OPEN = "open", pgettext_lazy("subject request", "Open")
        DONE = "done", pgettext_lazy("subject request", "Done")
        REFUSED = "refused", pgettext_lazy("subject request", "Refused")

    kind = models.CharField(_("request"), max_length=20, choices=Kind.choices)
    email = models.EmailField(_("e-mail"))
    # The record with this e-mail when the request was verified; none for a stranger.
    applicant = models.ForeignKey(
        "recruitment.Applicant",
        verbose_name=_("applicant"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="subject_requests",
    )
    message = models.TextField(_("message"), blank=True)
    received_at = models.DateTimeField(_("received"), default=timezone.now)
    # The GDPR gives a month to answer.
    due_at = models.DateTimeField(_("answer by"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("handled by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    handled_at = models.DateTimeField(_("handled"), null=True, blank=True)
    answer = models.TextField(_("answer"), blank=True)

    class Meta:
        verbose_name = _("data subject request")
        verbose_name_plural = _("data subject requests")
        ordering = ["due_at", "id"]
        indexes = [
            # The admins' queue: open requests, the most urgent first.
            models.Index(fields=["status", "due_at"], name="subject_request_queue_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.email})"


class AccessLogEntry(models.Model):
    """Someone looked at an applicant's data: the record, the CV, an export."""

    class Action(models.TextChoices):
        VIEW = "view", _("Viewed the record")
        CV = "cv", _("Downloaded the CV")
        API = "api", _("Read the record through the API")
        EXPORT = "export", _("Exported the data")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("who"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Indexed by access_log_applicant_idx, whose first column it is.
    applicant = models.ForeignKey(
        "recruitment.Applicant",
        verbose_name=_("applicant"),
        on_delete=models.CASCADE,
        related_name="+",
        db_index=False,
    )
    action = models.CharField(_("what"), max_length=10, choices=Action.choices)
    at = models.DateTimeField(_("when"), default=timezone.now)

    class Meta:
        verbose_name = _("access log entry")
        verbose_name_plural = _("access log")
        ordering = ["-at", "-id"]
        indexes = [
            # An applicant's access log, newest first (and the export's "who viewed it").
            models.Index(fields=["applicant", "-at"], name="access_log_applicant_idx"),
            # A user's access log, newest first.
            models.Index(fields=["user", "-at"], name="access_log_user_idx"),
            # The nightly prune of entries older than the kept period.
            models.Index(fields=["at"], name="access_log_at_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_action_display()} · {self.applicant_id}"
