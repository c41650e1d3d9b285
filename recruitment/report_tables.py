"""The report's summary (models): kept by the services in the transaction of each change.

The "Create report" page over every application reads these few thousand rows instead
of millions of applications and timeline entries (87-97 s at a million applicants).
How they are kept and checked: docs/reports.md.
"""

from collections.abc import Iterable, Iterator
from datetime import datetime, timedelta
from typing import NamedTuple

from django.db import models
from django.utils.translation import gettext_lazy as _

from recruitment.models import Activity, Application, Stage

# The tallies key "no source" as 0 rather than NULL: NULLs never clash in a unique key,
# so an upsert of a NULL-keyed cell would add a second row instead of adding to the first.
NO_SOURCE = 0
# The timeline entries that begin or end a stay in a stage. A reopen is not one: the
# stay after it counts from the close, as it always did on this report.
PIPELINE_KINDS = (
    Activity.Kind.APPLICATION_CREATED,
    Activity.Kind.STAGE_CHANGED,
    Activity.Kind.APPLICATION_CLOSED,
)
HOUR = timedelta(hours=1)


class Stay(NamedTuple):
    application_id: int
    stage: str
    hours: int


def stay_hours(*, began: datetime, ended: datetime) -> int:
    """Whole hours, rounded down; integer arithmetic, so every path rounds alike."""
    return (ended - began) // HOUR


def timeline_stays(entries: Iterable[tuple[int, str, str, datetime]]) -> Iterator[Stay]:
    """The stays ended in a timeline: `entries` are (application id, kind, from stage,
    when) of PIPELINE_KINDS, in order of application, then time. A move or a close ends
    the stay in its from-stage, begun at the application's previous entry."""
    previous: tuple[int, datetime] | None = None
    for application_id, kind, from_stage, when in entries:
        began = previous[1] if previous and previous[0] == application_id else None
        if kind != Activity.Kind.APPLICATION_CREATED and began is not None and from_stage:
            yield Stay(application_id, from_stage, stay_hours(began=began, ended=when))
        previous = (application_id, when)


class StageStay(models.Model):
    """One ended stay of an application in a stage: left by a move or a close.

    Its length is counted in whole hours from the application's previous pipeline entry
    (created, moved or closed) to the move or close that ended it.
    """

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="stays", db_index=False
    )
    stage = models.CharField(max_length=20, choices=Stage.choices)
    hours = models.IntegerField()

    class Meta:
        verbose_name = _("stay in a stage")
        verbose_name_plural = _("stays in a stage")
        indexes = [
            # A filtered report's median days: the chosen applications' stays, counted by
            # stage and length from this index alone (it also serves the cascade delete).
            models.Index(fields=["application", "stage", "hours"], name="stage_stay_idx"),
        ]

    def __str__(self) -> str:
        return f"#{self.application_id} {self.stage}: {self.hours} h"


class ApplicationTally(models.Model):
    """How many applications of a vacancy, from a source, are at (or closed at) a stage."""

    vacancy_id = models.IntegerField()
    source_id = models.IntegerField()
    stage = models.CharField(max_length=20, choices=Stage.choices)
    applications = models.IntegerField(default=0)

    class Meta:
        verbose_name = _("applications tally")
        verbose_name_plural = _("applications tallies")
        constraints = [
            # The key the services' upserts add to.
            models.UniqueConstraint(
                fields=["vacancy_id", "source_id", "stage"], name="application_tally_key"
            ),
        ]

    def __str__(self) -> str:
        return (
            f"vacancy {self.vacancy_id}, source {self.source_id}, {self.stage}: {self.applications}"
        )


class StayTally(models.Model):
    """How many ended stays in a stage, of a vacancy's applications, lasted this many
    whole hours. Keyed by vacancy so that a report filtered by vacancy alone (its
    commonest filter, and a sixth of a million applications) reads the tallies too."""

    vacancy_id = models.IntegerField()
    stage = models.CharField(max_length=20, choices=Stage.choices)
    hours = models.IntegerField()
    stays = models.IntegerField(default=0)

    class Meta:
        verbose_name = _("stays tally")
        verbose_name_plural = _("stays tallies")
        constraints = [
            # The key the services' upserts add to.
            models.UniqueConstraint(
                fields=["vacancy_id", "stage", "hours"], name="stay_tally_vacancy_key"
            ),
        ]

    def __str__(self) -> str:
        return f"vacancy {self.vacancy_id}, {self.stage}, {self.hours} h: {self.stays}"
