"""Bulk actions on the list: each application through its own service call and
transaction, refusals reported beside what was done."""

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext

from recruitment.factories import (
    ActivityFactory,
    ApplicantFactory,
    ApplicationFactory,
    TagFactory,
    VacancyFactory,
)
from recruitment.models import Activity, Application, ClosingReason, Stage, StageEmailTemplate
from recruitment.services import applications_bulk_apply
from recruitment.services.bulk import BulkAction, BulkSelection

pytestmark = pytest.mark.django_db


def bulk(client, **data):
    return client.post("/applicants/bulk/", data, follow=True)


def selected(*applications) -> list[str]:
    return [f"{a.pk}:{a.stage}" for a in applications]


def test_move_the_ticked_rows_refusing_one_moved_meanwhile(recruiter_client, recruiter):
    first, second, third = ApplicationFactory.create_batch(3, stage=Stage.VERIFICATION)
    Application.objects.filter(pk=third.pk).update(stage=Stage.DECISION)

    response = bulk(
        recruiter_client,
        action="move",
        stage="interview",
        selected=selected(first, second, third),
        query="stage=verification",
    )

    html = response.content.decode()
    assert "Done: 2." in html
    assert "Refused: 1" in html
    assert "moved this application to Decision meanwhile" in html
    stages = dict(Application.objects.values_list("pk", "stage"))
    assert [stages[a.pk] for a in (first, second, third)] == ["interview", "interview", "decision"]
    moves = Activity.objects.filter(kind=Activity.Kind.STAGE_CHANGED, actor=recruiter)
    assert sorted(moves.values_list("application_id", flat=True)) == [first.pk, second.pk]


def test_all_matching_the_filters_includes_rows_on_other_pages(recruiter_client):
    python = TagFactory(name="python")
    matching = ApplicationFactory.create_batch(3, stage=Stage.APPLICATION)
    for application in matching:
        application.applicant.tags.add(python)
    other = ApplicationFactory(stage=Stage.APPLICATION)

    response = bulk(
        recruiter_client,
        action="move",
        stage="confirmation",
        all_matching="on",
        query="tags=python&per_page=25&page=1",
    )

    assert "Done: 3." in response.content.decode()
    assert set(Application.objects.filter(stage="confirmation")) == set(matching)
    other.refresh_from_db()
    assert other.stage == Stage.APPLICATION


def test_close_with_a_reason_refuses_the_closed_one(recruiter_client):
    reason = ClosingReason.objects.create(name="Position filled", group="rejected")
    open_one = ApplicationFactory()
    closed = ApplicationFactory(closed_at=open_one.created_at, close_reason="withdrawn")

    response = bulk(
        recruiter_client,
        action="close",
        closing_reason=reason.pk,
        selected=selected(open_one, closed),
    )

    html = response.content.decode()
    assert "Done: 1." in html
    assert "This application is closed" in html
    open_one.refresh_from_db()
    assert (open_one.closing_reason, open_one.close_reason) == (reason, "rejected")
    assert open_one.activities.filter(kind=Activity.Kind.APPLICATION_CLOSED).count() == 1


def test_add_and_remove_a_tag_once_per_applicant(recruiter_client):
    applicant = ApplicantFactory()
    two = [ApplicationFactory(applicant=applicant, vacancy=VacancyFactory()) for _ in range(2)]
    tagged = ApplicationFactory()
    tagged.applicant.tags.add(TagFactory(name="kotlin"))

    added = bulk(recruiter_client, action="tag_add", tag="Kotlin", selected=selected(*two, tagged))

    assert "Done: 1." in added.content.decode()
    assert "Tagged kotlin already" in added.content.decode()
    assert list(applicant.tags.values_list("name", flat=True)) == ["kotlin"]
    assert applicant.activities.filter(kind=Activity.Kind.TAGS_CHANGED).count() == 1

    removed = bulk(recruiter_client, action="tag_remove", tag="kotlin", selected=selected(*two))

    assert "Done: 1." in removed.content.decode()
    assert not applicant.tags.exists()


def test_send_the_stage_email_where_the_stage_has_one(
    recruiter_client, django_capture_on_commit_callbacks
):
    StageEmailTemplate.objects.create(stage=Stage.INTERVIEW, subject="Hi $first_name", body="x")
    at_interview = ApplicationFactory(stage=Stage.INTERVIEW)
    at_decision = ApplicationFactory(stage=Stage.DECISION)

    # The mail leaves the outbox once the request's transaction commits.
    with django_capture_on_commit_callbacks(execute=True):
        response = bulk(
            recruiter_client, action="email", selected=selected(at_interview, at_decision)
        )

    html = response.content.decode()
    assert "Done: 1." in html
    assert "no active e-mail for the stage Decision" in html
    assert [message.to for message in mail.outbox] == [[at_interview.applicant.email]]
    assert at_interview.activities.filter(kind=Activity.Kind.EMAIL).exists()


def test_a_missing_parameter_is_one_message_and_changes_nothing(recruiter_client):
    application = ApplicationFactory()

    response = bulk(recruiter_client, action="move", stage="", selected=selected(application))

    assert "Choose a stage to move to." in response.content.decode()
    assert not Activity.objects.filter(kind=Activity.Kind.STAGE_CHANGED).exists()


def test_a_forged_row_value_is_refused(recruiter_client):
    response = bulk(recruiter_client, action="move", stage="interview", selected=["1:hired"])

    assert "A selected row is not from the list." in response.content.decode()


def test_interviewers_may_not_act_in_bulk(client):
    from recruitment.factories import UserFactory
    from tests.conftest import role

    interviewer = UserFactory(username="ivan")
    interviewer.groups.add(role("interviewers"))
    client.force_login(interviewer)
    application = ApplicationFactory()

    response = client.post(
        "/applicants/bulk/",
        {"action": "move", "stage": "interview", "selected": selected(application)},
    )

    assert response.status_code == 403


def move_queries(recruiter, count: int) -> int:
    applications = ApplicationFactory.create_batch(count, stage=Stage.APPLICATION)
    for application in applications:
        # Made as application_create makes them: the move ends a stay begun here.
        ActivityFactory(
            applicant=application.applicant,
            application=application,
            kind=Activity.Kind.APPLICATION_CREATED,
        )
    selection = BulkSelection(expected={a.pk: Stage.APPLICATION for a in applications})
    with CaptureQueriesContext(connection) as queries:
        result = applications_bulk_apply(
            selection=selection, action=BulkAction.MOVE, stage=Stage.CONFIRMATION, actor=recruiter
        )
    assert result.done == count
    return len(queries)


def test_a_bulk_move_costs_a_fixed_number_of_queries_per_application(recruiter):
    # Per application: a savepoint, the row locked, its applicant, the stage saved, the
    # report's summary (the two stage tallies, the previous pipeline entry, the ended
    # stay and its tally: 4), the Activity inserted, the applicant's latest activity
    # updated, the savepoint released (11). Per chunk of 500: the applications fetched (1).
    assert move_queries(recruiter, 2) == 1 + 2 * 11
    assert move_queries(recruiter, 5) == 1 + 5 * 11
