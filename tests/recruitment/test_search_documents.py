"""Each applicant's kept search document (the words of their name, address, phone and CV
as the search index reads them), kept by PostgreSQL's triggers: equal to the applicant's
text after any mix of writes, concurrent ones and the migration's fill included, and
what the typeahead checks its recent applicants against."""

import importlib
import random

import pytest
from django.db import connection
from django.db.models import Func
from django.test.utils import CaptureQueriesContext

from recruitment import selectors
from recruitment.factories import ApplicantFactory
from recruitment.models import Applicant, ApplicantSearchDocument
from recruitment.search import applicant_search_vector
from tests.recruitment.concurrency import write_while_open

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]

FILL = importlib.import_module("recruitment.migrations.0037_fill_applicant_search_documents")
NAMES = ["Łucja", "Anna", "Żaneta", "Piotr", "Kowalska", "Śliwa", "Zenon"]


def kept() -> dict[int, str]:
    return dict(ApplicantSearchDocument.objects.values_list("applicant_id", "document"))


def from_scratch() -> dict[int, str]:
    stripped = Func(applicant_search_vector(), function="strip")
    return dict(Applicant.objects.annotate(words=stripped).values_list("pk", "words"))


def fill() -> None:
    with connection.cursor() as cursor:
        cursor.execute(FILL.FILL, [0, 2**62])


def random_writes(generator: random.Random, rounds: int = 60):
    """Yields after each of `rounds` random writes: applicants created one at a time and
    in bulk, their names, phones and CV text edited through save() and in bulk, other
    fields edited, and applicants deleted."""
    for _ in range(rounds):
        applicants = list(Applicant.objects.order_by("pk"))
        action = generator.choice(["create", "bulk", "edit", "bulk_edit", "quiet", "delete"])
        if action == "create" or not applicants:
            ApplicantFactory(cv_text=f"Python {generator.choice(NAMES)} Kraków")
        elif action == "bulk":
            Applicant.objects.bulk_create(
                Applicant(first_name=generator.choice(NAMES), last_name="Bąk", email=f"{n}@x.pl")
                for n in generator.sample(range(10**6), 3)
            )
        elif action == "edit":
            applicant = generator.choice(applicants)
            applicant.last_name = generator.choice(NAMES)
            applicant.phone = f"+48 600 {generator.randint(100, 999)} 000"
            applicant.save()
        elif action == "bulk_edit":
            chosen = [a.pk for a in generator.sample(applicants, min(3, len(applicants)))]
            Applicant.objects.filter(pk__in=chosen).update(cv_text=generator.choice(NAMES))
        elif action == "quiet":
            Applicant.objects.filter(pk=generator.choice(applicants).pk).update(current_work="Acme")
        else:
            generator.choice(applicants).delete()
        yield action


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_kept_documents_equal_the_applicants_text(seed):
    for _ in random_writes(random.Random(seed)):
        assert kept() == from_scratch()
    assert Applicant.objects.count() > 3


def test_an_edit_of_other_fields_leaves_the_document_alone():
    applicant = ApplicantFactory(cv_text="Django")

    def version() -> str:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT ctid::text FROM recruitment_applicantsearchdocument"
                " WHERE applicant_id = %s",
                [applicant.pk],
            )
            return cursor.fetchone()[0]

    before = version()
    Applicant.objects.filter(pk=applicant.pk).update(current_work="Acme", notes_count=3)
    unchanged = version()
    Applicant.objects.filter(pk=applicant.pk).update(cv_text="Flask")

    assert unchanged == before
    assert version() != before
    assert "flask" in kept()[applicant.pk]


def test_the_migration_fills_what_is_missing_and_keeps_newer_rows():
    first, second = ApplicantFactory(cv_text="Łódź"), ApplicantFactory(last_name="Śliwa")
    ApplicantSearchDocument.objects.filter(applicant_id=first.pk).delete()
    # As if an edit had written its row while the fill's batch was reading.
    ApplicantSearchDocument.objects.filter(applicant_id=second.pk).update(document="newer")

    fill()

    assert kept()[first.pk] == from_scratch()[first.pk]
    assert kept()[second.pk] == "'newer'"


def test_a_truncate_empties_the_documents():
    ApplicantFactory.create_batch(2)

    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("TRUNCATE recruitment_applicant CASCADE")

    assert not ApplicantSearchDocument.objects.exists()


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("first", ["edit", "fill"])
def test_an_edit_during_the_fill_keeps_the_edit(first):
    """The migration's fill and an edit of the same applicant in two transactions at once,
    in either order: the document ends with the edited text."""
    applicant = ApplicantFactory(last_name="Nowak")
    ApplicantSearchDocument.objects.all().delete()

    def edit():
        Applicant.objects.filter(pk=applicant.pk).update(last_name="Żurek")

    writers = (edit, fill) if first == "edit" else (fill, edit)
    overlap = write_while_open(*writers)

    assert overlap.first_finished
    assert not overlap.failures
    assert kept() == from_scratch()
    assert "zurek" in kept()[applicant.pk]


def test_the_typeahead_checks_recent_applicants_against_their_kept_words(recruiter_client):
    """A word of a recent applicant's CV is found among the recent applicants, from the
    kept document: the window's check works out no one's text again."""
    ApplicantFactory(first_name="Ola", last_name="Nowak", cv_text="Programistka Elixir, Gdańsk")
    ApplicantFactory.create_batch(3)

    with CaptureQueriesContext(connection) as captured:
        response = recruiter_client.get("/applicants/suggest/", {"q": "elixir gda"})

    [found] = response.json()["results"]
    assert (found["name"], found["in_cv"]) == ("Ola Nowak", True)
    [window] = [q["sql"] for q in captured if f"LIMIT {selectors.SUGGESTION_WINDOW}" in q["sql"]]
    assert "recruitment_applicantsearchdocument" in window
    assert "to_tsvector" not in window
