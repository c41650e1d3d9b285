"""Deep pages of the applicant list: numbered near either end, keyset (cursor) pages in
between, and they show the same rows as plain OFFSET pages would. NUMBERED_ROWS is
lowered to one page so that a few dozen applications have deep pages."""

import random
import re
from html import unescape

import pytest
from django.utils import timezone

from recruitment import selectors
from recruitment.factories import (
    ApplicantFactory,
    ApplicationFactory,
    CityFactory,
    SourceFactory,
    VacancyFactory,
)
from recruitment.filters import ApplicationFilterSet
from recruitment.models import Application, Stage

pytestmark = pytest.mark.django_db

PER_PAGE = 25
ROWS = 7 * PER_PAGE + 3
# Ties in every sort column (and NULL cities, sources and birth years) so that the
# keyset has to fall through to the later keys, down to the id.
SURNAMES = ["Łęcka", "Lis", "Żak", "Zając", "Ślęzak", "Nowak"]


@pytest.fixture
def deep(monkeypatch):
    monkeypatch.setattr(selectors, "NUMBERED_ROWS", PER_PAGE)


@pytest.fixture
def applications():
    generator = random.Random(18)
    cities = [CityFactory(name=name) for name in ("Poznań", "Łódź", "Piła")] + [None]
    sources = [SourceFactory(name="Job fair"), None]
    vacancies = VacancyFactory.create_batch(2)
    moment = timezone.now()
    for number in range(ROWS):
        applicant = ApplicantFactory(
            last_name=generator.choice(SURNAMES),
            first_name=generator.choice(["Ola", "Łucja", "Adam"]),
            city=generator.choice(cities),
            source=generator.choice(sources),
            birth_year=generator.choice([1980, 1990, None]),
            experience_years=generator.choice([1, 5]),
            latest_activity_at=moment - timezone.timedelta(days=generator.choice([1, 2, 3])),
        )
        closed = number % 9 == 0
        ApplicationFactory(
            applicant=applicant,
            vacancy=generator.choice(vacancies),
            stage=generator.choice(list(Stage)),
            created_at=moment - timezone.timedelta(hours=generator.choice([1, 2, 3, 4])),
            closed_at=moment if closed else None,
            close_reason="rejected" if closed else "",
        )


def offset_order(query: dict) -> list[int]:
    """Every row of the list in its order, read the plain way."""
    filterset = ApplicationFilterSet(query, queryset=Application.objects.all())
    return list(filterset.qs.values_list("pk", flat=True))


def shown_ids(response) -> list[int]:
    return [application.pk for application in response.context["listing"].page.object_list]


def link(response, rel: str) -> str | None:
    found = re.search(rf'rel="{rel}" href="([^"]+)"', response.content.decode())
    return unescape(found.group(1)) if found else None


@pytest.mark.parametrize(
    "sort", ["", "-latest_activity", "name", "-name", "city", "-age", "stage", "-source"]
)
def test_following_next_and_previous_shows_the_offset_pages(
    deep, applications, recruiter_client, sort
):
    query = {"per_page": PER_PAGE, **({"sort": sort} if sort else {})}
    everything = offset_order(query)
    pages = [everything[start : start + PER_PAGE] for start in range(0, len(everything), PER_PAGE)]

    response = recruiter_client.get("/applicants/", query)
    seen = [shown_ids(response)]
    cursors = 0
    while href := link(response, "next"):
        cursors += "after=" in href
        response = recruiter_client.get(f"/applicants/{href}")
        seen.append(shown_ids(response))
    backwards = [shown_ids(response)]
    while href := link(response, "prev"):
        cursors += "before=" in href
        response = recruiter_client.get(f"/applicants/{href}")
        backwards.append(shown_ids(response))

    assert seen == pages
    assert backwards[::-1] == pages
    # 158 open applications, 7 pages: 3 to 5 are deep, reached by cursor both ways.
    assert len(pages) == 7
    assert cursors == 2 * 3


def test_the_last_page_is_read_from_the_end(deep, applications, recruiter_client):
    query = {"per_page": PER_PAGE, "sort": "name"}
    everything = offset_order(query)

    response = recruiter_client.get("/applicants/", {**query, "page": 7})

    assert shown_ids(response) == everything[6 * PER_PAGE :]
    assert response.context["listing"].page.number == 7


def test_a_deep_page_by_number_says_it_is_capped(deep, applications, recruiter_client):
    everything = offset_order({})

    response = recruiter_client.get("/applicants/", {"per_page": PER_PAGE, "page": 4})

    assert "Pages are numbered 25 rows deep" in response.content.decode()
    assert response.context["listing"].page.number == 2
    assert shown_ids(response) == everything[PER_PAGE : 2 * PER_PAGE]


def test_numbered_links_skip_the_deep_pages(deep, applications, recruiter_client):
    html = recruiter_client.get("/applicants/", {"per_page": PER_PAGE, "page": 2})
    links = re.findall(r'class="page-link(?: page-number)?"[^>]*>(\d+|…)<', html.content.decode())

    assert links == ["1", "2", "…", "7"]


@pytest.mark.parametrize("cursor", ["nonsense", "after"])
def test_a_bad_or_foreign_cursor_shows_the_first_page(deep, applications, recruiter_client, cursor):
    if cursor == "after":
        # A real cursor, made for another sort.
        page_two = recruiter_client.get("/applicants/", {"per_page": PER_PAGE, "page": 2})
        cursor = re.search(r"after=([^&\"]+)", unescape(link(page_two, "next"))).group(1)

    response = recruiter_client.get(
        "/applicants/", {"per_page": PER_PAGE, "page": 3, "after": cursor, "sort": "name"}
    )

    assert response.status_code == 200
    assert "That page link no longer fits this list" in response.content.decode()
    assert shown_ids(response) == offset_order({"sort": "name"})[:PER_PAGE]


def test_only_next_and_previous_carry_a_cursor(deep, applications, recruiter_client):
    page_two = recruiter_client.get("/applicants/", {"per_page": PER_PAGE, "page": 2})
    page_three = recruiter_client.get(f"/applicants/{link(page_two, 'next')}")
    deep_page = recruiter_client.get(f"/applicants/{link(page_three, 'next')}")

    hrefs = [unescape(href) for href in re.findall(r'href="([^"]*)"', deep_page.content.decode())]

    with_cursor = [href for href in hrefs if "after=" in href or "before=" in href]
    assert with_cursor == [link(deep_page, "prev"), link(deep_page, "next")]
    # A new sort starts again at page 1.
    assert not [href for href in hrefs if "sort=" in href and re.search(r"[?&]page=", href)]


@pytest.mark.parametrize("rows", [4 * PER_PAGE + 5, 6 * PER_PAGE + 5])
def test_a_cursor_page_costs_the_queries_of_a_numbered_page(
    deep, recruiter_client, django_assert_num_queries, rows
):
    ApplicationFactory.create_batch(rows)
    first = recruiter_client.get("/applicants/", {"per_page": PER_PAGE, "page": 2})
    href = link(first, "next")
    assert "after=" in href

    # 1 session, 2 user, 3 role, 4 stage counts, 5 the page's ids (seeking the cursor),
    # 6 rows, 7 tags, 8 saved views, 9 closing reasons, 10-13 the pickers, 14 the rows'
    # interview summaries.
    with django_assert_num_queries(14):
        response = recruiter_client.get(f"/applicants/{href}")

    assert len(shown_ids(response)) == PER_PAGE
