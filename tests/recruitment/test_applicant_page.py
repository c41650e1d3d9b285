"""The applicant page: what a recruiter sees and does there, through real requests."""

import pytest
from django.test import Client

from recruitment import services
from recruitment.factories import ApplicantFactory, ApplicationFactory, TagFactory, UserFactory
from recruitment.models import Activity, Application, ClosingReason, Stage
from recruitment.services import note_add, rating_add
from tests.conftest import role

pytestmark = pytest.mark.django_db


@pytest.fixture
def application():
    return ApplicationFactory(stage=Stage.VERIFICATION)


def page(client, applicant):
    response = client.get(f"/applicants/{applicant.pk}/")
    assert response.status_code == 200
    return response.content.decode()


def test_next_stage_moves_one_step_and_records_it(recruiter_client, application, recruiter):
    response = recruiter_client.post(
        f"/applications/{application.pk}/move/",
        {"stage": "interview", "expected_stage": "verification"},
        follow=True,
    )

    application.refresh_from_db()
    assert application.stage == Stage.INTERVIEW
    assert "moved to Interview." in response.content.decode()
    change = application.activities.get(kind=Activity.Kind.STAGE_CHANGED)
    assert (change.actor, change.from_stage, change.to_stage) == (
        recruiter,
        "verification",
        "interview",
    )


def test_a_move_someone_else_made_first_is_refused_on_the_form(recruiter_client, application):
    Application.objects.filter(pk=application.pk).update(stage=Stage.DECISION)

    response = recruiter_client.post(
        f"/applications/{application.pk}/move/",
        {"stage": "interview", "expected_stage": "verification"},
    )

    assert response.status_code == 200
    assert "moved this application to Decision meanwhile" in response.content.decode()
    application.refresh_from_db()
    assert application.stage == Stage.DECISION
    assert not application.activities.exists()


def test_an_unknown_stage_is_a_field_error(recruiter_client, application):
    response = recruiter_client.post(
        f"/applications/{application.pk}/move/",
        {"stage": "hired", "expected_stage": "verification"},
    )

    assert (
        "Select a valid choice. hired is not one of the available choices."
        in response.content.decode()
    )
    application.refresh_from_db()
    assert application.stage == Stage.VERIFICATION


def test_closing_asks_first_then_closes_with_the_reason(recruiter_client, application):
    reason = ClosingReason.objects.create(name="No English", group="rejected")
    url = f"/applications/{application.pk}/close/"

    asked = recruiter_client.post(url, {"reason": reason.pk, "note": "B1 at best"})

    assert "Close the application?" in asked.content.decode()
    assert "will be closed as Rejected: No English" in asked.content.decode()
    application.refresh_from_db()
    assert not application.is_closed

    recruiter_client.post(url, {"reason": reason.pk, "note": "B1 at best", "confirmed": "on"})

    application.refresh_from_db()
    assert (application.close_reason, application.closing_reason, application.close_note) == (
        "rejected",
        reason,
        "B1 at best",
    )
    html = page(recruiter_client, application.applicant)
    assert "Closed" in html
    assert "at Verification: No English" in html


def test_reasons_are_offered_under_their_groups_and_retired_ones_are_not(
    recruiter_client, application
):
    ClosingReason.objects.create(name="Took another offer", group="withdrawn")
    ClosingReason.objects.create(name="Old reason", group="rejected", is_active=False)

    html = page(recruiter_client, application.applicant)

    withdrawn = html.index('<optgroup label="Withdrawn">')
    assert html.index("Took another offer") > withdrawn
    assert html.index('<optgroup label="Rejected">') < withdrawn
    assert "Old reason" not in html


def test_the_first_reasons_come_from_the_former_choices():
    assert set(ClosingReason.objects.values_list("name", "group")) == {
        ("Rejected", "rejected"),
        ("Withdrawn", "withdrawn"),
    }


def test_reopen_goes_back_to_the_stage_it_was_closed_at_and_is_recorded(
    recruiter_client, recruiter, application
):
    services.application_close(
        application=application,
        closing_reason=ClosingReason.objects.get(name="Withdrawn"),
        note="Moved abroad",
        actor=recruiter,
    )

    response = recruiter_client.post(f"/applications/{application.pk}/reopen/", follow=True)

    application.refresh_from_db()
    assert not application.is_closed
    assert (application.stage, application.closing_reason, application.close_reason) == (
        Stage.VERIFICATION,
        None,
        "",
    )
    assert "Application reopened at Verification." in response.content.decode()
    reopened = application.activities.get(kind=Activity.Kind.APPLICATION_REOPENED)
    assert (reopened.actor, reopened.to_stage) == (recruiter, "verification")
    # The timeline still says why it had been closed.
    assert f"{application.vacancy.title}: closed — Withdrawn — Moved abroad" in page(
        recruiter_client, application.applicant
    )


def test_reopen_is_refused_when_another_application_is_open_there(
    recruiter_client, recruiter, application
):
    services.application_close(application=application, reason="rejected", actor=recruiter)
    ApplicationFactory(applicant=application.applicant, vacancy=application.vacancy)

    response = recruiter_client.post(f"/applications/{application.pk}/reopen/", follow=True)

    assert "has another open application for" in response.content.decode()
    application.refresh_from_db()
    assert application.is_closed
    assert not application.activities.filter(kind=Activity.Kind.APPLICATION_REOPENED).exists()


def test_closing_without_a_reason_is_refused(recruiter_client, application):
    response = recruiter_client.post(f"/applications/{application.pk}/close/", {"note": "?"})

    assert "Reason: This field is required." in response.content.decode()
    application.refresh_from_db()
    assert not application.is_closed


def test_a_note_is_sanitized_and_shown(recruiter_client, application):
    recruiter_client.post(
        f"/applicants/{application.applicant.pk}/notes/",
        {"body": "<p>Great <b>Django</b></p><img src=x onerror=alert(1)><script>alert(2)</script>"},
    )

    html = page(recruiter_client, application.applicant)
    assert "<p>Great <b>Django</b></p>" in html
    assert "onerror" not in html
    assert "alert(2)" not in html


def test_an_empty_note_is_a_field_error(recruiter_client, application):
    response = recruiter_client.post(
        f"/applicants/{application.applicant.pk}/notes/", {"body": "<p><br></p>"}
    )

    assert "A note cannot be empty." in response.content.decode()
    assert not application.applicant.activities.exists()


def test_author_edits_and_deletes_a_note_which_then_reads_deleted(recruiter_client, recruiter):
    applicant = ApplicantFactory()
    note = note_add(applicant=applicant, body="<p>typo</p>", actor=recruiter)

    recruiter_client.post(f"/notes/{note.pk}/edit/", {"body": "<p>fixed</p>"})
    assert "<p>fixed</p>" in page(recruiter_client, applicant)
    recruiter_client.post(f"/notes/{note.pk}/delete/")

    html = page(recruiter_client, applicant)
    assert "Note deleted" in html
    assert "<p>fixed</p>" not in html
    note.refresh_from_db()
    assert note.deleted_at is not None


def test_another_recruiter_cannot_change_my_note(client, recruiter):
    note = note_add(applicant=ApplicantFactory(), body="<p>mine</p>", actor=recruiter)
    client.force_login(UserFactory())

    assert client.post(f"/notes/{note.pk}/edit/", {"body": "<p>yours</p>"}).status_code == 403
    assert client.post(f"/notes/{note.pk}/delete/").status_code == 403
    note.refresh_from_db()
    assert (note.body, note.deleted_at) == ("<p>mine</p>", None)


def test_ratings_from_the_interview_and_their_average(recruiter_client, recruiter):
    application = ApplicationFactory(stage=Stage.INTERVIEW)
    rating_add(application=application, criterion="technical", rating=4, actor=recruiter)

    recruiter_client.post(
        f"/applications/{application.pk}/ratings/",
        {"criterion": "communication", "rating": "5", "comment": "Clear"},
    )

    html = page(recruiter_client, application.applicant)
    assert "4.5 / 5" in html
    assert "Communication: 5/5 — Clear" in html
    listed = recruiter_client.get("/applicants/")
    assert listed.context["listing"].page.object_list[0].rating_average == pytest.approx(4.5)
    assert "★ 4.5" in listed.content.decode()


def test_rating_before_the_interview_is_refused(recruiter_client, application):
    response = recruiter_client.post(
        f"/applications/{application.pk}/ratings/", {"criterion": "technical", "rating": "3"}
    )

    assert "Ratings start at the interview stage." in response.content.decode()
    assert not application.activities.exists()


def test_tags_are_edited_with_new_ones_made(recruiter_client, application):
    application.applicant.tags.add(TagFactory(name="php"))

    recruiter_client.post(
        f"/applicants/{application.applicant.pk}/tags/", {"tags": "python, kotlin"}
    )

    assert set(application.applicant.tags.values_list("name", flat=True)) == {"python", "kotlin"}
    assert "added: kotlin, python; removed: php" in page(recruiter_client, application.applicant)


@pytest.mark.parametrize("entries", [2, 20])
def test_applicant_page_query_count_does_not_grow_with_the_timeline(
    recruiter_client, recruiter, django_assert_num_queries, entries
):
    applicant = ApplicantFactory()
    applicant.tags.add(TagFactory(name="python"))
    for _ in range(2):
        ApplicationFactory(applicant=applicant, stage=Stage.INTERVIEW)
    colleague = UserFactory()
    for number in range(entries):
        author = recruiter if number % 2 else colleague
        note_add(applicant=applicant, body=f"<p>note {number}</p>", actor=author)

    # 1 session, 2 user, 3 the user's role, 4 the applicant with city and source, 5 its
    # tags, 6 its applications with their vacancies, 7-8 their interviews and the
    # interviews' summary (with interviews, a ninth: their panels), 9 the timeline, 10
    # ratings, 11 the closing reasons to close with, 12 the open vacancies to apply for,
    # 13 the careers consents and 14 the recorded legal bases (the personal data panel).
    # The access log entry waits in memory for its batch.
    with django_assert_num_queries(14):
        recruiter_client.get(f"/applicants/{applicant.pk}/")


def test_one_move_form_with_one_email_checkbox_and_the_next_button(recruiter_client, application):
    html = page(recruiter_client, application.applicant)

    assert html.count('name="send_email"') == 1
    assert 'name="stage" value="interview"' in html


def test_the_next_button_wins_over_the_select_it_follows(recruiter_client, application):
    # The form posts the select's stage, then the clicked button's.
    recruiter_client.post(
        f"/applications/{application.pk}/move/",
        {"stage": ["verification", "interview"], "expected_stage": "verification"},
    )

    application.refresh_from_db()
    assert application.stage == Stage.INTERVIEW


def test_tags_are_shown_once_as_the_picker_for_who_may_change_them(recruiter_client, application):
    application.applicant.tags.add(TagFactory(name="kotlin"))
    viewer = UserFactory(username="vera")
    viewer.groups.add(role("interviewers"))
    application.vacancy.interviewers.add(viewer)
    interviewer_client = Client()
    interviewer_client.force_login(viewer)

    editable = page(recruiter_client, application.applicant)
    read_only = page(interviewer_client, application.applicant)

    assert editable.count("kotlin") == 1
    assert "Pick a tag or type a new one" in editable
    assert "Comma-separated" not in editable
    assert read_only.count("kotlin") == 1
    assert 'class="tag-chip"' in read_only


def test_every_page_names_an_icon_that_is_served(recruiter_client, application):
    html = page(recruiter_client, application.applicant)
    icon = Client().get("/favicon.ico")

    assert 'rel="icon"' in html
    assert icon.status_code == 200
    assert icon["Content-Type"] == "image/svg+xml"
