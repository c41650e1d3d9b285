"""Polish names found whatever the case and accents, phones by their digits, names in
Polish order: on SQLite (`make run`) and on PostgreSQL alike."""

import pytest
from django.db import connection

from recruitment.collation import fold
from recruitment.factories import ApplicantFactory, ApplicationFactory
from recruitment.filters import ApplicationFilterSet
from recruitment.models import Applicant, Application
from recruitment.search import applicant_search_q
from recruitment.selectors import applicant_suggestions

pytestmark = pytest.mark.django_db

SURNAMES = ["Łupina", "Łęcka", "Żółtek", "Śledzik", "Kowalski"]


def found(text: str) -> set[str]:
    return set(
        Applicant.objects.filter(applicant_search_q(text)).values_list("last_name", flat=True)
    )


def listed(query: dict) -> list[str]:
    filterset = ApplicationFilterSet(query, queryset=Application.objects.all())
    return [application.applicant.last_name for application in filterset.qs]


@pytest.fixture
def people():
    for surname in SURNAMES:
        ApplicantFactory(first_name="Anna", last_name=surname)


@pytest.mark.parametrize(
    ("text", "surname"),
    [
        ("Łupina", "Łupina"),
        ("łupina", "Łupina"),
        ("ŁUPINA", "Łupina"),
        ("lupina", "Łupina"),
        ("lecka", "Łęcka"),
        ("łęcka", "Łęcka"),
        ("Żółtek", "Żółtek"),
        ("zoltek", "Żółtek"),
        ("Śledzik", "Śledzik"),
        ("sledz", "Śledzik"),
    ],
)
def test_a_polish_name_is_found_whatever_its_case_and_accents(people, text, surname):
    assert found(text) == {surname}


def test_the_quick_search_and_the_list_find_the_same(people):
    for surname in SURNAMES:
        ApplicationFactory(applicant=Applicant.objects.get(last_name=surname))

    assert [a.last_name for a in applicant_suggestions(text="zółtek")] == ["Żółtek"]
    assert listed({"q": "ZOLTEK"}) == ["Żółtek"]


@pytest.mark.parametrize(
    "typed", ["809335983", "+48 809-335-983", "0048809335983", "(+48) 809 335 983", "809 335"]
)
def test_a_phone_is_found_by_its_digits_however_typed(typed):
    ApplicantFactory(last_name="Nowak", phone="+48 809 335 983")
    ApplicantFactory(last_name="Other", phone="600 100 200")

    assert found(typed) == {"Nowak"}


def test_the_name_sort_follows_the_polish_alphabet():
    # In code-point (or English) order Ł, Ś, Ź, Ż would come after Z, and "Męka",
    # "Ósma" before "Mez", "Oz": Polish puts each letter with a mark after its base.
    polish = ["Lis", "Łupina", "Mez", "Męka", "Oz", "Ósma", "Sowa", "Śledzik", "Zając",
              "Źrebiec", "Żółtek"]  # fmt: skip
    for surname in reversed(polish):
        ApplicationFactory(applicant=ApplicantFactory(last_name=surname))

    assert listed({"sort": "name"}) == polish
    assert listed({"sort": "-name"}) == polish[::-1]


def test_lower_case_sorts_just_before_upper_case_of_the_same_name():
    for surname in ["Żak", "żak", "Zak"]:
        ApplicationFactory(applicant=ApplicantFactory(last_name=surname))

    assert listed({"sort": "name"}) == ["Zak", "żak", "Żak"]


def test_folding_strips_marks_and_maps_stroked_letters():
    assert fold("ŁĘCKA Żółć Straße Øre") == "lecka zolc strasse ore"


def explain(queryset, *, bitmaps_only: bool = False) -> str:
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        # With a few rows a scan is cheaper; ruling scans out asks whether the index fits
        # the query's expression at all.
        cursor.execute("SET LOCAL enable_seqscan = off")
        if bitmaps_only:
            # A GIN index is only ever read through a bitmap.
            cursor.execute("SET LOCAL enable_indexscan = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        return "\n".join(row[0] for row in cursor.fetchall())


@pytest.mark.postgres
def test_postgres_accent_blind_search_is_served_by_the_search_index(people):
    plan = explain(Applicant.objects.filter(applicant_search_q("zoltek")), bitmaps_only=True)

    assert "Bitmap Index Scan on applicant_document_idx" in plan


@pytest.mark.postgres
def test_postgres_phone_search_is_served_by_the_phone_key_index():
    plan = explain(Applicant.objects.filter(applicant_search_q("+48 809-335-983")))

    assert "applicant_phone_key_idx" in plan


@pytest.mark.postgres
def test_postgres_polish_name_order_is_served_by_its_index(people):
    from recruitment.filters import name_order

    plan = explain(Applicant.objects.order_by(*name_order(), "id")[:20])

    assert "Index Scan using applicant_name_pl_idx" in plan
