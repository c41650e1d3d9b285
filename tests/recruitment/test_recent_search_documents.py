"""The recently active applicants' kept search words (RecentSearchDocument), kept by
PostgreSQL's triggers: exactly the findable applicants active within the last
RECENT_SEARCH_DAYS + 1 days after any mix of writes, the daily trim and the migration's
fill racing those writes included; and the typeahead's answer from them equals the one
from everyone."""

import datetime
import importlib
import random
from types import SimpleNamespace

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from recruitment import selectors, services
from recruitment.collation import fold
from recruitment.factories import ApplicantFactory
from recruitment.models import (
    RECENT_SEARCH_DAYS,
    Applicant,
    ApplicantSearchDocument,
    RecentSearchDocument,
)
from recruitment.search import search_words
from recruitment.selectors import applicant_suggestions
from tests.recruitment.concurrency import write_while_open
from tests.recruitment.plans import captured_plans

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]

FILL = importlib.import_module("recruitment.migrations.0040_fill_recent_search_documents")
NAMES = ["Łucja", "Anna", "Żaneta", "Piotr", "Kowalska", "Śliwa", "Zenon"]
# Days ago an applicant was last active: within the kept time, just inside its edge, and
# beyond it.
AGES = [0, 3, RECENT_SEARCH_DAYS - 1, RECENT_SEARCH_DAYS + 0.5, RECENT_SEARCH_DAYS + 2, 400]


def days_ago(days: float) -> datetime.datetime:
    return timezone.now() - datetime.timedelta(days=days)


def kept() -> dict[int, tuple]:
    rows = RecentSearchDocument.objects.values_list(
        "applicant_id", "latest_activity_at", "document"
    )
    return {pk: (latest, document) for pk, latest, document in rows}


def from_scratch() -> dict[int, tuple]:
    documents = dict(ApplicantSearchDocument.objects.values_list("applicant_id", "document"))
    findable = Applicant.objects.filter(
        merged_into__isnull=True,
        restricted_at__isnull=True,
        latest_activity_at__gte=days_ago(RECENT_SEARCH_DAYS + 1),
    )
    return {
        pk: (latest, documents[pk])
        for pk, latest in findable.values_list("pk", "latest_activity_at")
    }


def fill() -> None:
    with connection.cursor() as cursor:
        cursor.execute(FILL.FILL, [0, 2**62])


def random_writes(generator: random.Random, rounds: int = 60):
    """Yields after each of `rounds` random writes: applicants created one at a time and
    in bulk, active at any age; moved (a new latest activity) to any age; their text
    edited; merged, restricted and set free again; and deleted."""
    actions = ["create", "bulk", "move", "edit", "merge", "restrict", "free", "delete"]
    for _ in range(rounds):
        applicants = list(Applicant.objects.order_by("pk"))
        action = generator.choice(actions)
        if action == "create" or len(applicants) < 2:
            ApplicantFactory(
                cv_text=f"Python {generator.choice(NAMES)}",
                latest_activity_at=days_ago(generator.choice(AGES)),
            )
            yield action
            continue
        chosen = generator.choice(applicants)
        one = Applicant.objects.filter(pk=chosen.pk)
        if action == "bulk":
            Applicant.objects.bulk_create(
                Applicant(
                    first_name=generator.choice(NAMES),
                    email=f"{n}@x.pl",
                    latest_activity_at=days_ago(generator.choice(AGES)),
                )
                for n in generator.sample(range(10**6), 3)
            )
        elif action == "move":
            one.update(latest_activity_at=days_ago(generator.choice(AGES)))
        elif action == "edit":
            chosen.last_name = generator.choice(NAMES)
            chosen.save()
        elif action == "merge":
            other = generator.choice([a for a in applicants if a.pk != chosen.pk])
            one.update(merged_into=other)
        elif action == "restrict":
            one.update(restricted_at=timezone.now())
        elif action == "free":
            one.update(restricted_at=None, merged_into=None)
        else:
            Applicant.objects.filter(merged_into=chosen).update(merged_into=None)
            chosen.delete()
        yield action


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_kept_rows_are_the_findable_recently_active(seed):
    generator = random.Random(seed)
    for _ in random_writes(generator):
        assert kept() == from_scratch()
    assert RecentSearchDocument.objects.exists()
    assert Applicant.objects.count() > RecentSearchDocument.objects.count()


def test_a_move_updates_the_row_in_place():
    """A move writes the latest activity alone, on the row's own page (a HOT update): no
    index entry, no copy of the CV's words."""
    # A CV of 800 different words: its kept words are stored apart (TOASTed), as a real
    # CV's are.
    letters = random.Random(1)
    words = ("".join(letters.choices("abcdefghijklmnopqrstuvwxyz", k=9)) for _ in range(800))
    applicant = ApplicantFactory(cv_text=" ".join(words))

    def updates() -> tuple[int, int]:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT n_tup_upd, n_tup_hot_upd FROM pg_stat_xact_user_tables"
                " WHERE relname = 'recruitment_recentsearchdocument'"
            )
            return cursor.fetchone()

    before = updates()
    Applicant.objects.filter(pk=applicant.pk).update(latest_activity_at=timezone.now())
    after = updates()

    assert (after[0] - before[0], after[1] - before[1]) == (1, 1)


def test_the_daily_trim_deletes_the_rows_aged_out_since():
    staying, ageing = ApplicantFactory(), ApplicantFactory()
    # Time passes: the row was written when the applicant was active, 32 days ago now.
    RecentSearchDocument.objects.filter(applicant_id=ageing.pk).update(
        latest_activity_at=days_ago(RECENT_SEARCH_DAYS + 2)
    )

    assert services.recent_search_documents_trim() == 1
    assert set(kept()) == {staying.pk}


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("first", ["move", "trim"])
def test_a_move_during_the_trim_keeps_the_row(first):
    """The trim and a move of an applicant whose row had aged out, in two transactions
    at once, in either order: the row ends there, with the move's activity."""
    applicant = ApplicantFactory()
    RecentSearchDocument.objects.filter(applicant_id=applicant.pk).update(
        latest_activity_at=days_ago(RECENT_SEARCH_DAYS + 2)
    )
    moved_at = timezone.now()

    def move():
        Applicant.objects.filter(pk=applicant.pk).update(latest_activity_at=moved_at)

    writers = (move, services.recent_search_documents_trim)
    overlap = write_while_open(*(writers if first == "move" else writers[::-1]))

    assert overlap.first_finished
    assert not overlap.failures
    assert kept() == from_scratch()
    assert kept()[applicant.pk][0] == moved_at


def test_the_migration_fills_the_recently_active_and_keeps_newer_rows():
    recent, old, merged = ApplicantFactory(), ApplicantFactory(), ApplicantFactory()
    newer = ApplicantFactory()
    Applicant.objects.filter(pk=old.pk).update(latest_activity_at=days_ago(40))
    Applicant.objects.filter(pk=merged.pk).update(merged_into=recent)
    RecentSearchDocument.objects.filter(applicant_id__in=[recent.pk]).delete()
    # As if a move had written its row while the fill's batch was reading.
    RecentSearchDocument.objects.filter(applicant_id=newer.pk).update(document="newer")

    fill()

    assert set(kept()) == {recent.pk, newer.pk}
    assert kept()[recent.pk] == from_scratch()[recent.pk]
    assert kept()[newer.pk][1] == "'newer'"


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("first", ["merge", "fill"])
def test_a_merge_during_the_fill_leaves_no_row(first):
    """The migration's fill and the merge of a recently active applicant in two
    transactions at once, in either order: no row is left for the merged applicant."""
    applicant, survivor = ApplicantFactory(last_name="Nowak"), ApplicantFactory()
    RecentSearchDocument.objects.all().delete()

    def merge():
        Applicant.objects.filter(pk=applicant.pk).update(merged_into=survivor)

    overlap = write_while_open(*((merge, fill) if first == "merge" else (fill, merge)))

    assert overlap.first_finished
    assert not overlap.failures
    assert kept() == from_scratch()
    assert set(kept()) == {survivor.pk}


def brute_force(text: str, limit: int = 10) -> list[int]:
    """The typeahead's answer worked out in Python: the findable applicants whose text
    has a word starting with each word of `text`, the most recently active first."""
    words = [fold(word) for word in search_words(text)]
    documents = dict(ApplicantSearchDocument.objects.values_list("applicant_id", "document"))
    found = [
        applicant
        for applicant in Applicant.objects.filter(
            merged_into__isnull=True, restricted_at__isnull=True
        )
        if all(
            any(lexeme.strip("'").startswith(word) for lexeme in documents[applicant.pk].split())
            for word in words
        )
    ]
    found.sort(key=lambda a: (a.latest_activity_at, a.pk), reverse=True)
    return [applicant.pk for applicant in found[:limit]]


@pytest.mark.parametrize("seed", [1, 2])
def test_suggestions_equal_the_ten_latest_matches_of_everyone(seed, monkeypatch):
    """Random applicants active at any age, some merged or restricted: whichever read
    settles the answer (the recent applicants, their index, or everyone's), it is the
    ten most recently active matches."""
    monkeypatch.setattr(selectors, "SUGGESTION_WINDOW", 3)
    generator = random.Random(seed)
    for number in range(80):
        applicant = ApplicantFactory(
            first_name=generator.choice(NAMES),
            last_name=f"Bąk{number}",
            cv_text=generator.choice(["Python Kraków", "Elixir Gdańsk", ""]),
            latest_activity_at=days_ago(generator.uniform(0, 3 * RECENT_SEARCH_DAYS)),
        )
        if number % 9 == 0:
            Applicant.objects.filter(pk=applicant.pk).update(restricted_at=timezone.now())
    for text in ["anna", "python", "elixir gda", "kowalska kra", "zenon", "śliwa python", "zzq"]:
        found = [applicant.pk for applicant in applicant_suggestions(text=text)]
        assert found == brute_force(text), text


def test_ten_recent_matches_are_the_answer_without_reading_everyone(monkeypatch):
    monkeypatch.setattr(selectors, "SUGGESTION_WINDOW", 1)
    for hours in range(12):
        ApplicantFactory(first_name="Kasia", latest_activity_at=days_ago(hours / 24))
    ApplicantFactory(first_name="Jan")  # the window

    with CaptureQueriesContext(connection) as captured:
        found = applicant_suggestions(text="kasia")

    assert len(found) == 10
    searched = [query["sql"] for query in captured if "@@" in query["sql"]]
    assert len(searched) == 2
    assert "recruitment_recentsearchdocument" in searched[1]


def test_fewer_than_ten_recent_matches_are_completed_from_everyone(monkeypatch):
    monkeypatch.setattr(selectors, "SUGGESTION_WINDOW", 1)
    kasias = [
        ApplicantFactory(first_name="Kasia", latest_activity_at=days_ago(days))
        for days in [*range(8), 35, 36, 400]
    ]
    ApplicantFactory(first_name="Jan")  # the window

    with CaptureQueriesContext(connection) as captured:
        found = applicant_suggestions(text="kasia")

    assert found == kasias[:10]
    assert sum("@@" in query["sql"] for query in captured) == 3


def test_a_row_the_trim_has_not_reached_yet_is_not_trusted(monkeypatch):
    """Nine recent Kasias and one whose row aged out but is not trimmed yet (active 45
    days ago): the whole index is read, and the Kasia active 35 days ago, who has no
    row, comes before her."""
    monkeypatch.setattr(selectors, "SUGGESTION_WINDOW", 1)
    recent = [
        ApplicantFactory(first_name="Kasia", latest_activity_at=days_ago(days)) for days in range(9)
    ]
    between = ApplicantFactory(first_name="Kasia", latest_activity_at=days_ago(35))
    untrimmed = ApplicantFactory(first_name="Kasia")
    row = RecentSearchDocument.objects.get(applicant_id=untrimmed.pk)
    Applicant.objects.filter(pk=untrimmed.pk).update(latest_activity_at=days_ago(45))
    # The row as the trigger wrote it, aged as if the trim had not run for two weeks.
    row.latest_activity_at = days_ago(45)
    row.save()
    ApplicantFactory(first_name="Jan")  # the window

    assert applicant_suggestions(text="kasia") == [*recent, between]


def test_the_recent_matches_are_read_from_their_index(monkeypatch):
    """With fresh statistics, the planner would rather scan the recent applicants' rows
    (in order, or by their key), counting the unpacking of each one's words as nearly
    free: 110 ms for a town at 100,000 applicants, against 3 ms from the index."""
    monkeypatch.setattr(selectors, "SUGGESTION_WINDOW", 1)
    Applicant.objects.bulk_create(
        Applicant(
            first_name="Anna",
            last_name=f"Nowak{n}",
            email=f"anna{n}@example.com",
            cv_text="Wrocław" if n % 20 == 0 else "Gdańsk Poznań Kraków",
        )
        for n in range(3000)
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE recruitment_applicant, recruitment_recentsearchdocument")

    with CaptureQueriesContext(connection) as captured:
        assert len(applicant_suggestions(text="wrocław")) == 10

    [plan] = [p for sql, p in captured_plans(captured).items() if "recentsearch" in sql]
    scans = [line for line in plan if "Scan" in line and "recentsearchdocument" in line]
    assert scans and all("Bitmap Heap Scan" in line for line in scans), "\n".join(plan)
    assert any("Bitmap Index Scan on recent_document_idx" in line for line in plan)


@pytest.mark.django_db(transaction=True)
def test_the_fill_run_again_after_a_killed_build_makes_the_index_valid():
    """A deploy killed while 0040 built its index CONCURRENTLY leaves the index invalid
    (kept up to date, never read); the migration run again builds it anew rather than
    taking the invalid one for done."""
    ApplicantFactory(cv_text="Wrocław")

    def valid() -> bool:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT indisvalid FROM pg_index WHERE indexrelid = 'recent_document_idx'::regclass"
            )
            return cursor.fetchone()[0]

    with connection.cursor() as cursor:
        # What PostgreSQL leaves of an interrupted CREATE INDEX CONCURRENTLY.
        cursor.execute(
            "UPDATE pg_index SET indisvalid = false"
            " WHERE indexrelid = 'recent_document_idx'::regclass"
        )
    assert not valid()

    FILL.fill(None, SimpleNamespace(connection=connection))

    assert valid()
    assert set(kept()) == set(Applicant.objects.values_list("pk", flat=True))
