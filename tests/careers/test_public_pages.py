"""The careers list, a position's page and the feed: anonymous, cacheable, for robots too."""

import datetime
import json
import re
from xml.etree import ElementTree

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from careers.factories import PostingFactory
from careers.models import Contract
from recruitment.factories import CityFactory, VacancyFactory

pytestmark = pytest.mark.django_db

# schema.org JobPosting's required properties (Google's structured-data rules).
JOB_POSTING_REQUIRED = {"title", "description", "datePosted", "hiringOrganization", "jobLocation"}


def test_the_list_shows_published_open_positions_only(client, posting):
    PostingFactory(vacancy__title="Hidden Draft", is_published=False, published_at=None)
    PostingFactory(vacancy__title="Filled Role", vacancy__is_open=False)
    response = client.get("/careers/")
    assert response.status_code == 200
    assert "Python Developer" in response.text
    assert "Poznań" in response.text
    assert "Hidden Draft" not in response.text
    assert "Filled Role" not in response.text


def test_the_list_is_public_and_cacheable(client, posting):
    response = client.get("/careers/")
    cache_control = response["Cache-Control"]
    assert "public" in cache_control and "max-age=300" in cache_control
    assert "Cookie" not in response.get("Vary", "")
    assert "csrftoken" not in response.cookies and "sessionid" not in response.cookies


def test_the_list_filters_by_city_seniority_and_words(client, posting):
    krakow = CityFactory(name="Kraków")
    other = PostingFactory(vacancy__title="Java Lead", seniority="lead")
    other.vacancy.cities.set([krakow])
    poznan = posting.vacancy.cities.get()

    def titles(query: str) -> set[str]:
        text = client.get(f"/careers/?{query}").text
        return {title for title in ("Python Developer", "Java Lead") if title in text}

    assert titles(f"city={krakow.pk}") == {"Java Lead"}
    assert titles(f"city={poznan.pk}") == {"Python Developer"}
    assert titles("seniority=lead") == {"Java Lead"}
    assert titles("q=python") == {"Python Developer"}
    assert titles("q=looking") == {"Python Developer", "Java Lead"}  # in the description
    assert titles("seniority=nonsense") == {"Python Developer", "Java Lead"}


def test_the_search_is_blind_to_case_and_polish_accents(client, posting):
    lodz = CityFactory(name="Łódź")
    tester = PostingFactory(vacancy__title="Tester aplikacji Żółw", vacancy__description="")
    tester.vacancy.cities.set([lodz])
    PostingFactory(vacancy__title="Księgowa", vacancy__description="<p>Zażółć gęślą jaźń</p>")

    def titles(query: str) -> set[str]:
        text = client.get("/careers/", {"q": query}).text
        shown = ("Python Developer", "Tester aplikacji Żółw", "Księgowa")
        return {title for title in shown if title in text}

    assert titles("lodz") == {"Tester aplikacji Żółw"}  # the city
    assert titles("ŁÓDŹ") == {"Tester aplikacji Żółw"}
    assert titles("zolw") == {"Tester aplikacji Żółw"}  # the title
    assert titles("Żółw łódź") == {"Tester aplikacji Żółw"}  # every word, anywhere
    assert titles("zazolc gesla") == {"Księgowa"}  # the description
    assert titles("poznan") == {"Python Developer"}
    assert titles("zolw poznan") == set()


def test_a_position_in_several_cities_is_listed_once(client, posting):
    lodz, krakow = CityFactory(name="Łódź"), CityFactory(name="Kraków")
    tester = PostingFactory(vacancy__title="Tester aplikacji Żółw")
    tester.vacancy.cities.set([lodz, krakow])
    for query in ({}, {"q": "lodz krakow"}, {"city": lodz.pk}, {"city": krakow.pk, "q": "zolw"}):
        text = client.get("/careers/", query).text
        assert text.count("Tester aplikacji Żółw</a>") == 1, query


def _list_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/careers/").status_code == 200
    return len(queries)


def test_the_list_costs_the_same_queries_for_more_rows(client, posting):
    # 1: the count for the pages; 2 and 3: the city filter's choices, counted (the
    # template's loop asks their length) and read; 4: the postings with their vacancies;
    # 5: their cities, prefetched.
    assert _list_queries(client) == 5
    for _ in range(9):
        PostingFactory().vacancy.cities.set([CityFactory(name="Gdańsk")])
    cache.clear()
    assert _list_queries(client) == 5


def test_the_list_is_served_from_the_shared_cache(client, posting):
    client.get("/careers/")
    with CaptureQueriesContext(connection) as queries:
        assert "Python Developer" in client.get("/careers/").text
    assert len(queries) == 0


def test_a_position_page_carries_json_ld_and_open_graph(client, posting):
    posting.vacancy.description = "<p>Write <strong>Django</strong>.</p><script>alert(1)</script>"
    posting.vacancy.save()
    response = client.get("/careers/python-developer/")
    assert response.status_code == 200
    assert "<strong>Django</strong>" in response.text
    assert "alert(1)" not in response.text
    assert '<meta property="og:title" content="Python Developer">' in response.text
    assert 'href="/careers/python-developer/apply/"' in response.text
    found = re.search(r'<script type="application/ld\+json">(.*?)</script>', response.text, re.S)
    data = json.loads(found.group(1))
    assert data["@type"] == "JobPosting"
    assert data.keys() >= JOB_POSTING_REQUIRED
    assert all(data[name] for name in JOB_POSTING_REQUIRED)
    assert data["hiringOrganization"]["name"]
    assert data["jobLocation"][0]["address"]["addressLocality"] == "Poznań"
    assert data["datePosted"] == posting.published_at.date().isoformat()
    assert "public" in response["Cache-Control"]


# The employmentType values schema.org's JobPosting readers (Google's) accept.
EMPLOYMENT_TYPES = {"FULL_TIME", "PART_TIME", "CONTRACTOR", "TEMPORARY", "INTERN", "VOLUNTEER",
                    "PER_DIEM", "OTHER"}  # fmt: skip


def job_posting_problems(data: dict) -> list[str]:
    """What makes `data` fall short of a JobPosting: each required property present and
    of its type, and the optional ones this site sets well-formed."""
    problems = [f"missing {name}" for name in JOB_POSTING_REQUIRED if not data.get(name)]
    if data.get("@context") not in ("https://schema.org/", "https://schema.org"):
        problems.append("@context is not schema.org")
    if data.get("@type") != "JobPosting":
        problems.append("@type is not JobPosting")
    if not isinstance(data.get("title"), str) or "<" in data.get("title", ""):
        problems.append("title is not plain text")
    try:
        datetime.date.fromisoformat(data.get("datePosted", ""))
    except (TypeError, ValueError):
        problems.append("datePosted is not an ISO 8601 date")
    organization = data.get("hiringOrganization") or {}
    if organization.get("@type") != "Organization" or not organization.get("name"):
        problems.append("hiringOrganization is not a named Organization")
    locations = data.get("jobLocation") or []
    for place in locations if isinstance(locations, list) else [locations]:
        address = place.get("address") or {}
        if place.get("@type") != "Place" or address.get("@type") != "PostalAddress":
            problems.append("a jobLocation is not a Place with a PostalAddress")
        elif not re.fullmatch(r"[A-Z]{2}", address.get("addressCountry", "")):
            problems.append("an address has no ISO 3166 country")
    if "employmentType" in data and data["employmentType"] not in EMPLOYMENT_TYPES:
        problems.append("employmentType is not one of schema.org's values")
    return problems


def _json_ld(client, slug: str) -> dict:
    text = client.get(f"/careers/{slug}/").text
    found = re.search(r'<script type="application/ld\+json">(.*?)</script>', text, re.S)
    return json.loads(found.group(1))


@pytest.mark.parametrize("contract", [choice.value for choice in Contract])
def test_json_ld_is_a_valid_job_posting_for_every_contract(client, posting, contract):
    posting.contract = contract
    posting.save()
    data = _json_ld(client, "python-developer")
    assert job_posting_problems(data) == []
    assert data["jobLocation"][0]["address"]["addressLocality"] == "Poznań"


def test_json_ld_of_a_position_without_a_city_names_the_country(client):
    PostingFactory(slug="remote", vacancy__title="Zdalny Łukasz", vacancy__description="")
    data = _json_ld(client, "remote")
    assert job_posting_problems(data) == []
    assert data["title"] == "Zdalny Łukasz"
    assert data["description"]  # an empty description falls back to the title
    assert data["jobLocation"] == [
        {"@type": "Place", "address": {"@type": "PostalAddress", "addressCountry": "PL"}}
    ]


def test_the_json_ld_check_catches_a_broken_posting():
    broken = {"@context": "https://schema.org/", "@type": "JobPosting", "title": "<b>x</b>",
              "datePosted": "yesterday", "hiringOrganization": {"@type": "Organization"},
              "jobLocation": [{"@type": "Place", "address": {"@type": "PostalAddress"}}],
              "employmentType": "FOREVER"}  # fmt: skip
    assert set(job_posting_problems(broken)) == {
        "missing description",
        "title is not plain text",
        "datePosted is not an ISO 8601 date",
        "hiringOrganization is not a named Organization",
        "an address has no ISO 3166 country",
        "employmentType is not one of schema.org's values",
    }


def test_json_ld_cannot_close_its_script_element(client, posting):
    posting.vacancy.title = "Dev </script><script>alert(1)</script>"
    posting.vacancy.save()
    text = client.get("/careers/python-developer/").text
    assert "</script><script>alert(1)" not in text


def test_a_closed_position_answers_410_with_a_way_on(client, posting):
    posting.vacancy.is_open = False
    posting.vacancy.save()
    response = client.get("/careers/python-developer/")
    assert response.status_code == 410
    assert 'href="/careers/"' in response.text
    assert client.get("/careers/python-developer/apply/").status_code == 410


def test_an_unpublished_position_answers_410(client, posting):
    posting.is_published = False
    posting.save()
    assert client.get("/careers/python-developer/").status_code == 410


def test_a_never_published_address_is_not_found(client):
    PostingFactory(slug="draft", is_published=False, published_at=None)
    assert client.get("/careers/draft/").status_code == 404
    assert client.get("/careers/nothing-here/").status_code == 404


def test_the_feed_lists_the_open_positions(client, posting):
    PostingFactory(vacancy__title="Hidden Draft", is_published=False, published_at=None)
    response = client.get("/careers/feed/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    atom = "{http://www.w3.org/2005/Atom}"
    # Our own server's answer, not untrusted XML.
    entries = ElementTree.fromstring(response.content).findall(f"{atom}entry")  # noqa: S314
    assert [entry.find(f"{atom}title").text for entry in entries] == ["Python Developer"]
    link = entries[0].find(f"{atom}link").get("href")
    assert link == "http://testserver/careers/python-developer/"


def test_the_pages_show_no_signed_in_user(client, posting, recruiter):
    client.force_login(recruiter)
    text = client.get("/careers/python-developer/").text
    assert "Rita" not in text and "Sign out" not in text


def test_the_vacancy_factory_still_makes_unlisted_vacancies(client):
    VacancyFactory(title="Internal Only")
    assert "Internal Only" not in client.get("/careers/").text
