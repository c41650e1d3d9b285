"""The careers site: what a recruiter publishes, and what a candidate sends and agrees to.

Recruitment's own tables stay as they are: a Posting hangs off a Vacancy, a Submission
off the Application it created.
"""

import uuid
from pathlib import PurePath

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def submission_cv_upload_to(instance: "Submission", filename: str) -> str:
    # A random name, as recruitment's CVs: an upload's own name is neither trusted nor
    # guessable.
    return f"careers-cv/{uuid.uuid4().hex}{PurePath(filename).suffix.lower()}"


class Seniority(models.TextChoices):
    JUNIOR = "junior", _("Junior")
    MID = "mid", _("Mid")
    SENIOR = "senior", _("Senior")
    LEAD = "lead", _("Lead")


class Contract(models.TextChoices):
    EMPLOYMENT = "employment", _("Employment contract")
    B2B = "b2b", _("B2B contract")
    MANDATE = "mandate", _("Contract of mandate")
    INTERNSHIP = "internship", _("Internship")


# schema.org JobPosting's employmentType for each contract.
EMPLOYMENT_TYPES = {
    Contract.EMPLOYMENT: "FULL_TIME",
    Contract.B2B: "CONTRACTOR",
    Contract.MANDATE: "TEMPORARY",
    Contract.INTERNSHIP: "INTERN",
}


class Posting(models.Model):
    """A vacancy as the careers site shows it, once a recruiter publishes it."""

    vacancy = models.OneToOneField(
        "recruitment.Vacancy",
        verbose_name=_("vacancy"),
        on_delete=models.CASCADE,
        related_name="posting",
    )
    slug = models.SlugField(_("address"), max_length=120, unique=True)
    is_published = models.BooleanField(_("published"), default=False)
    seniority = models.CharField(_("seniority"), max_length=20, choices=Seniority.choices)
    contract = models.CharField(_("contract"), max_length=20, choices=Contract.choices)
    # Set when first published; a posting that has one and is no longer shown answers 410.
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated"), default=timezone.now)

    class Meta:
        verbose_name = _("posting")
        verbose_name_plural = _("postings")
        ordering = ["-published_at", "-id"]
        indexes = [
            # The careers list and its feed: published postings, newest first.
            models.Index(
                fields=["-published_at", "-id"],
                condition=models.Q(is_published=True),
                name="posting_published_idx",
            ),
        ]

    def __str__(self) -> str:
        return self.slug

    @property
    def is_live(self) -> bool:
        return self.is_published and self.vacancy.is_open


class Submission(models.Model):
    """What a candidate sent through the careers site, beside the Application it made."""

    application = models.OneToOneField(
        "recruitment.Application",
        verbose_name=_("application"),
        on_delete=models.CASCADE,
        related_name="careers_submission",
    )
    submitted_at = models.DateTimeField(_("submitted"), default=timezone.now)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    # The candidate's mails (confirmation, thank-you) are written in it.
    language = models.CharField(_("language"), max_length=10)
    message = models.TextField(_("message"), blank=True)
    # For a known e-mail the recruiters' record is never overwritten: the values the
    # candidate typed that differ from it are kept here ("the candidate now says").
    candidate_says = models.JSONField(_("the candidate now says"), default=dict, blank=True)
    # A CV sent by a candidate whose record has one already (the recruiters' stays).
    cv = models.FileField(_("CV sent"), upload_to=submission_cv_upload_to, blank=True)
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    # Apply with LinkedIn: the profile picture LinkedIn gave (the form has no field for it).
    linkedin_picture = models.URLField(
        _("LinkedIn picture"), max_length=1000, blank=True, default="", db_default=""
    )

    class Meta:
        verbose_name = _("careers submission")
        verbose_name_plural = _("careers submissions")
        ordering = ["-submitted_at", "-id"]

    def __str__(self) -> str:
        return str(self.application)


class Consent(models.Model):
    """One consent a candidate gave, with the words they saw, when and from where."""

    class Purpose(models.TextChoices):
        PROCESSING = "processing", _("Processing for this vacancy")
        FUTURE_OPENINGS = "future_openings", _("Keeping the data for future openings")

    submission = models.ForeignKey(
        Submission, verbose_name=_("submission"), on_delete=models.CASCADE, related_name="consents"
    )
    applicant = models.ForeignKey(
        "recruitment.Applicant",
        verbose_name=_("applicant"),
        on_delete=models.CASCADE,
        related_name="careers_consents",
    )
    purpose = models.CharField(_("purpose"), max_length=30, choices=Purpose.choices)
    wording_version = models.CharField(_("wording version"), max_length=20)
    wording = models.TextField(_("wording"))
    given_at = models.DateTimeField(_("given"), default=timezone.now)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    # Future openings only: until when the data may be kept.
    valid_until = models.DateTimeField(_("valid until"), null=True, blank=True)

    class Meta:
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        ordering = ["-given_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["submission", "purpose"], name="consent_one_per_purpose"
            ),
        ]
        indexes = [
            # An applicant's consents (the privacy work reads them per person).
            models.Index(fields=["applicant", "purpose"], name="consent_applicant_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_purpose_display()} ({self.wording_version})"
