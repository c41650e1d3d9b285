"""What the queue works through: the e-mail outbox, export and bulk-action jobs (models).

Both are rows written in the transaction of the request that asked for the work, so
the work is never lost between the commit and the broker: a task only carries the id.
"""

from django.conf import settings
from django.core.files.storage import storages
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def export_storage():
    """Private storage: outside MEDIA_ROOT and any path the web server maps."""
    return storages["exports"]


class OutgoingEmail(models.Model):
    """One e-mail to send. The Message-ID is fixed here, so every try sends the same mail."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    message_id = models.CharField(_("Message-ID"), max_length=200, unique=True)
    to = models.EmailField(_("to"))
    subject = models.CharField(_("subject"), max_length=300)
    body = models.TextField(_("body"))
    # An iCalendar (RFC 5545) object sent as the mail's calendar part: an interview
    # invitation or cancellation, which mail programs show with accept/decline.
    calendar = models.TextField(_("calendar"), blank=True, default="", db_default="")
    applicant = models.ForeignKey(
        "recruitment.Applicant",
        verbose_name=_("applicant"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="emails",
    )
    application = models.ForeignKey(
        "recruitment.Application",
        verbose_name=_("application"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="emails",
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    tries = models.PositiveSmallIntegerField(_("tries"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    # When it was last handed to the broker: a queued row untouched for long is stuck.
    queued_at = models.DateTimeField(_("queued"), default=timezone.now)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    class Meta:
        verbose_name = _("outgoing e-mail")
        verbose_name_plural = _("outgoing e-mails")
        ordering = ["-created_at", "-id"]
        indexes = [
            # The beat task's look for queued rows nobody has touched for a while.
            models.Index(fields=["status", "queued_at"], name="email_stuck_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.to}: {self.subject}"


class ExportJob(models.Model):
    """A large export of the applicant list, written by a worker into private storage."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting")
        RUNNING = "running", _("Running")
        DONE = "done", _("Ready")
        FAILED = "failed", _("Failed")
        EXPIRED = "expired", _("Expired")

    class Format(models.TextChoices):
        CSV = "csv", "CSV"
        XLSX = "xlsx", "XLSX"

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("asked by"),
        on_delete=models.CASCADE,
        related_name="export_jobs",
    )
    fmt = models.CharField(_("format"), max_length=4, choices=Format.choices)
    # The list's query string: the worker applies the same filters the page showed.
    query = models.TextField(_("filters"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    total = models.PositiveIntegerField(_("rows"), default=0)
    done = models.PositiveIntegerField(_("rows written"), default=0)
    file = models.FileField(_("file"), storage=export_storage, upload_to="", blank=True)
    error = models.TextField(_("error"), blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True)

    class Meta:
        verbose_name = _("export")
        verbose_name_plural = _("exports")
        ordering = ["-created_at", "-id"]
        indexes = [
            # The beat task's look for finished exports whose file has expired.
            models.Index(fields=["status", "expires_at"], name="export_expiry_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_fmt_display()} export #{self.pk} ({self.get_status_display()})"

    @property
    def percent(self) -> int:
        return min(100, self.done * 100 // self.total) if self.total else 0

    @property
    def finished(self) -> bool:
        return self.status not in (self.Status.PENDING, self.Status.RUNNING)


class BulkJob(models.Model):
    """A bulk action over more applications than a request may take, run by a worker.

    Applications are handled in id order and `last_id` is committed with each chunk's
    progress, so a task that comes back (a worker killed, a retry) resumes after it;
    `in_flight` tells it which applications of the interrupted chunk were handled.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting")
        RUNNING = "running", _("Running")
        DONE = "done", _("Finished")
        FAILED = "failed", _("Failed")

    # The values of services.bulk.BulkAction, with the words the list's form shows.
    class Action(models.TextChoices):
        MOVE = "move", _("Move to a stage")
        CLOSE = "close", _("Close")
        TAG_ADD = "tag_add", _("Add a tag")
        TAG_REMOVE = "tag_remove", _("Remove a tag")
        EMAIL = "email", _("Send the stage's e-mail")

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("asked by"),
        on_delete=models.CASCADE,
        related_name="bulk_jobs",
    )
    action = models.CharField(_("action"), max_length=20, choices=Action.choices)
    stage = models.CharField(_("stage"), max_length=20, blank=True)
    closing_reason = models.ForeignKey(
        "recruitment.ClosingReason",
        verbose_name=_("closing reason"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    tag = models.CharField(_("tag"), max_length=50, blank=True)
    # "All matching": the list's query string, applied again by the worker for the owner.
    query = models.TextField(_("filters"), blank=True)
    # Ticked rows instead: {"id": "the stage the user saw"}.
    selected = models.JSONField(_("ticked rows"), default=dict, blank=True)
    # The stage tab the rows were chosen on: one moved off it meanwhile is refused.
    expected_stage = models.CharField(_("expected stage"), max_length=20, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    total = models.PositiveIntegerField(_("applications"), default=0)
    done = models.PositiveIntegerField(_("done"), default=0)
    refused = models.PositiveIntegerField(_("refused"), default=0)
    # The first refusals, each "who (id): why"; the count above has them all.
    refusals = models.JSONField(_("refusals"), default=list, blank=True)
    last_id = models.PositiveBigIntegerField(_("last application handled"), default=0)
    # The chunk being worked on, saved with the previous chunk's progress: a run that
    # stopped inside it left Activities on what it did, and the next run skips those.
    in_flight = models.JSONField(_("chunk in progress"), default=list, blank=True)
    error = models.TextField(_("error"), blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        verbose_name = _("bulk action")
        verbose_name_plural = _("bulk actions")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.action} #{self.pk} ({self.get_status_display()})"

    @property
    def percent(self) -> int:
        handled = self.done + self.refused
        return min(100, handled * 100 // self.total) if self.total else 0

    @property
    def finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)
