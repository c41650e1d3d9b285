"""The quick search: Polish names whatever the accents, the most recently active first
whether they are found among the recent applicants or in the index, and on PostgreSQL a
text that matches nobody is looked up in the index, never by walking every applicant."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from recruitment import selectors
from recruitment.factories import ApplicantFactory
from recruitment.models import Applicant
from recruitment.search import applicant_search_q
from recruitment.selectors import applicant_suggestions
from tests.recruitment.plans import captured_plans

pytestmark = pytest.mark.django_db


def suggested(client, text: str) -> list[str]:
    results = client.get("/applicants/suggest/", {"q": text}).json()["results"]
    return [result["name"] for result in results]


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("lecka", "Łucja Łęcka"),
        ("ŁĘCK", "Łucja Łęcka"),
        ("zolt", "Żaneta Żółtek"),
        ("Żółtek", "Żaneta Żółtek"),
        ("slez", "Śmiała Ślęzak"),
        ("zan zol", "Żaneta Żółtek"),
    ],
)
def test_polish_names_are_suggested_whatever_the_accents(recruiter_client, text, name):
    ApplicantFactory(first_name="Łucja", last_name="Łęcka")
    ApplicantFactory(first_name="Żaneta", last_name="Żółtek")
    ApplicantFactory(first_name="Śmiała", last_name="Ślęzak")
    ApplicantFactory(first_name="Jan", last_name="Kowalski")

    assert suggested(recruiter_client, text) == [name]


@pytest.fixture
def kasias():
    """Twelve Kasias, the latest active first, behind five more recent non-Kasias."""
    now = timezone.now()
    names = []
    for number in range(12):
        applicant = ApplicantFactory(
            first_name="Kasia",
            last_name=f"Nowak{number}",
            latest_activity_at=now - datetime.timedelta(hours=10 + number),
        )
        names.append(applicant.full_name)
    for number in range(5):
        ApplicantFactory(
            first_name="Jan", latest_activity_at=now - datetime.timedelta(hours=number)
        )
    return names


@pytest.mark.parametrize("window", [3, 20, 500])
def test_the_ten_latest_active_whatever_the_window(recruiter_client, kasias, monkeypatch, window):
    # 3: too few Kasias among the recent, found in the index; 20 and 500: found there.
    monkeypatch.setattr(selectors, "SUGGESTION_WINDOW", window)

    assert suggested(recruiter_client, "kasia") == kasias[:10]


def test_nothing_matches_nothing(recruiter_client, kasias):
    assert suggested(recruiter_client, "zzqxw") == []


@pytest.mark.postgres
def test_text_that_matches_nobody_is_looked_up_in_the_search_index():
    # Enough applicants, with fresh statistics, that the planner weighs its choices as
    # it does on a large database (with a dozen rows anything goes).
    Applicant.objects.bulk_create(
        Applicant(first_name="Anna", last_name=f"Nowak{n}", email=f"anna{n}@example.com")
        for n in range(3000)
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE recruitment_applicant, recruitment_applicantsearchdocument")
    with CaptureQueriesContext(connection) as captured:
        assert applicant_suggestions(text="zzqxw") == []
    plans = captured_plans(captured)
    window, recent, everyone = [plan for sql, plan in plans.items() if "@@" in sql]

    # The recent applicants: the latest-activity index read under a LIMIT, no further.
    walks = [n for n, line in enumerate(window) if "applicant_activity_idx" in line]
    assert walks and all("Limit" in window[n - 1] for n in walks), window
    # Then the recently active's kept words, and everyone's: the matches from the kept
    # documents (their index, or at this size a scan of them), sorted; no index walk,
    # and no one's text worked out again.
    assert any("recruitment_recentsearchdocument" in line for line in recent), recent
    assert any("recruitment_applicantsearchdocument" in line for line in everyone), everyone
    assert not any("applicant_activity_idx" in line for line in recent + everyone)
    assert not any("to_tsvector" in line for line in window + recent + everyone)


@pytest.mark.parametrize("rows", [3, 12])
def test_typeahead_query_count_does_not_grow_with_matches(
    recruiter_client, django_assert_max_num_queries, rows
):
    for number in range(rows):
        ApplicantFactory(first_name="Kasia", last_name=f"Łęcka{number}")

    # 1 session, 2 user, 3 role, then on PostgreSQL 4 whether the word is a tag, 5 the
    # recent applicants, 6 the recently active's index (with its planner setting, and
    # in the test's transaction the savepoint around it and the setting's reset: 4 more)
    # and 7 the search index (each when the reads before had fewer than ten); on SQLite
    # one match query; last, the suggestions' tags.
    with django_assert_max_num_queries(12 if connection.vendor == "postgresql" else 5):
        results = recruiter_client.get("/applicants/suggest/", {"q": "lecka"}).json()["results"]

    assert len(results) == min(rows, 10)


@pytest.mark.parametrize(("text", "email"), [("jan k", "jk@rms.io"), ("jan n ł", "jan.lis@rms.io")])
def test_one_letter_words_narrow_what_the_index_finds(recruiter_client, monkeypatch, text, email):
    """Beyond the recent applicants, one-letter words are checked on the rows the longer
    ones found in the search index, blind to accents: only the people they describe come
    back."""
    monkeypatch.setattr(selectors, "SUGGESTION_WINDOW", 1)
    ApplicantFactory(first_name="Zenon", last_name="Zet", email="zz@rms.io")  # the window
    for first, last, address in [
        ("Jan", "Kot", "jk@rms.io"),
        ("Jan", "Nowicz", "jan.lis@rms.io"),
        ("Jan", "Nowicz", "jn@rms.io"),
        ("Janina", "Zimny", "jz@rms.io"),
    ]:
        ApplicantFactory(first_name=first, last_name=last, email=address)

    assert suggested(recruiter_client, text) == [Applicant.objects.get(email=email).full_name]


@pytest.mark.postgres
def test_one_letter_words_alone_are_looked_for_among_the_recent_only(recruiter_client, monkeypatch):
    """Every lexeme starting with "a" is most of the search index: "a b" is checked on
    the recent applicants and not read from the index (the list's search finds the rest)."""
    monkeypatch.setattr(selectors, "SUGGESTION_WINDOW", 1)
    now = timezone.now()
    ApplicantFactory(first_name="Ala", last_name="Bąk", latest_activity_at=now)
    ApplicantFactory(
        first_name="Ala", last_name="Bura", latest_activity_at=now - datetime.timedelta(days=1)
    )

    with CaptureQueriesContext(connection) as captured:
        assert suggested(recruiter_client, "a b") == ["Ala Bąk"]

    assert sum("@@" in query["sql"] for query in captured) == 1
    assert Applicant.objects.filter(applicant_search_q("a b")).count() == 2


@pytest.mark.postgres
def test_a_half_typed_address_is_read_from_its_index(recruiter_client):
    Applicant.objects.bulk_create(
        Applicant(first_name="Anna", last_name=f"Nowak{n}", email=f"anna{n}@example.com")
        for n in range(3000)
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE recruitment_applicant, recruitment_applicantsearchdocument")

    with CaptureQueriesContext(connection) as captured:
        names = suggested(recruiter_client, "ANNA2999@")

    assert names == ["Anna Nowak2999"]
    plans = []
    with connection.cursor() as cursor:
        for query in captured:
            if "LIKE" in query["sql"] and "@@" not in query["sql"]:
                cursor.execute(f"EXPLAIN {query['sql']}")
                plans += [row[0] for row in cursor.fetchall()]
    assert any("applicant_email_prefix_idx" in line for line in plans), plans
    # The recent applicants' check, then everyone's addresses, once: the recently
    # active's word index has no part in an address.
    assert sum("LIKE" in query["sql"] for query in captured) == 2


@pytest.mark.postgres
def test_a_country_code_is_checked_on_the_rows_the_number_found(recruiter_client, monkeypatch):
    """Every Polish phone has "+48": beyond the recent applicants, "+48 600" reads "600"
    from the search index and checks the country code on the phones found."""
    monkeypatch.setattr(selectors, "SUGGESTION_WINDOW", 1)
    ApplicantFactory(first_name="Zenon", phone="+48 500 000 000")  # the window
    for first, phone in [("Ola", "+48 600 111 222"), ("Ela", "+49 600 111 222"), ("Iza", "")]:
        ApplicantFactory(first_name=first, last_name="Nowak", phone=phone)

    with CaptureQueriesContext(connection) as captured:
        names = suggested(recruiter_client, "+48 600")

    assert names == ["Ola Nowak"]
    # The recent applicants' check, then the indexes: asked for "600" alone.
    window, *indexes = [query["sql"] for query in captured if "to_tsquery" in query["sql"]]
    assert "+48'':*" in window
    assert len(indexes) == 2
    for read in indexes:
        assert "'600'':*" in read and "+48'':*" not in read, read
