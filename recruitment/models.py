"""The recruitment domain: applicants, vacancies, applications and their timeline."""

import hashlib
import string
import uuid
from pathlib import PurePath

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from recruitment.validators import no_control_characters

SEARCH_CONFIG = "simple"
SEARCH_FIELDS = ("first_name", "last_name", "email", "phone", "phone_key", "cv_text")
BIRTH_YEAR_MIN = 1930
BIRTH_YEAR_MAX = 2015
EXPERIENCE_MAX = 60
RATING_MIN = 1
RATING_MAX = 5


class Stage(models.TextChoices):
    """The pipeline, in order. An open application is at exactly one stage."""

    APPLICATION = "application", _("Application")
    CONFIRMATION = "confirmation", _("Confirmation")
    VERIFICATION = "verification", _("Verification")
    INTERVIEW = "interview", _("Interview")
    DECISION = "decision", _("Decision")
    EMPLOYMENT = "employment", _("Employment")

    @classmethod
    def after(cls, stage: str) -> "Stage | None":
        order = list(cls)
        index = order.index(cls(stage))
        return order[index + 1] if index + 1 < len(order) else None


class CloseReason(models.TextChoices):
    REJECTED = "rejected", _("Rejected")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class ClosingReason(models.Model):
    """Why applications are closed, as the admins word it, each under one CloseReason.

    The group stays on the application as `close_reason` (what reports, the API and the
    constraints rely on); the reason adds the detail recruiters pick and filter by.
    """

    name = models.CharField(_("name"), max_length=100, unique=True)
    group = models.CharField(_("group"), max_length=20, choices=CloseReason.choices)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    is_active = models.BooleanField(
        _("offered"), default=True, help_text=_("Unticked: kept on old records, no longer offered.")
    )
    # Recruiters read the reason in their own language: the admins word it in both.
    name_pl = models.CharField(
        _("name in Polish"),
        max_length=100,
        blank=True,
        default="",
        db_default="",
        help_text=_("Shown to users working in Polish; empty: the name above."),
    )

    class Meta:
        verbose_name = _("closing reason")
        verbose_name_plural = _("closing reasons")
        ordering = ["group", "position", "name"]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        """The name in the active language."""
        if get_language() == "pl" and self.name_pl:
            return self.name_pl
        return self.name


class NamedLookup(models.Model):
    name = models.CharField(
        _("name"), max_length=100, unique=True, validators=[no_control_characters]
    )

    class Meta:
        abstract = True
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class City(NamedLookup):
    class Meta(NamedLookup.Meta):
        verbose_name = _("city")
        verbose_name_plural = _("cities")


class Source(NamedLookup):
    class Meta(NamedLookup.Meta):
        verbose_name = _("source")
        verbose_name_plural = _("sources")


class Tag(NamedLookup):
    class Meta(NamedLookup.Meta):
        verbose_name = _("tag")
        verbose_name_plural = _("tags")


class Vacancy(models.Model):
    title = models.CharField(_("title"), max_length=200, validators=[no_control_characters])
    cities = models.ManyToManyField(City, blank=True, related_name="vacancies")
    description = models.TextField(_("description"), blank=True, help_text=_("Sanitized HTML."))
    # The careers site's Polish; the recruiters' own pages keep the English title.
    title_pl = models.CharField(
        _("title in Polish"),
        max_length=200,
        blank=True,
        default="",
        db_default="",
        validators=[no_control_characters],
        help_text=_("Shown on the Polish careers site; the English title when empty."),
    )
    description_pl = models.TextField(
        _("description in Polish"),
        blank=True,
        default="",
        db_default="",
        help_text=_("Sanitized HTML. The English description when empty."),
    )
    is_open = models.BooleanField(_("open"), default=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    interviewers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("interviewers"),
        blank=True,
        related_name="assigned_vacancies",
        help_text=_("People in the interviewers group see this vacancy's applicants."),
    )
    recruiters = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recruiters"),
        blank=True,
        related_name="recruiting_vacancies",
        help_text=_("The recruiters in charge: their dashboard lists this vacancy's work."),
    )

    class Meta:
        verbose_name = _("vacancy")
        verbose_name_plural = _("vacancies")
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title

    @property
    def public_title(self) -> str:
        """The title for a candidate, in the active language (the English one when the
        Polish is not filled in)."""
        return self._in_active_language(self.title, self.title_pl)

    @property
    def public_description(self) -> str:
        return self._in_active_language(self.description, self.description_pl)

    @staticmethod
    def _in_active_language(english: str, polish: str) -> str:
        language = (get_language() or "").split("-")[0]
        return polish if language == "pl" and polish.strip() else english


PHONE_KEY_MIN_DIGITS = 7


def phone_key(phone: str) -> str:
    """The last nine digits: "+48 600-123-456" and "600123456" are the same phone.

    Empty for fewer than PHONE_KEY_MIN_DIGITS digits: "1" or "112" is no phone number,
    and matching on it would call strangers duplicates.
    """
    digits = "".join(character for character in phone if character in string.digits)
    if len(digits) < PHONE_KEY_MIN_DIGITS:
        return ""
    return digits[-9:]


def cv_upload_to(instance: "Applicant", filename: str) -> str:
    # A random name: an uploaded file's own name is neither trusted nor guessable.
    return f"cv/{uuid.uuid4().hex}{PurePath(filename).suffix.lower()}"


class Applicant(models.Model):
    first_name = models.CharField(
        _("first name"), max_length=100, validators=[no_control_characters]
    )
    last_name = models.CharField(_("last name"), max_length=100, validators=[no_control_characters])
    email = models.EmailField(_("e-mail"))
    phone = models.CharField(
        _("phone number"), max_length=32, blank=True, validators=[no_control_characters]
    )
    # The phone's last nine digits, whatever the spacing or country prefix: duplicates
    # are found by it. Kept by save() (and by seed_demo's bulk inserts).
    phone_key = models.CharField(max_length=9, blank=True, editable=False)
    # Indexed by applicant_city_filters_idx, which leads with it.
    city = models.ForeignKey(
        City,
        verbose_name=_("city"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        db_index=False,
    )
    birth_year = models.PositiveSmallIntegerField(_("birth year"), null=True, blank=True)
    experience_years = models.PositiveSmallIntegerField(_("years of experience"), default=0)
    current_work = models.CharField(
        _("current work"),
        max_length=200,
        blank=True,
        help_text=_("Empty when not working."),
        validators=[no_control_characters],
    )
    source = models.ForeignKey(
        Source, verbose_name=_("source"), null=True, blank=True, on_delete=models.PROTECT
    )
    tags = models.ManyToManyField(
        Tag, verbose_name=_("tags"), blank=True, related_name="applicants"
    )
    linkedin_url = models.URLField(_("LinkedIn profile"), blank=True)
    cv = models.FileField(_("CV"), upload_to=cv_upload_to, blank=True)
    # The CV's words for the search, read after upload (services.applicant_cv_text_extract).
    cv_text = models.TextField(_("CV text"), blank=True, editable=False)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    # Denormalised from the timeline by the services, so the list can sort and filter
    # on it without aggregating activities per row.
    latest_activity_at = models.DateTimeField(_("latest activity"), default=timezone.now)
    # Kept by the services like latest_activity_at: the list shows and sorts by it.
    notes_count = models.PositiveIntegerField(_("notes"), default=0)
    # A duplicate merged into another record keeps its row, pointing at the survivor.
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("merged into"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.PROTECT,
        related_name="merged_from",
    )
    # Set by the privacy app (privacy/services/): a restricted record is kept but frozen,
    # out of searches and mails; an anonymised one has no personal data left. Either way
    # record_activity refuses every change but privacy's own.
    restricted_at = models.DateTimeField(_("restricted"), null=True, blank=True, editable=False)
    anonymised_at = models.DateTimeField(_("anonymised"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("applicant")
        verbose_name_plural = _("applicants")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                Lower("email"),
                name="applicant_email_ci_unique",
                violation_error_message=_("An applicant with this e-mail already exists."),
            ),
            models.CheckConstraint(
                condition=models.Q(birth_year__isnull=True)
                | models.Q(birth_year__gte=BIRTH_YEAR_MIN, birth_year__lte=BIRTH_YEAR_MAX),
                name="applicant_birth_year_range",
                violation_error_message=_("Birth year must be between %(min)s and %(max)s.")
                % {"min": BIRTH_YEAR_MIN, "max": BIRTH_YEAR_MAX},
            ),
            models.CheckConstraint(
                condition=models.Q(experience_years__lte=EXPERIENCE_MAX),
                name="applicant_experience_range",
                violation_error_message=_("Experience must be between 0 and %(max)s years.")
                % {"max": EXPERIENCE_MAX},
            ),
        ]
        indexes = [
            # The list's default order and its "created" date-range filter.
            models.Index(fields=["-created_at", "-id"], name="applicant_created_idx"),
            # Sort by and filter on the latest activity date.
            models.Index(fields=["-latest_activity_at", "-id"], name="applicant_activity_idx"),
            # The city filter, and the filtered counts: a city's applicants in id order
            # (merged with a tag's, see AllTagsFilter) with their experience and age
            # ranges read from the index alone (PostgreSQL; the included columns are
            # left out elsewhere). Also the city's foreign key.
            models.Index(
                fields=["city", "id"],
                include=["experience_years", "birth_year"],
                name="applicant_city_filters_idx",
            ),
            # Age range filter (birth year) and experience range filter.
            models.Index(fields=["birth_year"], name="applicant_birth_year_idx"),
            models.Index(fields=["experience_years"], name="applicant_experience_idx"),
            # Sort by name on SQLite; PostgreSQL sorts in Polish order, served by
            # applicant_name_pl_idx (migration 0010, PostgreSQL only: the collation is an
            # ICU one that SQLite only gets per connection).
            models.Index(fields=["last_name", "first_name"], name="applicant_name_idx"),
            # Duplicate detection by phone number.
            models.Index(fields=["phone_key"], name="applicant_phone_key_idx"),
            # Free-text search reads ApplicantSearchDocument's GIN index. The previous
            # release read applicant_search_idx, a GIN index over the unaccented
            # SEARCH_FIELDS (recruitment.search.applicant_search_vector), kept until the
            # next release drops it (docs/deploy-migrations.md). It is made by migrations
            # 0003, 0010 and 0017 on PostgreSQL only and is not declared here: SQLite
            # cannot build it, nor rebuild this table while the model state carries it.
        ]

    def __str__(self) -> str:
        return self.full_name

    def save(self, *args, **kwargs):
        self.phone_key = phone_key(self.phone)
        if kwargs.get("update_fields") is not None and "phone" in kwargs["update_fields"]:
            kwargs["update_fields"] = {*kwargs["update_fields"], "phone_key"}
        super().save(*args, **kwargs)

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    @property
    def is_frozen(self) -> bool:
        """Restricted or anonymised: readable, never changed again (but by privacy)."""
        return self.restricted_at is not None or self.anonymised_at is not None

    @property
    def age(self) -> int | None:
        if self.birth_year is None:
            return None
        return timezone.localdate().year - self.birth_year


class Application(models.Model):
    """An applicant for a vacancy, at one stage of the pipeline or closed."""

    # Indexed by application_applicant_idx, which leads with it.
    applicant = models.ForeignKey(
        Applicant,
        verbose_name=_("applicant"),
        on_delete=models.CASCADE,
        related_name="applications",
        db_index=False,
    )
    vacancy = models.ForeignKey(
        Vacancy, verbose_name=_("vacancy"), on_delete=models.PROTECT, related_name="applications"
    )
    stage = models.CharField(
        _("stage"), max_length=20, choices=Stage.choices, default=Stage.APPLICATION
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    stage_changed_at = models.DateTimeField(_("stage changed"), default=timezone.now)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    close_reason = models.CharField(
        _("close reason"), max_length=20, choices=CloseReason.choices, blank=True
    )
    closing_reason = models.ForeignKey(
        ClosingReason,
        verbose_name=_("closing reason"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="applications",
    )
    close_note = models.TextField(_("close note"), blank=True)

    class Meta:
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["applicant", "vacancy"],
                condition=models.Q(closed_at__isnull=True),
                name="application_one_open_per_vacancy",
                violation_error_message=_("This applicant already has an open application here."),
            ),
            models.CheckConstraint(
                condition=models.Q(stage__in=Stage.values),
                name="application_stage_valid",
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(closed_at__isnull=True, close_reason="")
                    | models.Q(closed_at__isnull=False, close_reason__in=CloseReason.values)
                ),
                name="application_closed_has_reason",
                violation_error_message=_("A closed application needs a reason, an open one none."),
            ),
        ]
        indexes = [
            # A stage tab in its default order (newest first), and the filtered stage
            # counts: open applications by stage.
            models.Index(
                fields=["stage", "-created_at", "-id"],
                condition=models.Q(closed_at__isnull=True),
                name="application_open_stage_idx",
            ),
            # The Closed tab in its default order (newest first).
            models.Index(
                fields=["-created_at", "-id"],
                condition=models.Q(closed_at__isnull=False),
                name="application_closed_created_idx",
            ),
            # The vacancy filter and a vacancy's pipeline.
            models.Index(fields=["vacancy", "stage"], name="application_vacancy_idx"),
            # Filtered stage counts over applicant-side filters (tags, city, experience):
            # each matching applicant's applications are counted per stage from the
            # index alone (PostgreSQL). Also an applicant's applications and the
            # foreign key's cascade.
            models.Index(
                fields=["applicant"],
                include=["stage", "closed_at"],
                name="application_applicant_idx",
            ),
            # The applicant list's default order, newest first, over the open applications
            # it shows: deep pages skip rows in this index alone.
            models.Index(
                fields=["-created_at", "-id"],
                condition=models.Q(closed_at__isnull=True),
                name="application_open_created_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.applicant} - {self.vacancy} ({self.status_label})"

    @property
    def is_closed(self) -> bool:
        return self.closed_at is not None

    @property
    def status_label(self) -> str:
        label = CloseReason(self.close_reason).label if self.is_closed else Stage(self.stage).label
        return str(label)

    @property
    def closed_because(self) -> str:
        """The closing reason's name, or the group's label for one closed without it."""
        if not self.is_closed:
            return ""
        if self.closing_reason_id:
            return self.closing_reason.label
        return str(CloseReason(self.close_reason).label)


class ApplicationCount(models.Model):
    """How many applications are open at each stage, and how many are closed: the stage
    tabs' counts when nothing is filtered, read in one small query instead of counting
    every application on each page load.

    On PostgreSQL, triggers on the application table keep these rows (migration
    0023_application_counts), so every write is counted, the services' as well as bulk
    inserts, cascades from a deleted applicant and the admin; a TRUNCATE empties them.
    SQLite, the first-look database, has no such triggers and is counted directly.
    """

    # A stage's value, or CLOSED_KEY for the closed applications.
    key = models.CharField(max_length=20, primary_key=True)
    count = models.BigIntegerField(default=0)

    CLOSED_KEY = "closed"

    class Meta:
        verbose_name = _("application count")
        verbose_name_plural = _("application counts")

    def __str__(self) -> str:
        return f"{self.key}: {self.count}"


class TagStageCount(models.Model):
    """How many applications of applicants with a tag are open at each stage, and how
    many are closed: the stage tabs' counts of a list filtered by that one tag (and a
    saved view's badge), read from a few rows instead of counting every tagged
    applicant's applications (167,000 of them for the commonest tag at a million).

    Kept on PostgreSQL by triggers on the applications and on the applicants' tags
    (migration 0032_tag_stage_counts), in the writer's transaction, like
    ApplicationCount; SQLite counts directly. A deleted tag leaves rows of zeros.
    """

    # Not a foreign key: the triggers write these rows, and a tag's deletion needs no
    # cascade (its links' deletion has brought its counts to zero already).
    tag_id = models.BigIntegerField()
    # A stage's value, or ApplicationCount.CLOSED_KEY.
    key = models.CharField(max_length=20)
    count = models.BigIntegerField(default=0, db_default=0)

    class Meta:
        verbose_name = _("tag stage count")
        verbose_name_plural = _("tag stage counts")
        constraints = [
            models.UniqueConstraint(fields=["tag_id", "key"], name="tag_stage_count_key"),
        ]

    def __str__(self) -> str:
        return f"{self.tag_id} {self.key}: {self.count}"


class ApplicantTally(models.Model):
    """One row per applicant: the fields the list filters applicants by, copied, and how
    many of the applicant's applications are open at each stage and how many closed.

    A list filtered by those fields alone (city, source, experience, age, tags) counts
    its stage tabs from these rows: one index range per city, with the counts in the
    index, instead of reading each matching applicant's applications (118,000 of them
    for the largest city at a million applicants). Kept on PostgreSQL by triggers on the
    applicants and the applications (migration 0034_applicant_tallies), in the writer's
    transaction; SQLite has no rows and counts directly.
    """

    # Not a foreign key: the triggers write and delete these rows, never Django.
    applicant_id = models.BigIntegerField(primary_key=True)
    city_id = models.BigIntegerField(null=True)
    source_id = models.BigIntegerField(null=True)
    experience_years = models.PositiveSmallIntegerField(default=0)
    birth_year = models.PositiveSmallIntegerField(null=True)
    application = models.IntegerField(default=0, db_default=0)
    confirmation = models.IntegerField(default=0, db_default=0)
    verification = models.IntegerField(default=0, db_default=0)
    interview = models.IntegerField(default=0, db_default=0)
    decision = models.IntegerField(default=0, db_default=0)
    employment = models.IntegerField(default=0, db_default=0)
    closed = models.IntegerField(default=0, db_default=0)

    class Meta:
        verbose_name = _("applicant tally")
        verbose_name_plural = _("applicant tallies")
        indexes = [
            # A city's applicants in id order (merged with a tag's links, which come in
            # applicant order), the other filters and every count read from the index.
            models.Index(
                fields=["city_id", "applicant_id"],
                include=[
                    "source_id",
                    "experience_years",
                    "birth_year",
                    "application",
                    "confirmation",
                    "verification",
                    "interview",
                    "decision",
                    "employment",
                    "closed",
                ],
                name="applicant_tally_city_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"applicant {self.applicant_id}"


class ApplicantSearchDocument(models.Model):
    """Each applicant's searched text (SEARCH_FIELDS, the CV's text included) as the
    search index reads it, its words without their positions, kept by PostgreSQL
    (migration 0036_applicant_search_documents).

    Read where the search checks a few rows one by one instead of reading the index: the
    typeahead's 500 most recent applicants. Working the text out again there cost a
    quarter of a second with a CV's text on each (to_tsvector of 4 kB per row); read from
    here, about a millisecond. Triggers on the applicants keep the rows in the writer's
    transaction; SQLite has no rows and searches the text itself.
    """

    # Not a foreign key: the triggers write and delete these rows, never Django.
    applicant_id = models.BigIntegerField(primary_key=True)
    document = SearchVectorField()

    class Meta:
        verbose_name = _("applicant search document")
        verbose_name_plural = _("applicant search documents")

    def __str__(self) -> str:
        return f"applicant {self.applicant_id}"


# The typeahead trusts RecentSearchDocument for the applicants active within this many
# days; the triggers and the daily trim keep a day more, so that a clock a little off
# between the web server and the database never hides anyone.
RECENT_SEARCH_DAYS = 30


class RecentSearchDocument(models.Model):
    """The kept search words (ApplicantSearchDocument) of the applicants a search can find
    (neither merged nor restricted) who were active within RECENT_SEARCH_DAYS + 1 days,
    with their latest activity, kept by PostgreSQL (migrations 0039 and 0040).

    The typeahead reads its own GIN index first: a word that one applicant in a hundred
    has is 14,000 matches at a million applicants, but a fifth of that among the
    recently active, and their ten most recent are the answer whenever the tenth was
    active within RECENT_SEARCH_DAYS (everyone else was active before that). Triggers
    add, update and delete the rows in the writer's transaction; the daily
    `recent_search_documents_trim` task deletes the rows that have aged out. SQLite has
    no rows.
    """

    applicant_id = models.BigIntegerField(primary_key=True)
    latest_activity_at = models.DateTimeField()
    document = SearchVectorField()

    class Meta:
        verbose_name = _("recent applicant search document")
        verbose_name_plural = _("recent applicant search documents")

    def __str__(self) -> str:
        return f"applicant {self.applicant_id}"


class Activity(models.Model):
    """One entry of an applicant's timeline. Rows are added, never rewritten."""

    class Kind(models.TextChoices):
        NOTE = "note.added", _("Note")
        NOTE_EDITED = "note.edited", _("Note edited")
        NOTE_DELETED = "note.deleted", _("Note deleted")
        APPLICATION_CREATED = "application.created", _("Application created")
        STAGE_CHANGED = "application.stage_changed", _("Stage change")
        APPLICATION_CLOSED = "application.closed", _("Application closed")
        APPLICATION_REOPENED = "application.reopened", _("Application reopened")
        RATING = "rating.added", _("Rating")
        APPLICANT_CREATED = "applicant.created", _("Applicant created")
        APPLICANT_EDITED = "applicant.edited", _("Applicant edited")
        APPLICANT_MERGED = "applicant.merged", _("Applicants merged")
        CV_UPLOADED = "applicant.cv_uploaded", _("CV uploaded")
        TAGS_CHANGED = "applicant.tags_changed", _("Tags changed")
        EMAIL = "email.sent", _("E-mail")
        EMAIL_QUEUED = "email.queued", _("E-mail queued")
        EMAIL_RETRYING = "email.retrying", _("E-mail not sent yet")
        EMAIL_FAILED = "email.failed", _("E-mail failed")
        # Written by the interviews app (interviews.services); the timeline shows them.
        INTERVIEW_SCHEDULED = "interview.scheduled", _("Interview scheduled")
        INTERVIEW_RESCHEDULED = "interview.rescheduled", _("Interview rescheduled")
        INTERVIEW_CANCELLED = "interview.cancelled", _("Interview cancelled")
        INTERVIEW_STATUS = "interview.status_changed", _("Interview status")
        SCORECARD_SUBMITTED = "scorecard.submitted", _("Scorecard submitted")
        SCORECARD_AMENDED = "scorecard.amended", _("Scorecard amended")
        # The privacy app's entries (privacy/services/): personal data's own audit trail.
        BASIS_RECORDED = "privacy.basis_recorded", _("Legal basis recorded")
        CONSENT_RENEWAL_ASKED = "privacy.renewal_asked", _("Consent renewal asked")
        CONSENT_RENEWED = "privacy.consent_renewed", _("Consent renewed")
        DATA_EXPORTED = "privacy.exported", _("Personal data exported")
        RESTRICTED = "privacy.restricted", _("Processing restricted")
        UNRESTRICTED = "privacy.unrestricted", _("Restriction lifted")
        ANONYMISED = "privacy.anonymised", _("Anonymised")
        SUBJECT_REQUEST = "privacy.request", _("Data subject request")

    class Criterion(models.TextChoices):
        TECHNICAL = "technical", _("Technical")
        COMMUNICATION = "communication", _("Communication")
        TEAM_FIT = "team_fit", _("Team fit")

    # Indexed by activity_timeline_idx, whose first column it is.
    applicant = models.ForeignKey(
        Applicant,
        verbose_name=_("applicant"),
        on_delete=models.CASCADE,
        related_name="activities",
        db_index=False,
    )
    application = models.ForeignKey(
        Application,
        verbose_name=_("application"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="activities",
    )
    kind = models.CharField(_("kind"), max_length=40, choices=Kind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("when"), default=timezone.now)
    body = models.TextField(_("text"), blank=True, help_text=_("Sanitized HTML for notes."))
    from_stage = models.CharField(_("from"), max_length=20, choices=Stage.choices, blank=True)
    to_stage = models.CharField(_("to"), max_length=20, choices=Stage.choices, blank=True)
    rating = models.PositiveSmallIntegerField(_("rating"), null=True, blank=True)
    criterion = models.CharField(
        _("criterion"), max_length=20, choices=Criterion.choices, blank=True
    )
    # The note an edit or a deletion is about; the note itself keeps its row.
    target = models.ForeignKey(
        "self",
        verbose_name=_("note"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="revisions",
    )
    edited_at = models.DateTimeField(_("edited"), null=True, blank=True)
    deleted_at = models.DateTimeField(_("deleted"), null=True, blank=True)
    # The outgoing e-mail an e-mail entry is about (its resend button).
    email = models.ForeignKey(
        "recruitment.OutgoingEmail",
        verbose_name=_("e-mail"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="activities",
    )

    class Meta:
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(rating__isnull=True)
                | models.Q(rating__gte=RATING_MIN, rating__lte=RATING_MAX),
                name="activity_rating_range",
                violation_error_message=_("A rating is from 1 to 5."),
            ),
            # The criterion is checked by the service: ratings made before criteria
            # existed have none, and no truthful value could be filled in for them.
            models.CheckConstraint(
                condition=~models.Q(kind="rating.added") | models.Q(rating__isnull=False),
                name="activity_rating_has_value",
                violation_error_message=_("A rating needs a value."),
            ),
        ]
        indexes = [
            # An applicant's timeline, newest first.
            models.Index(fields=["applicant", "-created_at"], name="activity_timeline_idx"),
            # The list's "notes" column: notes counted per applicant.
            models.Index(fields=["kind", "applicant"], name="activity_kind_idx"),
            # The dashboard's latest activity: newest first across everyone (without it,
            # a sort of every activity: 230 ms at 600,000 rows, 10 ms with it).
            models.Index(fields=["-created_at", "-id"], name="activity_recent_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.applicant}"


class StageEmailTemplate(models.Model):
    """The e-mail an applicant may be sent on reaching a stage (edited in the admin)."""

    stage = models.CharField(_("stage"), max_length=20, choices=Stage.choices)
    # The candidate's mail goes in the language they applied in (careers.Submission), or in
    # LANGUAGE_CODE for applicants the recruiters added; one template per stage and language.
    language = models.CharField(
        _("language"),
        max_length=10,
        choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE,
        db_default=settings.LANGUAGE_CODE,
    )
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(
        _("body"),
        help_text=_("Plain text; $first_name, $last_name, $vacancy and $stage are filled in."),
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("stage e-mail")
        verbose_name_plural = _("stage e-mails")
        ordering = ["stage", "language"]
        constraints = [
            models.UniqueConstraint(
                fields=["stage", "language"], name="stage_email_one_per_language"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_stage_display()}: {self.subject}"


class ApiToken(models.Model):
    """A user's API key, stored only as its SHA-256: whoever reads the database (or the
    admin) cannot use it. The key itself is shown once, when it is made."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="api_token",
    )
    # A key is 160 random bits, so a fast hash is enough: nothing can be guessed.
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    # The key's first characters, so a person can tell which key a script holds.
    prefix = models.CharField(_("starts with"), max_length=8, editable=False)
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["user__username"]

    def __str__(self) -> str:
        return f"{self.user} ({self.prefix}…)"

    @staticmethod
    def hash_of(key: str) -> str:
        return hashlib.sha256(key.encode()).hexdigest()


class SavedView(models.Model):
    """A recruiter's named list: its filters, tab and sort, as the list's query string."""

    name = models.CharField(_("name"), max_length=100, validators=[no_control_characters])
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        on_delete=models.CASCADE,
        related_name="saved_views",
    )
    query = models.CharField(_("query"), max_length=2000, blank=True)
    is_shared = models.BooleanField(
        _("shared"), default=False, help_text=_("Shown to the whole team, not only its owner.")
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("saved view")
        verbose_name_plural = _("saved views")
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["owner", "name"],
                name="saved_view_name_unique_per_owner",
                violation_error_message=_("You have a view of this name already."),
            ),
        ]
        indexes = [
            # The list's menu: the shared views, beside each user's own (owner_id's index).
            models.Index(fields=["is_shared"], name="saved_view_shared_idx"),
        ]

    def __str__(self) -> str:
        return self.name


class UserLanguage(models.Model):
    """The language a user chose in the navigation's switcher; it beats the browser's
    Accept-Language on every page and on the next sign-in (recruitment.languages)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="language_choice",
    )
    # One of settings.LANGUAGES (checked by user_language_set); no choices here, so adding
    # a language needs no migration.
    language = models.CharField(_("language"), max_length=10)

    class Meta:
        verbose_name = _("user's language")
        verbose_name_plural = _("users' languages")

    def __str__(self) -> str:
        return f"{self.user}: {self.language}"


# The queue's models live in their own module; Django finds them through this import.
from recruitment.jobs import BulkJob, ExportJob, OutgoingEmail  # noqa: E402, F401

# So do the report's summary tables.
from recruitment.report_tables import ApplicationTally, StageStay, StayTally  # noqa: E402, F401
