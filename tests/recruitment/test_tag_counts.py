"""Stage counts per tag, kept by PostgreSQL's triggers: equal to a count from scratch
after any mix of writes, whichever table they touch, concurrent ones included."""

import random
import threading

import pytest
from django.db import connection, connections
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from recruitment import services
from recruitment.admin import ApplicantAdmin
from recruitment.factories import (
    ApplicantFactory,
    ApplicationFactory,
    TagFactory,
    UserFactory,
    VacancyFactory,
)
from recruitment.filters import ApplicationFilterSet
from recruitment.models import Applicant, Application, Stage, Tag, TagStageCount
from recruitment.selectors import filtered_stage_counts, saved_views_with_counts
from recruitment.services.saved_views import saved_view_create
from tests.recruitment.concurrency import write_while_open
from tests.recruitment.test_admin_applicants import change_url, form_data

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]

STAGES = list(Stage)
TAG_NAMES = ["python", "django", "żółw", "Łódź-team"]


def kept() -> dict:
    rows = TagStageCount.objects.exclude(count=0).values_list("tag_id", "key", "count")
    return {(tag_id, key): count for tag_id, key, count in rows}


def from_scratch() -> dict:
    rows = (
        Application.objects.filter(applicant__tags__isnull=False)
        .values_list("applicant__tags", "stage", "closed_at")
        .order_by()
    )
    counts = {}
    for tag_id, stage, closed_at in rows:
        key = (tag_id, "closed" if closed_at else stage)
        counts[key] = counts.get(key, 0) + 1
    return counts


def random_history(generator: random.Random, rounds: int = 80):
    """Yields after each of `rounds` random writes to both sides: applications created,
    moved, closed, reopened, given to another applicant and deleted; tags added, set,
    cleared and deleted; applicants deleted with their applications and tags."""
    tags = [TagFactory(name=name) for name in TAG_NAMES]
    vacancies = VacancyFactory.create_batch(3)
    through = Applicant.tags.through
    for _ in range(rounds):
        action = generator.choice(
            [
                "create",
                "bulk",
                "move",
                "close",
                "reopen",
                "tag",
                "untag",
                "bulk_tag",
                "merge",
                "delete",
                "drop_tag",
                "mass",
            ]
        )
        applicants = list(Applicant.objects.values_list("pk", flat=True))
        existing = list(Application.objects.values_list("pk", flat=True))
        if action == "create" or not existing:
            application = ApplicationFactory(
                vacancy=generator.choice(vacancies), stage=generator.choice(STAGES)
            )
            application.applicant.tags.set(generator.sample(tags, generator.randint(0, 2)))
        elif action == "bulk":
            Application.objects.bulk_create(
                Application(
                    applicant_id=generator.choice(applicants),
                    vacancy=vacancy,
                    stage=generator.choice(STAGES),
                )
                for vacancy in vacancies
                if not Application.objects.filter(vacancy=vacancy, closed_at__isnull=True)
                .filter(applicant_id__in=applicants)
                .exists()
            )
        elif action == "move":
            Application.objects.filter(
                pk=generator.choice(existing), closed_at__isnull=True
            ).update(stage=generator.choice(STAGES))
        elif action == "close":
            Application.objects.filter(
                pk=generator.choice(existing), closed_at__isnull=True
            ).update(closed_at=timezone.now(), close_reason="withdrawn")
        elif action == "reopen":
            Application.objects.filter(pk__in=existing[::3]).update(closed_at=None, close_reason="")
        elif action == "tag":
            Applicant.objects.get(pk=generator.choice(applicants)).tags.add(generator.choice(tags))
        elif action == "untag":
            Applicant.objects.get(pk=generator.choice(applicants)).tags.clear()
        elif action == "bulk_tag":
            tag = generator.choice(tags)
            through.objects.bulk_create(
                [through(applicant_id=pk, tag=tag) for pk in generator.sample(applicants, 3)]
                if len(applicants) >= 3
                else [],
                ignore_conflicts=True,
            )
        elif action == "merge":
            # An application handed to another applicant, whose tags differ.
            pk, other = generator.choice(existing), generator.choice(applicants)
            Application.objects.filter(pk=pk).exclude(
                vacancy__applications__applicant_id=other
            ).update(applicant_id=other)
        elif action == "delete":
            Applicant.objects.filter(pk=generator.choice(applicants)).delete()
        elif action == "drop_tag":
            Tag.objects.filter(pk=generator.choice(tags).pk).delete()
            tags = [TagFactory(name=tag.name) for tag in tags]
        else:
            Application.objects.filter(
                closed_at__isnull=True, stage=generator.choice(STAGES)
            ).update(stage=generator.choice(STAGES))
        yield action


@pytest.mark.parametrize("seed", [1, 2, 3, 4])
def test_kept_tag_counts_equal_a_count_from_scratch(seed):
    counted = set()
    for action in random_history(random.Random(seed)):
        counts = from_scratch()
        assert kept() == counts, action
        counted |= set(counts)

    assert len(counted) > 10


def test_a_list_filtered_by_one_tag_reads_its_kept_counts(recruiter_client):
    python = TagFactory(name="python")
    for stage in (Stage.APPLICATION, Stage.INTERVIEW, Stage.INTERVIEW):
        ApplicationFactory(stage=stage).applicant.tags.add(python)
    ApplicationFactory(stage=Stage.INTERVIEW)
    filterset = ApplicationFilterSet({"tags": ["python"], "stage": "interview"})

    with CaptureQueriesContext(connection) as captured:
        counts = filtered_stage_counts(filterset)

    assert counts["all"] == 3
    assert counts["interview"] == 2
    assert len(captured) == 1
    assert '"recruitment_tagstagecount"' in captured[0]["sql"]
    assert '"recruitment_application"' not in captured[0]["sql"]
    response = recruiter_client.get("/applicants/", {"tags": "python", "stage": "interview"})
    tabs = {key: count for key, _label, count in response.context["tabs"]}
    assert (tabs["all"], tabs["interview"], tabs["application"]) == (3, 2, 1)
    assert len(response.context["listing"].page.object_list) == 2


def test_a_saved_view_of_one_tag_is_counted_from_the_kept_counts(recruiter):
    python = TagFactory(name="python")
    for stage in (Stage.INTERVIEW, Stage.INTERVIEW, Stage.DECISION):
        ApplicationFactory(stage=stage).applicant.tags.add(python)
    saved_view_create(
        owner=recruiter, name="Python interviews", query="tags=python&stage=interview"
    )
    saved_view_create(owner=recruiter, name="Python, more", query="tags=python&experience_min=0")

    views = {view.name: view.count for view in saved_views_with_counts(
        user=recruiter, applications=Application.objects.all()
    )}  # fmt: skip

    assert views == {"Python interviews": 2, "Python, more": 3}


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("first", ["tag", "move"])
def test_a_tag_and_a_move_at_once_are_both_counted(first):
    """Each trigger reads the other's table: whichever transaction writes first, the
    second waits for it (the applicant's row lock) and then counts what it committed.
    Without the locks the tag stays counted at the stage the application left."""
    application = ApplicationFactory(stage=Stage.APPLICATION)
    python = TagFactory(name="python")

    def tag():
        application.applicant.tags.add(python)

    def move():
        Application.objects.filter(pk=application.pk).update(stage=Stage.INTERVIEW)

    first_write, second_write = (tag, move) if first == "tag" else (move, tag)
    overlap = write_while_open(first_write, second_write)

    assert not overlap.failures
    assert kept() == from_scratch() == {(python.pk, "interview"): 1}


def test_counts_per_tag_key_closed_and_open_apart():
    python = TagFactory(name="python")
    applicant = ApplicantFactory()
    applicant.tags.add(python)
    ApplicationFactory(applicant=applicant, stage=Stage.DECISION)
    ApplicationFactory(
        applicant=applicant, stage=Stage.DECISION, closed_at=timezone.now(), close_reason="rejected"
    )

    assert kept() == {(python.pk, "decision"): 1, (python.pk, "closed"): 1}


@pytest.mark.django_db(transaction=True)
def test_an_admin_edit_with_tags_and_a_move_at_once_both_go_through(client, monkeypatch):
    """The admin saves the applicant's row, then its tags; a move of the applicant's
    application in between waited for the row while the tags' trigger waited for the
    move: PostgreSQL failed one of the two (deadlock detected)."""
    # A superuser: an earlier transactional test's flush takes the admins group's
    # permissions (made by a migration) away.
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    application = ApplicationFactory(stage=Stage.APPLICATION)
    applicant = application.applicant
    python = TagFactory(name="python")
    failures = []

    def move():
        try:
            services.application_move_to_stage(
                application=application, stage=Stage.INTERVIEW, actor=None
            )
        except Exception as error:  # reported by the main thread
            failures.append(error)
        finally:
            connections.close_all()

    mover = threading.Thread(target=move)
    save_related = ApplicantAdmin.save_related

    def save_related_after_a_move_began(self, *args):
        mover.start()
        mover.join(1)  # the move gets as far as the locks let it
        save_related(self, *args)

    monkeypatch.setattr(ApplicantAdmin, "save_related", save_related_after_a_move_began)
    response = client.post(
        change_url(applicant), form_data(applicant, first_name="Łucja", tags=[python.pk])
    )
    assert response.status_code == 302
    mover.join(10)
    assert not failures
    application.refresh_from_db()
    assert application.stage == Stage.INTERVIEW
    assert kept() == from_scratch() == {(python.pk, "interview"): 1}
