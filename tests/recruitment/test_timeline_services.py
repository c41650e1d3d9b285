"""Notes edited and deleted, ratings and tags: each change on the record, none lost."""

import pytest

from recruitment.factories import ApplicantFactory, ApplicationFactory, TagFactory, UserFactory
from recruitment.models import Activity, Stage
from recruitment.services import (
    ServiceError,
    applicant_tags_set,
    note_add,
    note_delete,
    note_edit,
    rating_add,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def note(recruiter):
    return note_add(applicant=ApplicantFactory(), body="<p>First impression</p>", actor=recruiter)


def test_author_edits_a_note_and_the_old_text_stays_on_record(note, recruiter):
    note_edit(note=note, body="<p>Second <b>look</b><script>x()</script></p>", actor=recruiter)

    note.refresh_from_db()
    assert note.body == "<p>Second <b>look</b></p>"
    assert note.edited_at is not None
    edit = note.revisions.get()
    assert (edit.kind, edit.actor, edit.body) == (
        Activity.Kind.NOTE_EDITED,
        recruiter,
        "<p>First impression</p>",
    )


def test_someone_else_cannot_edit_or_delete_a_note(note):
    colleague = UserFactory()

    with pytest.raises(PermissionError, match="author or an admin"):
        note_edit(note=note, body="<p>mine now</p>", actor=colleague)
    with pytest.raises(PermissionError):
        note_delete(note=note, actor=colleague)

    note.refresh_from_db()
    assert (note.body, note.deleted_at) == ("<p>First impression</p>", None)
    assert not note.revisions.exists()


def test_an_admin_may_edit_anyones_note(note, admin_user):
    note_edit(note=note, body="<p>Tidied up</p>", actor=admin_user)

    note.refresh_from_db()
    assert note.body == "<p>Tidied up</p>"


def test_deleting_keeps_the_row_marks_it_and_lowers_the_count(note, recruiter):
    note_delete(note=note, actor=recruiter)

    note.refresh_from_db()
    assert note.deleted_at is not None
    assert note.body == "<p>First impression</p>"
    assert note.revisions.get().kind == Activity.Kind.NOTE_DELETED
    note.applicant.refresh_from_db()
    assert note.applicant.notes_count == 0


def test_a_deleted_note_cannot_be_edited(note, recruiter):
    note_delete(note=note, actor=recruiter)

    with pytest.raises(ServiceError, match="was deleted"):
        note_edit(note=note, body="<p>again</p>", actor=recruiter)


def test_an_empty_edit_is_refused(note, recruiter):
    with pytest.raises(ServiceError, match="cannot be empty"):
        note_edit(note=note, body="<p> </p>", actor=recruiter)

    note.refresh_from_db()
    assert note.body == "<p>First impression</p>"


def test_only_notes_can_be_edited(recruiter):
    application = ApplicationFactory(stage=Stage.INTERVIEW)
    rating = rating_add(application=application, criterion="technical", rating=4, actor=recruiter)

    with pytest.raises(ServiceError, match="Only notes"):
        note_edit(note=rating, body="<p>x</p>", actor=recruiter)


def test_rating_from_the_interview_on(recruiter):
    application = ApplicationFactory(stage=Stage.DECISION)

    rating = rating_add(
        application=application,
        criterion="team_fit",
        rating=5,
        comment=" Great pairing session ",
        actor=recruiter,
    )

    rating.refresh_from_db()
    assert (rating.kind, rating.criterion, rating.rating, rating.body) == (
        Activity.Kind.RATING,
        "team_fit",
        5,
        "Great pairing session",
    )


@pytest.mark.parametrize(
    ("stage", "criterion", "value", "field"),
    [
        (Stage.VERIFICATION, "technical", 4, "application"),
        (Stage.INTERVIEW, "charisma", 4, "criterion"),
        (Stage.INTERVIEW, "technical", 6, "rating"),
        (Stage.INTERVIEW, "technical", 0, "rating"),
    ],
)
def test_bad_ratings_are_refused_and_write_nothing(recruiter, stage, criterion, value, field):
    application = ApplicationFactory(stage=stage)

    with pytest.raises(ServiceError) as refused:
        rating_add(application=application, criterion=criterion, rating=value, actor=recruiter)

    assert refused.value.field == field
    assert not application.activities.exists()


def test_tags_are_set_with_new_ones_made_on_the_fly(recruiter):
    applicant = ApplicantFactory()
    applicant.tags.add(TagFactory(name="php"), TagFactory(name="css"))

    change = applicant_tags_set(
        applicant=applicant, names=["css", " Rust ", "python"], actor=recruiter
    )

    assert set(applicant.tags.values_list("name", flat=True)) == {"css", "rust", "python"}
    assert change.kind == Activity.Kind.TAGS_CHANGED
    assert change.body == "added: python, rust; removed: php"


def test_setting_the_same_tags_records_nothing(recruiter):
    applicant = ApplicantFactory()
    applicant.tags.add(TagFactory(name="css"))

    assert applicant_tags_set(applicant=applicant, names=["CSS"], actor=recruiter) is None
    assert not applicant.activities.exists()


def test_an_overlong_tag_is_refused(recruiter):
    applicant = ApplicantFactory()

    with pytest.raises(ServiceError, match="at most 100"):
        applicant_tags_set(applicant=applicant, names=["x" * 101], actor=recruiter)

    assert not applicant.tags.exists()
