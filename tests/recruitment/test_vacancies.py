import pytest
from django.utils import timezone

from recruitment.factories import ApplicationFactory, CityFactory, VacancyFactory
from recruitment.models import Activity, Stage, Vacancy

pytestmark = pytest.mark.django_db


def test_vacancy_list_counts_open_applications_per_stage(recruiter_client):
    qa = VacancyFactory(title="QA")
    ApplicationFactory.create_batch(2, vacancy=qa, stage=Stage.INTERVIEW)
    ApplicationFactory(vacancy=qa, stage=Stage.APPLICATION)
    ApplicationFactory(vacancy=qa, closed_at=timezone.now(), close_reason="rejected")

    response = recruiter_client.get("/vacancies/")

    listed = {v.title: v for v in response.context["vacancies"]}
    assert (listed["QA"].count_interview, listed["QA"].count_application) == (2, 1)
    assert listed["QA"].open_count == 3


@pytest.mark.parametrize("vacancies", [2, 12])
def test_vacancy_list_query_count_is_fixed(recruiter_client, django_assert_num_queries, vacancies):
    for vacancy in VacancyFactory.create_batch(vacancies):
        ApplicationFactory(vacancy=vacancy)

    # 1 session, 2 user, 3 the user's role, 4 the vacancies with every count.
    with django_assert_num_queries(4):
        recruiter_client.get("/vacancies/")


def test_create_a_vacancy_with_a_sanitized_description(recruiter_client, recruiter):
    poznan = CityFactory(name="Poznań")

    response = recruiter_client.post(
        "/vacancies/new/",
        {
            "title": "Django Developer",
            "cities": [poznan.pk],
            "description": '<p>Join us</p><script>alert(1)</script><a href="javascript:x()">x</a>',
            "is_open": "on",
            "recruiters": [recruiter.pk],
        },
    )

    vacancy = Vacancy.objects.get(title="Django Developer")
    assert response.status_code == 302
    assert vacancy.description.startswith("<p>Join us</p>")
    assert "script" not in vacancy.description
    assert "javascript" not in vacancy.description
    assert list(vacancy.cities.all()) == [poznan]
    assert list(vacancy.recruiters.all()) == [recruiter]


def test_only_recruiters_and_admins_can_be_put_in_charge(recruiter_client, recruiter):
    from recruitment.factories import UserFactory
    from tests.conftest import role

    interviewer = UserFactory(username="ivan")
    interviewer.groups.add(role("interviewers"))

    response = recruiter_client.post(
        "/vacancies/new/", {"title": "QA", "recruiters": [interviewer.pk]}
    )

    assert response.status_code == 200
    assert "Select a valid choice." in response.content.decode()
    assert not Vacancy.objects.filter(title="QA").exists()


def test_a_vacancy_without_a_title_is_a_field_error(recruiter_client):
    response = recruiter_client.post("/vacancies/new/", {"title": "", "description": "x"})

    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    assert not Vacancy.objects.exists()


def test_close_a_vacancy_by_editing_it(recruiter_client):
    vacancy = VacancyFactory(title="PM")

    recruiter_client.post(f"/vacancies/{vacancy.pk}/edit/", {"title": "PM"})

    vacancy.refresh_from_db()
    assert not vacancy.is_open


def test_board_has_a_column_per_stage_with_the_open_cards(recruiter_client):
    vacancy = VacancyFactory()
    interview = ApplicationFactory(vacancy=vacancy, stage=Stage.INTERVIEW)
    ApplicationFactory(vacancy=vacancy, closed_at=timezone.now(), close_reason="withdrawn")

    response = recruiter_client.get(f"/vacancies/{vacancy.pk}/")

    columns = {stage: cards for stage, _next, cards in response.context["columns"]}
    assert list(columns) == list(Stage)
    assert columns[Stage.INTERVIEW] == [interview]
    assert sum(len(cards) for cards in columns.values()) == 1


def test_moving_a_card_on_the_board_returns_to_the_board(recruiter_client, recruiter):
    vacancy = VacancyFactory()
    application = ApplicationFactory(vacancy=vacancy, stage=Stage.DECISION)
    board = f"/vacancies/{vacancy.pk}/"

    response = recruiter_client.post(
        f"/applications/{application.pk}/move/",
        {"stage": "employment", "expected_stage": "decision", "next": board},
    )

    assert response["Location"] == board
    application.refresh_from_db()
    assert application.stage == Stage.EMPLOYMENT
    assert application.activities.get(kind=Activity.Kind.STAGE_CHANGED).actor == recruiter


def test_a_stale_move_on_the_board_is_refused_with_a_message(recruiter_client):
    vacancy = VacancyFactory()
    application = ApplicationFactory(vacancy=vacancy, stage=Stage.DECISION)
    board = f"/vacancies/{vacancy.pk}/"

    response = recruiter_client.post(
        f"/applications/{application.pk}/move/",
        {"stage": "employment", "expected_stage": "interview", "next": board},
        follow=True,
    )

    assert "moved this application to Decision meanwhile" in response.content.decode()
    application.refresh_from_db()
    assert application.stage == Stage.DECISION


def test_an_outside_next_address_is_ignored(recruiter_client):
    application = ApplicationFactory(stage=Stage.DECISION)

    response = recruiter_client.post(
        f"/applications/{application.pk}/move/",
        {"stage": "employment", "expected_stage": "decision", "next": "https://evil.example/"},
    )

    assert response["Location"] == f"/applicants/{application.applicant_id}/"


@pytest.mark.parametrize("cards", [3, 30])
def test_board_query_count_is_fixed(recruiter_client, django_assert_num_queries, cards):
    vacancy = VacancyFactory()
    for application in ApplicationFactory.create_batch(cards, vacancy=vacancy):
        application.applicant.tags.create(name=f"tag{application.pk}")

    # 1 session, 2 user, 3 the user's role, 4 the vacancy, 5 its open applications with
    # applicants, 6 their tags, 7 its closed applications with their reasons, 8 its
    # careers posting (the published state and link).
    with django_assert_num_queries(8):
        recruiter_client.get(f"/vacancies/{vacancy.pk}/")


def test_the_board_shows_closed_cards_with_their_reason(recruiter_client):
    from recruitment.models import ClosingReason

    application = ApplicationFactory(stage=Stage.INTERVIEW)
    application.closed_at = timezone.now()
    application.close_reason = "withdrawn"
    application.closing_reason = ClosingReason.objects.create(
        name="Moved abroad", group="withdrawn"
    )
    application.save()

    html = recruiter_client.get(f"/vacancies/{application.vacancy_id}/").content.decode()

    assert "Closed (1)" in html
    assert "Moved abroad" in html


def test_the_form_saves_and_sanitizes_the_polish_title_and_description(recruiter_client):
    response = recruiter_client.post(
        "/vacancies/new/",
        {
            "title": "Django Developer",
            "title_pl": "Programistka Django, Łódź",
            "description": "<p>Join us</p><script>alert(1)</script>",
            "description_pl": '<p>Dołącz</p><img src=x onerror="alert(2)"><script>x()</script>',
            "is_open": "on",
        },
    )

    assert response.status_code == 302
    vacancy = Vacancy.objects.get(title="Django Developer")
    assert vacancy.title_pl == "Programistka Django, Łódź"
    assert vacancy.description == "<p>Join us</p>"
    assert vacancy.description_pl.startswith("<p>Dołącz</p>")
    assert "script" not in vacancy.description_pl and "onerror" not in vacancy.description_pl


def test_editing_shows_and_changes_the_polish_text(recruiter_client):
    vacancy = VacancyFactory(title="QA", title_pl="Tester", description_pl="<p>Stary</p>")

    page = recruiter_client.get(f"/vacancies/{vacancy.pk}/edit/").text
    assert 'value="Tester"' in page and "&lt;p&gt;Stary&lt;/p&gt;" in page
    recruiter_client.post(
        f"/vacancies/{vacancy.pk}/edit/",
        {"title": "QA", "title_pl": "Testerka", "description_pl": "<p>Nowy</p><script>1</script>"},
    )

    vacancy.refresh_from_db()
    assert (vacancy.title_pl, vacancy.description_pl) == ("Testerka", "<p>Nowy</p>")


def test_a_polish_title_with_a_line_break_is_a_field_error(recruiter_client):
    response = recruiter_client.post("/vacancies/new/", {"title": "QA", "title_pl": "Test\ner"})

    assert response.status_code == 200
    assert response.context["form"].errors["title_pl"]
    assert not Vacancy.objects.exists()


def test_the_recruiters_pages_keep_the_english_title_in_polish(recruiter_client):
    vacancy = VacancyFactory(title="QA Engineer", title_pl="Inżynier QA")

    page = recruiter_client.get(f"/vacancies/{vacancy.pk}/", HTTP_ACCEPT_LANGUAGE="pl").text

    assert "QA Engineer" in page and "Inżynier QA" not in page


def test_the_admin_sanitizes_the_polish_description(admin_client):
    admin_client.post(
        "/admin/recruitment/vacancy/add/",
        {"title": "QA", "title_pl": "Tester", "description_pl": "<p>Ok</p><script>1</script>"},
    )

    vacancy = Vacancy.objects.get(title="QA")
    assert (vacancy.title_pl, vacancy.description_pl) == ("Tester", "<p>Ok</p>")


@pytest.mark.parametrize("field", ["cities", "recruiters"])
@pytest.mark.parametrize("raw", ["99999999999999999999", "-1", "0", "1.5", "x"])
def test_an_id_out_of_range_in_a_choice_is_a_field_error(recruiter_client, field, raw):
    """The fuzzer's find: an id past the key's range reached SQLite, which cannot bind it."""
    response = recruiter_client.post("/vacancies/new/", {"title": "Łódź QA", field: [raw]})

    assert response.status_code == 200
    assert "Select a valid choice." in response.content.decode()
    assert not Vacancy.objects.exists()


@pytest.mark.parametrize("field", ["cities", "interviewers", "recruiters"])
def test_the_admin_refuses_an_id_out_of_range_in_a_choice(admin_client, field):
    response = admin_client.post(
        "/admin/recruitment/vacancy/add/", {"title": "Łódź QA", field: ["99999999999999999999"]}
    )

    assert response.status_code == 200
    assert "Select a valid choice." in response.content.decode()
    assert not Vacancy.objects.exists()


def test_the_admin_refuses_an_id_out_of_range_for_an_applicants_tags(admin_client):
    from recruitment.factories import ApplicantFactory
    from tests.recruitment.test_admin_applicants import change_url, form_data

    applicant = ApplicantFactory(first_name="Łucja")
    data = {**form_data(applicant), "tags": ["99999999999999999999"]}

    response = admin_client.post(change_url(applicant), data)

    assert response.status_code == 200
    assert "Select a valid choice." in response.content.decode()


def test_the_admin_refuses_an_id_out_of_range_for_an_applicants_city(admin_client):
    from recruitment.factories import ApplicantFactory
    from tests.recruitment.test_admin_applicants import change_url, form_data

    applicant = ApplicantFactory(first_name="Łucja", city=CityFactory(name="Łódź"))
    data = {**form_data(applicant), "city": "99999999999999999999"}

    response = admin_client.post(change_url(applicant), data)

    assert response.status_code == 200
    assert "Select a valid choice." in response.content.decode()
    applicant.refresh_from_db()
    assert applicant.city.name == "Łódź"
