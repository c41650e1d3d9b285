import threading

import pytest
from django.db import connection

from recruitment.factories import ApplicantFactory, ApplicationFactory, VacancyFactory
from recruitment.models import Activity, Application, Stage
from recruitment.services import (
    ApplicationClosedError,
    ServiceError,
    StaleApplicationError,
    application_close,
    application_create,
    application_move_to_stage,
    note_add,
)

pytestmark = pytest.mark.django_db


def timeline(applicant):
    return list(applicant.activities.order_by("created_at", "id").values_list("kind", flat=True))


def test_application_create_opens_at_the_first_stage_and_records_it(recruiter):
    applicant = ApplicantFactory()

    application = application_create(applicant=applicant, vacancy=VacancyFactory(), actor=recruiter)

    assert application.stage == Stage.APPLICATION
    activity = applicant.activities.get()
    assert (activity.kind, activity.actor, activity.to_stage) == (
        Activity.Kind.APPLICATION_CREATED,
        recruiter,
        Stage.APPLICATION,
    )
    applicant.refresh_from_db()
    assert applicant.latest_activity_at == activity.created_at


def test_application_create_refuses_a_second_open_application_and_writes_nothing(recruiter):
    existing = ApplicationFactory()

    with pytest.raises(ServiceError, match="already has an open application") as refused:
        application_create(applicant=existing.applicant, vacancy=existing.vacancy, actor=recruiter)

    assert refused.value.field == "vacancy"
    assert Application.objects.count() == 1
    assert timeline(existing.applicant) == []


def test_application_create_refuses_a_closed_vacancy(recruiter):
    with pytest.raises(ServiceError, match="vacancy is closed"):
        application_create(
            applicant=ApplicantFactory(), vacancy=VacancyFactory(is_open=False), actor=recruiter
        )

    assert not Application.objects.exists()


def test_move_to_stage_records_who_when_from_and_to(recruiter):
    application = ApplicationFactory(stage=Stage.CONFIRMATION)

    moved = application_move_to_stage(
        application=application, stage=Stage.INTERVIEW, actor=recruiter
    )

    application.refresh_from_db()
    assert application.stage == Stage.INTERVIEW
    change = application.activities.get(kind=Activity.Kind.STAGE_CHANGED)
    assert (change.actor, change.from_stage, change.to_stage) == (
        recruiter,
        Stage.CONFIRMATION,
        Stage.INTERVIEW,
    )
    assert change.created_at == moved.stage_changed_at == application.stage_changed_at
    application.applicant.refresh_from_db()
    assert application.applicant.latest_activity_at == change.created_at


def test_move_refuses_a_closed_application_and_writes_nothing(recruiter):
    application = ApplicationFactory(stage=Stage.VERIFICATION)
    application_close(application=application, reason="rejected", actor=recruiter)

    with pytest.raises(ApplicationClosedError, match="closed \\(Rejected\\)"):
        application_move_to_stage(application=application, stage=Stage.INTERVIEW, actor=recruiter)

    application.refresh_from_db()
    assert application.stage == Stage.VERIFICATION
    assert timeline(application.applicant) == [Activity.Kind.APPLICATION_CLOSED]


def test_move_refuses_the_stage_it_is_already_at(recruiter):
    application = ApplicationFactory(stage=Stage.DECISION)

    with pytest.raises(ServiceError, match="already at Decision"):
        application_move_to_stage(application=application, stage=Stage.DECISION, actor=recruiter)

    assert timeline(application.applicant) == []


def test_move_refuses_an_unknown_stage(recruiter):
    application = ApplicationFactory()

    with pytest.raises(ServiceError, match="Unknown stage: hired") as refused:
        application_move_to_stage(application=application, stage="hired", actor=recruiter)

    assert refused.value.field == "stage"


def test_move_with_a_stale_expected_stage_is_refused(recruiter):
    application = ApplicationFactory(stage=Stage.APPLICATION)
    application_move_to_stage(application=application, stage=Stage.CONFIRMATION, actor=recruiter)

    with pytest.raises(StaleApplicationError, match="moved this application to Confirmation"):
        application_move_to_stage(
            application=application,
            stage=Stage.CONFIRMATION,
            expected_stage=Stage.APPLICATION,
            actor=recruiter,
        )

    assert application.activities.filter(kind=Activity.Kind.STAGE_CHANGED).count() == 1


def test_close_records_the_reason_and_the_note(recruiter):
    application = ApplicationFactory(stage=Stage.INTERVIEW)

    application_close(
        application=application, reason="withdrawn", note=" Took another offer ", actor=recruiter
    )

    application.refresh_from_db()
    assert application.is_closed
    assert application.status_label == "Withdrawn"
    closed = application.activities.get()
    assert (closed.kind, closed.from_stage, closed.body, closed.actor) == (
        Activity.Kind.APPLICATION_CLOSED,
        Stage.INTERVIEW,
        "Withdrawn — Took another offer",
        recruiter,
    )


def test_close_refuses_an_unknown_reason(recruiter):
    application = ApplicationFactory()

    with pytest.raises(ServiceError, match="rejected or withdrawn") as refused:
        application_close(application=application, reason="bored", actor=recruiter)

    assert refused.value.field == "reason"
    application.refresh_from_db()
    assert not application.is_closed


def test_close_refuses_an_application_that_is_already_closed(recruiter):
    application = ApplicationFactory()
    application_close(application=application, reason="rejected", actor=recruiter)

    with pytest.raises(ApplicationClosedError):
        application_close(application=application, reason="withdrawn", actor=recruiter)

    application.refresh_from_db()
    assert application.close_reason == "rejected"


def test_note_add_stores_sanitized_html(recruiter):
    applicant = ApplicantFactory()

    note = note_add(
        applicant=applicant,
        body='<p onclick="steal()">Strong <b>python</b></p><script>alert(1)</script>',
        actor=recruiter,
    )

    note.refresh_from_db()
    assert note.body == "<p>Strong <b>python</b></p>"
    assert note.kind == Activity.Kind.NOTE
    applicant.refresh_from_db()
    assert applicant.latest_activity_at == note.created_at
    assert applicant.notes_count == 1


@pytest.mark.parametrize("body", ["", "   ", "<p><br></p>", "<script>alert(1)</script>"])
def test_note_add_refuses_a_note_with_no_text(recruiter, body):
    applicant = ApplicantFactory()

    with pytest.raises(ServiceError, match="cannot be empty") as refused:
        note_add(applicant=applicant, body=body, actor=recruiter)

    assert refused.value.field == "body"
    assert not applicant.activities.exists()


def test_note_add_refuses_an_application_of_another_applicant(recruiter):
    applicant = ApplicantFactory()

    with pytest.raises(ServiceError, match="belongs to someone else"):
        note_add(
            applicant=applicant, body="<p>x</p>", application=ApplicationFactory(), actor=recruiter
        )

    assert not applicant.activities.exists()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_recruiters_moving_at_once_cannot_both_move_from_the_same_stage(recruiter):
    application = ApplicationFactory(stage=Stage.VERIFICATION)
    barrier = threading.Barrier(2)
    outcomes = []

    def move(target):
        try:
            barrier.wait()
            application_move_to_stage(
                application=application,
                stage=target,
                expected_stage=Stage.VERIFICATION,
                actor=recruiter,
            )
            outcomes.append(("moved", target))
        except StaleApplicationError:
            outcomes.append(("refused", target))
        finally:
            connection.close()

    threads = [threading.Thread(target=move, args=(s,)) for s in (Stage.INTERVIEW, Stage.DECISION)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(kind for kind, _ in outcomes) == ["moved", "refused"]
    winner = next(target for kind, target in outcomes if kind == "moved")
    application.refresh_from_db()
    assert application.stage == winner
    changes = application.activities.filter(kind=Activity.Kind.STAGE_CHANGED)
    assert list(changes.values_list("from_stage", "to_stage")) == [(Stage.VERIFICATION, winner)]
