"""The shared filter definition: what each filter keeps and what bad values do."""

import datetime

import pytest
from django.utils import timezone

from recruitment.factories import (
    ApplicantFactory,
    ApplicationFactory,
    CityFactory,
    SourceFactory,
    TagFactory,
    VacancyFactory,
)
from recruitment.filters import ApplicationFilterSet
from recruitment.models import Application, Stage

pytestmark = pytest.mark.django_db


def rows(query: dict) -> list[Application]:
    return list(ApplicationFilterSet(query, queryset=Application.objects.all()).qs)


def applied(**applicant_fields) -> Application:
    return ApplicationFactory(applicant=ApplicantFactory(**applicant_fields))


def this_year() -> int:
    return timezone.localdate().year


def test_without_filters_all_open_applications_newest_first():
    older = ApplicationFactory(created_at=timezone.now() - datetime.timedelta(days=2))
    newer = ApplicationFactory()
    ApplicationFactory(closed_at=timezone.now(), close_reason="rejected")

    assert rows({}) == [newer, older]


def test_tags_filter_keeps_applicants_with_every_chosen_tag():
    python, django, css = (
        TagFactory(name="python"),
        TagFactory(name="django"),
        TagFactory(name="css"),
    )
    both = applied()
    both.applicant.tags.add(python, django)
    only_python = applied()
    only_python.applicant.tags.add(python, css)

    assert rows({"tags": ["python", "django"]}) == [both]
    assert set(rows({"tags": ["python"]})) == {both, only_python}


def test_stage_filter_and_the_closed_tab():
    interview = ApplicationFactory(stage=Stage.INTERVIEW)
    ApplicationFactory(stage=Stage.DECISION)
    closed = ApplicationFactory(
        stage=Stage.INTERVIEW, closed_at=timezone.now(), close_reason="withdrawn"
    )

    assert rows({"stage": "interview"}) == [interview]
    assert rows({"stage": "closed"}) == [closed]


def test_vacancy_city_and_source_filters_accept_several_values():
    poznan, lodz, pila = (
        CityFactory(name="Poznań"),
        CityFactory(name="Łódź"),
        CityFactory(name="Piła"),
    )
    in_poznan, in_lodz = applied(city=poznan), applied(city=lodz)
    applied(city=pila)
    assert set(rows({"city": [poznan.pk, lodz.pk]})) == {in_poznan, in_lodz}

    qa = VacancyFactory(title="QA")
    for_qa = ApplicationFactory(vacancy=qa)
    assert rows({"vacancy": [qa.pk]}) == [for_qa]

    fair = SourceFactory(name="Hackathon")
    from_fair = applied(source=fair)
    assert rows({"source": [fair.pk]}) == [from_fair]


def test_age_range_filter_uses_the_birth_year():
    twenty_five = applied(birth_year=this_year() - 25)
    applied(birth_year=this_year() - 40)
    applied(birth_year=None)

    assert rows({"age_min": "20", "age_max": "30"}) == [twenty_five]


def test_experience_range_and_current_work():
    senior = applied(experience_years=8, current_work="STX Next")
    junior = applied(experience_years=1, current_work="")

    assert rows({"experience_min": "5"}) == [senior]
    assert rows({"experience_max": "2"}) == [junior]
    assert rows({"current_work": "true"}) == [senior]
    assert rows({"current_work": "false"}) == [junior]


def test_latest_activity_range_includes_both_whole_days():
    tz = timezone.get_current_timezone()
    late_on_first = applied(latest_activity_at=datetime.datetime(2026, 3, 1, 23, 30, tzinfo=tz))
    early_on_last = applied(latest_activity_at=datetime.datetime(2026, 3, 3, 0, 10, tzinfo=tz))
    applied(latest_activity_at=datetime.datetime(2026, 3, 4, 0, 0, tzinfo=tz))

    found = rows({"activity_from": "2026-03-01", "activity_to": "2026-03-03"})

    assert set(found) == {late_on_first, early_on_last}


def test_search_matches_name_email_phone_and_tags():
    anna = applied(first_name="Anna", last_name="Kowalska", email="anna.k@example.com")
    piotr = applied(first_name="Piotr", last_name="Nowak", phone="+48 600 123 456")
    tagged = applied(first_name="Ewa", last_name="Lis")
    tagged.applicant.tags.add(TagFactory(name="django"))

    assert rows({"q": "kowal"}) == [anna]
    assert rows({"q": "Anna Kowalska"}) == [anna]
    assert rows({"q": "600 123"}) == [piotr]
    assert rows({"q": "django"}) == [tagged]
    assert rows({"q": "nobody-like-this"}) == []


@pytest.mark.parametrize(
    ("column", "expected_first"),
    [("name", "Adamska"), ("-name", "Zielińska"), ("age", "Zielińska"), ("-age", "Adamska")],
)
def test_sort_by_a_column_both_ways(column, expected_first):
    applied(last_name="Adamska", birth_year=1970)
    applied(last_name="Zielińska", birth_year=2000)

    assert rows({"sort": column})[0].applicant.last_name == expected_first


def test_sort_by_stage_follows_the_pipeline():
    for stage in (Stage.VERIFICATION, Stage.APPLICATION, Stage.EMPLOYMENT, Stage.CONFIRMATION):
        ApplicationFactory(stage=stage)

    assert [a.stage for a in rows({"sort": "stage"})] == [
        Stage.APPLICATION,
        Stage.CONFIRMATION,
        Stage.VERIFICATION,
        Stage.EMPLOYMENT,
    ]


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"age_min": "abc"}, "age_min"),
        ({"stage": "hired"}, "stage"),
        ({"activity_from": "2026-05-02", "activity_to": "2026-05-01"}, "activity_from"),
        ({"experience_min": "9", "experience_max": "2"}, "experience_max"),
        ({"sort": "salary"}, "sort"),
        ({"vacancy": ["abc"]}, "vacancy"),
        ({"city": ["-1"]}, "city"),
    ],
)
def test_a_bad_value_is_an_error_on_its_filter_and_is_left_out(query, field):
    kept = ApplicationFactory()
    filterset = ApplicationFilterSet(query, queryset=Application.objects.all())

    assert field in filterset.errors
    assert list(filterset.qs) == [kept]


def test_without_stage_counts_base_keeps_other_filters_and_closed_rows():
    poznan = CityFactory(name="Poznań")
    open_here = applied(city=poznan)
    closed_here = ApplicationFactory(
        applicant=ApplicantFactory(city=poznan), closed_at=timezone.now(), close_reason="rejected"
    )
    applied(city=CityFactory(name="Łódź"))
    filterset = ApplicationFilterSet(
        {"city": [poznan.pk], "stage": "interview"}, queryset=Application.objects.all()
    )

    assert set(filterset.without_stage()) == {open_here, closed_here}


@pytest.mark.postgres
def test_postgres_text_search_is_served_by_the_gin_index():
    from django.db import connection

    from recruitment.search import full_text_matching

    applied(first_name="Anna", last_name="Kowalska")
    sql, params = full_text_matching(["kowal"]).query.sql_with_params()
    with connection.cursor() as cursor:
        # With a few rows a scan is cheaper; ruling scans out asks whether the index fits
        # the query's expression at all.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())

    assert "Bitmap Index Scan on applicant_document_idx" in plan


@pytest.mark.parametrize(
    "query", [{"tags": ["no-such-tag"]}, {"vacancy": ["999999"]}, {"city": ["999999"]}]
)
def test_an_unknown_tag_or_id_matches_nothing(query):
    ApplicationFactory()
    filterset = ApplicationFilterSet(query, queryset=Application.objects.all())

    assert filterset.errors == {}
    assert list(filterset.qs) == []


def test_an_unknown_id_beside_a_known_one_leaves_the_known_ones_matching():
    kept = ApplicationFactory()
    query = {"vacancy": [str(kept.vacancy_id), "999999"]}

    assert list(ApplicationFilterSet(query, queryset=Application.objects.all()).qs) == [kept]


def test_a_closing_reason_filter_shows_the_closed_with_that_reason():
    from recruitment.models import ClosingReason

    no_show = ClosingReason.objects.create(name="No show", group="rejected")
    kept = ApplicationFactory(
        closed_at=timezone.now(), close_reason="rejected", closing_reason=no_show
    )
    ApplicationFactory(
        closed_at=timezone.now(),
        close_reason="rejected",
        closing_reason=ClosingReason.objects.get(name="Rejected"),
    )
    ApplicationFactory()
    filterset = ApplicationFilterSet(
        {"closing_reason": [no_show.pk]}, queryset=Application.objects.all()
    )

    assert list(filterset.qs) == [kept]
    assert filterset.form.cleaned_data["stage"] == "closed"


@pytest.mark.postgres
def test_postgres_a_word_many_cvs_and_a_tag_share_is_one_set_looked_up_once():
    """The word python is a tag and in many CVs: one set of matches, collected once and
    then looked up in the applications' index; no plan checks each application against
    a subquery of its own (which, past the memory a hash may take, meant a list of all
    the matches read once per application: minutes at a million applicants)."""
    from django.db import connection

    from recruitment.models import Applicant, ApplicantSearchDocument

    python = TagFactory(name="python")
    vacancy = VacancyFactory()
    applicants = Applicant.objects.bulk_create(
        Applicant(
            first_name="Anna",
            last_name=f"Nowak{n}",
            email=f"a{n}@example.com",
            cv_text="Java" if n % 3 == 1 else "Python, Django",
        )
        for n in range(3000)
    )
    Applicant.tags.through.objects.bulk_create(
        Applicant.tags.through(applicant=applicant, tag=python) for applicant in applicants[1::6]
    )
    Application.objects.bulk_create(Application(applicant=a, vacancy=vacancy) for a in applicants)
    restricted = applicants[0]
    Applicant.objects.filter(pk=restricted.pk).update(restricted_at=timezone.now())
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    assert ApplicantSearchDocument.objects.count() == 3000

    found = ApplicationFilterSet({"q": "python"}, queryset=Application.objects.all()).qs
    plans = []
    with connection.cursor() as cursor:
        for query in (found.order_by("-created_at", "-id").values("pk")[:50], found.values("pk")):
            sql, params = query.query.sql_with_params()
            cursor.execute(f"EXPLAIN {sql}", params)
            plans += [row[0] for row in cursor.fetchall()]

    assert found.count() == 2000 + 500 - 1
    assert not found.filter(applicant=restricted).exists()
    # The kept words are read in an InitPlan (once per query), never in a SubPlan (a
    # check per application row, hashed or not).
    assert "recruitment_applicantsearchdocument" in "\n".join(subplans(plans, "InitPlan"))
    assert "recruitment_applicantsearchdocument" not in "\n".join(subplans(plans, "SubPlan"))


def subplans(plan: list[str], kind: str) -> list[str]:
    """The lines of every `kind` (InitPlan, SubPlan) block of an EXPLAIN's lines."""
    lines, depth = [], None
    for line in plan:
        indent = len(line) - len(line.lstrip())
        if depth is not None and indent <= depth:
            depth = None
        if line.strip().startswith(kind):
            depth = indent
        elif depth is not None:
            lines.append(line)
    return lines
