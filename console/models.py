"""The deploy history: every action the console ran, and those fab and Jenkins ran
(read from each instance's deploy log), with who, what, when, result and log."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Action(models.Model):
    class Kind(models.TextChoices):
        DEPLOY = "deploy", _("Deploy")
        ROLLBACK = "rollback", _("Rollback")
        BACKUP = "backup", _("Backup")
        RESTART = "restart", _("Restart")
        PR_CREATE = "pr_create", _("Create PR instance")
        PR_DESTROY = "pr_destroy", _("Destroy PR instance")

    class State(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        SUCCEEDED = "succeeded", _("Succeeded")
        FAILED = "failed", _("Failed")

    class Origin(models.TextChoices):
        CONSOLE = "console", _("Console")
        # fab or Jenkins (which runs fab): an entry of the instance's deploy log.
        DEPLOY_LOG = "deploy_log", _("fab / Jenkins")

    instance = models.CharField(_("instance"), max_length=64)
    kind = models.CharField(_("action"), max_length=20, choices=Kind.choices)
    origin = models.CharField(max_length=20, choices=Origin.choices, default=Origin.CONSOLE)
    ref = models.CharField(_("ref"), max_length=255, blank=True)
    forced = models.BooleanField(_("forced outside the window"), default=False)
    reason = models.TextField(_("reason"), blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    # As the deploy lock and the deploy log name them ("rita (console)", "tess@ci").
    who = models.CharField(_("who"), max_length=150)
    state = models.CharField(
        _("result"), max_length=20, choices=State.choices, default=State.QUEUED
    )
    created_at = models.DateTimeField(_("asked at"), default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    seconds = models.FloatField(_("duration (s)"), null=True, blank=True)
    release = models.CharField(_("release"), max_length=80, blank=True)
    error = models.TextField(blank=True)
    log = models.TextField(blank=True)
    # The deploy log's own timestamp of an imported entry: importing twice adds nothing.
    logged_at = models.CharField(max_length=40, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            # The history page filtered by instance, newest first, and each instance's
            # latest action on the instances page.
            models.Index(fields=["instance", "-created_at"], name="console_action_instance_idx"),
            # The history page unfiltered, newest first.
            models.Index(fields=["-created_at"], name="console_action_created_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["instance", "logged_at"],
                condition=models.Q(origin="deploy_log"),
                name="console_action_log_entry_once",
            ),
            models.CheckConstraint(
                condition=models.Q(forced=False) | ~models.Q(reason=""),
                name="console_action_forced_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.instance} ({self.get_state_display()})"

    @property
    def finished(self) -> bool:
        return self.state in (self.State.SUCCEEDED, self.State.FAILED)
