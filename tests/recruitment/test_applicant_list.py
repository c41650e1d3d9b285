import re

import pytest
from django.utils import timezone

from recruitment.factories import ApplicantFactory, ApplicationFactory, CityFactory, TagFactory
from recruitment.models import Application, Stage

pytestmark = pytest.mark.django_db


def tab_counts(response) -> dict:
    return {key: count for key, _label, count in response.context["tabs"]}


def shown_ids(response) -> list[int]:
    return [application.pk for application in response.context["listing"].page.object_list]


def test_list_shows_the_seed_columns_for_each_application(recruiter_client):
    tag = TagFactory(name="django")
    application = ApplicationFactory(
        applicant=ApplicantFactory(
            first_name="Łucja",
            last_name="Żółć",
            email="lucja@example.com",
            city=CityFactory(name="Łódź"),
        ),
        stage=Stage.INTERVIEW,
    )
    application.applicant.tags.add(tag)

    response = recruiter_client.get("/applicants/")

    html = response.content.decode()
    assert response.status_code == 200
    for text in ("Łucja Żółć", "lucja@example.com", "Łódź", "django", "Interview"):
        assert text in html
    assert f'href="/applicants/{application.applicant.pk}/"' in html


def test_tabs_count_every_stage_under_the_other_filters(recruiter_client):
    poznan = CityFactory(name="Poznań")
    for stage in (Stage.APPLICATION, Stage.APPLICATION, Stage.DECISION):
        ApplicationFactory(applicant=ApplicantFactory(city=poznan), stage=stage)
    ApplicationFactory(
        applicant=ApplicantFactory(city=poznan), closed_at=timezone.now(), close_reason="rejected"
    )
    ApplicationFactory(applicant=ApplicantFactory(city=CityFactory(name="Piła")))

    response = recruiter_client.get("/applicants/", {"city": poznan.pk, "stage": "decision"})

    assert tab_counts(response) == {
        "all": 3,
        "application": 2,
        "confirmation": 0,
        "verification": 0,
        "interview": 0,
        "decision": 1,
        "employment": 0,
        "closed": 1,
    }
    assert len(shown_ids(response)) == 1
    assert response.context["listing"].tab == "decision"


def test_pages_of_fifty_and_a_chosen_page_size(recruiter_client):
    ApplicationFactory.create_batch(60)
    everything = list(
        Application.objects.order_by("-created_at", "-id").values_list("pk", flat=True)
    )

    first = recruiter_client.get("/applicants/")
    second = recruiter_client.get("/applicants/", {"page": 2})
    small = recruiter_client.get("/applicants/", {"per_page": 25, "page": 3})

    assert shown_ids(first) == everything[:50]
    assert shown_ids(second) == everything[50:]
    assert shown_ids(small) == everything[50:]
    assert "Page 2 of 2" in second.content.decode()


def test_an_unknown_page_size_falls_back_with_a_message(recruiter_client):
    ApplicationFactory()

    response = recruiter_client.get("/applicants/", {"per_page": "100000"})

    assert response.context["listing"].per_page == 50
    assert "Per page" in response.content.decode()


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"age_min": "abc"}, "Age from: Enter a number."),
        ({"stage": "hired"}, "Select a valid choice. hired is not one of the available choices."),
        ({"activity_from": "2026-05-02", "activity_to": "2026-05-01"}, "The from-date is after"),
    ],
)
def test_bad_filter_values_show_a_message_and_still_list(recruiter_client, query, message):
    application = ApplicationFactory()

    response = recruiter_client.get("/applicants/", query)

    assert response.status_code == 200
    assert message in response.content.decode()
    assert shown_ids(response) == [application.pk]


def test_htmx_request_gets_only_the_results(recruiter_client):
    ApplicationFactory()

    fragment = recruiter_client.get("/applicants/", headers={"HX-Request": "true"})
    restore = recruiter_client.get(
        "/applicants/", headers={"HX-Request": "true", "HX-History-Restore-Request": "true"}
    )

    assert "<html" not in fragment.content.decode()
    assert 'class="nav nav-tabs stage-tabs"' in fragment.content.decode()
    assert "<html" in restore.content.decode()
    assert "HX-Request" in fragment["Vary"]


def test_links_keep_the_query_string(recruiter_client):
    ApplicationFactory.create_batch(3)

    html = recruiter_client.get("/applicants/", {"q": "x", "sort": "name", "per_page": 25}).content
    html = html.decode()

    assert 'href="?q=x&amp;sort=name&amp;per_page=25&amp;stage=interview"' in html
    assert 'href="?q=x&amp;sort=-name&amp;per_page=25"' in html
    assert 'href="/applicants/report/?q=x&amp;sort=name&amp;per_page=25"' in html


@pytest.mark.parametrize("rows", [5, 50])
def test_list_query_count_does_not_grow_with_rows(
    recruiter_client, django_assert_num_queries, rows
):
    for application in ApplicationFactory.create_batch(rows):
        application.applicant.tags.add(TagFactory(name="python"), TagFactory(name="css"))

    # 1 session, 2 user, 3 the user's role, 4 stage-tab counts (also the page's count),
    # 5 the page's ids, 6 its rows, 7 their tags, 8 the saved views (none), 9 the closing
    # reasons picker, 10-13 the pickers' tags, vacancies, cities and sources, 14 the rows'
    # interview summaries. (The tag filter takes names as given: no query.)
    with django_assert_num_queries(14):
        response = recruiter_client.get("/applicants/", {"tags": "python"})

    assert len(shown_ids(response)) == rows


def test_typeahead_suggests_at_most_ten_applicants(recruiter_client):
    for number in range(12):
        ApplicantFactory(first_name="Kasia", last_name=f"Nowak{number}")
    ApplicantFactory(first_name="Jan", last_name="Kowalski", email="jan@example.com")

    many = recruiter_client.get("/applicants/suggest/", {"q": "kasia"}).json()["results"]
    one = recruiter_client.get("/applicants/suggest/", {"q": "jan@exam"}).json()["results"]

    assert len(many) == 10
    assert [result["name"] for result in one] == ["Jan Kowalski"]
    assert one[0]["url"].startswith("/applicants/")
    assert recruiter_client.get("/applicants/suggest/", {"q": " "}).json() == {"results": []}


def test_applicant_page_shows_fields_applications_and_timeline(recruiter_client):
    application = ApplicationFactory(applicant=ApplicantFactory(first_name="Ola", birth_year=1990))

    response = recruiter_client.get(f"/applicants/{application.applicant.pk}/")

    html = response.content.decode()
    assert response.status_code == 200
    assert "Ola" in html
    assert str(timezone.localdate().year - 1990) in html
    assert application.vacancy.title in html


def test_numbered_page_links_with_the_ends_and_gaps(recruiter_client):
    ApplicationFactory.create_batch(26 * 2)

    first = recruiter_client.get("/applicants/", {"per_page": 25}).content.decode()
    middle = recruiter_client.get("/applicants/", {"per_page": 25, "page": 2}).content.decode()

    assert re.findall(r'class="page-link page-number"[^>]*>(\d+)<', first) == ["2", "3"]
    assert (
        '<li class="page-item active" aria-current="page"><span class="page-link">1</span>' in first
    )
    assert re.findall(r'class="page-link page-number"[^>]*>(\d+)<', middle) == ["1", "3"]


def test_many_pages_show_the_nearby_ones_and_the_last(recruiter_client):
    ApplicationFactory.create_batch(7 * 25 + 1)

    html = recruiter_client.get("/applicants/", {"per_page": 25}).content.decode()

    links = re.findall(r'class="page-link(?: page-number)?"[^>]*>(\d+|…)<', html)
    assert links == ["1", "2", "3", "4", "5", "…", "8"]
    html = recruiter_client.get("/applicants/", {"per_page": 25, "page": 5}).content.decode()
    links = re.findall(r'class="page-link(?: page-number)?"[^>]*>(\d+|…)<', html)
    assert links == ["1", "…", "3", "4", "5", "6", "7", "8"]
    html = recruiter_client.get("/applicants/", {"per_page": 25, "page": 8}).content.decode()
    links = re.findall(r'class="page-link(?: page-number)?"[^>]*>(\d+|…)<', html)
    assert links == ["1", "…", "4", "5", "6", "7", "8"]


def test_rows_are_numbered_down_the_list_with_the_id_as_a_tooltip(recruiter_client):
    applications = ApplicationFactory.create_batch(30)

    html = recruiter_client.get("/applicants/", {"per_page": 25, "page": 2}).content.decode()

    numbers = re.findall(r'<span class="row-number" title="Application (\d+)">(\d+)\.</span>', html)
    assert [number for _id, number in numbers] == ["26", "27", "28", "29", "30"]
    assert {int(pk) for pk, _number in numbers} <= {a.pk for a in applications}


HOSTILE = "<b>\"Łódź\" & 'Żółć'</b>"


def test_every_value_a_row_and_a_card_show_is_escaped(recruiter_client):
    """Rows and phone cards are written in Python, not by the template engine: no value
    an applicant, an admin or an import typed may reach the page as markup."""
    from recruitment.factories import ActivityFactory, SourceFactory, VacancyFactory
    from recruitment.models import Activity, ClosingReason

    applicant = ApplicantFactory(
        first_name=HOSTILE,
        last_name=HOSTILE,
        phone=HOSTILE,
        current_work=HOSTILE,
        city=CityFactory(name=HOSTILE),
        source=SourceFactory(name=HOSTILE),
    )
    applicant.tags.add(TagFactory(name=HOSTILE))
    ActivityFactory(applicant=applicant, kind=Activity.Kind.RATING, rating=4, body="")
    reason = ClosingReason.objects.create(name=HOSTILE, group="rejected")
    ApplicationFactory(
        applicant=applicant,
        vacancy=VacancyFactory(title=HOSTILE),
        closed_at=timezone.now(),
        close_reason="rejected",
        closing_reason=reason,
    )

    html = recruiter_client.get("/applicants/", {"stage": "closed"}).content.decode()

    assert "<b>" not in html
    escaped = "&lt;b&gt;&quot;Łódź&quot; &amp; &#x27;Żółć&#x27;&lt;/b&gt;"
    row = re.search(r"<tr data-application=.*?</tr>", html, re.S).group()
    card = re.search(r'<li class="card[^"]*application-list-card.*?</li>', html, re.S).group()
    # The row: both names in the name cell and in the checkbox's label, the phone, city,
    # source, tag, vacancy and closing reason. The card: both names and the vacancy.
    assert row.count(escaped) == 10
    assert card.count(escaped) == 3
    assert "★ 4.0" in row
