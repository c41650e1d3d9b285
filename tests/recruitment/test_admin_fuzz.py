"""Every admin page under the fuzz pass's generated input (tests/recruitment/test_fuzz.py):
each registered model's list with its own filters, search, sort and page parameters, and
its add form with every field the form has. The admin is staff-only, but a forged
request there must be a form error too, never a server error."""

import pytest
from django.contrib import admin
from django.test import Client, RequestFactory
from django.urls import NoReverseMatch, reverse
from hypothesis import strategies as st

from recruitment.factories import ApplicationFactory, UserFactory
from tests.recruitment.test_fuzz import TRICKY_IDS, VALUE, form, fuzz, query

pytestmark = pytest.mark.django_db

# Lookups the admin's list filters and date drill-down put in the address.
SUFFIXES = ["", "__exact", "__id__exact", "__gte", "__lt", "__isnull", "__in", "__year"]
ADMIN_PARAMETERS = ["q", "o", "p", "all", "e", "_changelist_filters", "_to_field", "_popup"]
IDS = st.sampled_from(TRICKY_IDS)


def list_parameters(model_admin) -> list[str]:
    fields, own = [model_admin.date_hierarchy or "id"], []
    for item in model_admin.list_filter:
        if isinstance(item, str | tuple):
            fields.append(item if isinstance(item, str) else item[0])
        else:  # a filter class of our own, with its parameter's name
            own.append(item.parameter_name)
    filters = [f"{field}{suffix}" for field in fields for suffix in SUFFIXES]
    return [*filters, *own, *ADMIN_PARAMETERS]


def add_fields(model_admin, superuser) -> dict:
    """The add form's fields, each sent as an id-shaped value or generated text."""
    fields = model_admin.get_form(_request(superuser))().fields
    return {name: st.one_of(IDS, VALUE) for name in fields}


def test_no_generated_input_gets_a_server_error(capsys):
    superuser = UserFactory(username="łukasz", is_staff=True, is_superuser=True)
    ApplicationFactory()
    pages = []
    for model, model_admin in admin.site._registry.items():
        name = f"admin:{model._meta.app_label}_{model._meta.model_name}"
        pages.append(("get", reverse(f"{name}_changelist"), query(list_parameters(model_admin))))
        try:
            add = reverse(f"{name}_add")
        except NoReverseMatch:
            continue
        if model_admin.has_add_permission(_request(superuser)):
            pages.append(("post", add, form(add_fields(model_admin, superuser))))
    client = Client()
    client.force_login(superuser)

    tried = sum(fuzz(client, method, url, strategy) for method, url, strategy in pages)

    with capsys.disabled():
        print(f"\nadmin fuzz: {tried} requests over {len(pages)} pages, 0 server errors")


def _request(user):
    request = RequestFactory().get("/")
    request.user = user
    return request


@pytest.mark.parametrize(
    ("url", "data"),
    [
        ("/admin/auth/group/add/", {"name": "Łowcy", "permissions": ["99999999999999999999"]}),
        ("/admin/recruitment/application/add/", {"applicant": "²", "vacancy": "٣"}),
        ("/admin/recruitment/apitoken/add/", {"user": "99999999999999999999"}),
        ("/admin/django_celery_beat/periodictask/add/", {"name": "Łódź", "task": "x" * 300}),
        (
            "/admin/django_celery_beat/crontabschedule/add/",
            {
                "minute": "-1",
                "hour": "*",
                "day_of_month": "*",
                "month_of_year": "*",
                "day_of_week": "*",
                "timezone": "Europe/Warsaw",
            },
        ),
    ],
)
def test_the_fuzz_pass_finds_are_form_errors(url, data):
    """Each page answered 500 to this once: an id no key can have, a value the crontab
    parser refuses, shown again on the form with its errors."""
    client = Client()
    client.force_login(UserFactory(username="łukasz", is_staff=True, is_superuser=True))

    response = client.post(url, data)

    assert response.status_code == 200
    assert "errornote" in response.content.decode()


@pytest.mark.parametrize(
    "query",
    [{"q": "Łucja\x00"}, {"status__exact": "a\x00b"}, {"id__exact": "99999999999999999999"}],
)
def test_a_list_filter_value_the_database_refuses_is_a_bad_request(query):
    client = Client()
    client.force_login(UserFactory(username="łukasz", is_staff=True, is_superuser=True))

    pages = ["/admin/privacy/subjectrequest/", "/admin/privacy/accesslogentry/"]
    statuses = {client.get(page, query).status_code for page in pages}

    # SQLite takes a NUL in text and compares it; PostgreSQL refuses it: 200 or 400.
    assert statuses <= {200, 302, 400}


def test_a_year_past_the_calendar_in_the_date_drill_down_is_a_bad_request():
    client = Client()
    client.force_login(UserFactory(username="łukasz", is_staff=True, is_superuser=True))

    response = client.get("/admin/axes/accesslog/", {"attempt_time__year": "9" * 20})

    assert response.status_code == 400


@pytest.mark.parametrize("extra_data", ["", "null"])
def test_a_linked_account_left_without_extra_data_is_saved_with_none(extra_data):
    user = UserFactory(username="łucja")
    client = Client()
    client.force_login(UserFactory(username="łukasz", is_staff=True, is_superuser=True))

    response = client.post(
        "/admin/social_django/usersocialauth/add/",
        {"user": user.pk, "provider": "google-oauth2", "uid": "lucja@example.com",
         "extra_data": extra_data},
    )  # fmt: skip

    assert response.status_code == 302
    assert user.social_auth.get().extra_data == {}
