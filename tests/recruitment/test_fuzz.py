"""A bounded fuzz pass over the pages: generated GET parameters and form fields, from
plausible values to control characters, huge numbers and dates at the calendar's ends.
Any server error (an exception escaping a view) fails the test with the request that
caused it. The counts are printed for the README and kept in the JUnit report."""

from urllib.parse import urlencode

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from recruitment.factories import (
    ApplicantFactory,
    ApplicationFactory,
    CityFactory,
    TagFactory,
    VacancyFactory,
)
from recruitment.filters import ApplicationFilterSet
from recruitment.models import BulkJob, ClosingReason, SavedView, Stage

pytestmark = pytest.mark.django_db

# Bounded so the whole file runs in well under a minute on a CI machine.
EXAMPLES_PER_TARGET = 40
TRICKY = [
    "", "0", "-5", "1e309", "NaN", "99999999999999999999", "9999-12-31", "0001-01-01",
    "2026-02-30", "abc", "a\x00b", "a\nb", "a\r\nBcc: x@example.com", "\t", "²", "٣",
    "x" * 5000, "<script>alert(1)</script>", "../../etc/passwd", "true", "//evil.example",
    "https://evil.example/", "=1+1", "%00", "\u2028", "\ufeff", "🙂",
]  # fmt: skip
# Any text a browser can send (no lone surrogates: they cannot be encoded in a request).
TEXT = st.text(st.characters(exclude_categories=["Cs"]), max_size=40)
VALUE = st.one_of(
    st.sampled_from(TRICKY),
    TEXT,
    st.integers().map(str),
    st.dates().map(str),
    st.floats().map(str),
)
# Id-shaped text: digits of other scripts pass str.isdigit() (and int() refuses "²", reads
# "٣" as 3), numbers past the key's range, signs and spaces.
TRICKY_IDS = [
    "0", "-1", " 1", "+1", "1_0", "²", "³", "1²", "①", "⑩", "٣", "१२", "99999999999999999999",
    "9223372036854775808",
]  # fmt: skip
LIST_PARAMETERS = [*ApplicationFilterSet.base_filters, "page", "per_page", "format", "view"]


def query(names: list[str]):
    return st.dictionaries(
        st.sampled_from(names), st.one_of(VALUE, st.lists(VALUE, max_size=3)), max_size=6
    )


def query_string():
    """A list URL's query string, as the forms that carry one send it."""
    return st.one_of(VALUE, query(LIST_PARAMETERS).map(lambda data: urlencode(data, doseq=True)))


def form(fields: dict, always: dict | None = None):
    """Each field: a plausible value (or values from a strategy), a generated one, or left
    out; the `always` ones are sent every time, drawn from their own strategies."""
    return st.fixed_dictionaries(
        always or {},
        optional={
            name: st.one_of(good if isinstance(good, st.SearchStrategy) else st.just(good), VALUE)
            for name, good in fields.items()
        },
    )


def bulk_rows(application):
    """The bulk form's ticked rows: "id:stage" ones with an id-shaped id, then arbitrary
    text. The form stops at the first bad row, so the well-formed ones come first: mixed
    in anywhere, 40 tries missed "²:interview" (a 500 once) in one run out of five."""
    row = st.builds(
        "{}:{}".format,
        st.sampled_from([*TRICKY_IDS, str(application.pk)]),
        st.sampled_from(Stage.values),
    )
    return st.tuples(st.lists(row, min_size=1, max_size=3), st.lists(VALUE, max_size=2)).map(
        lambda rows: rows[0] + rows[1]
    )


@pytest.fixture
def world(recruiter):
    vacancy = VacancyFactory()
    applicant = ApplicantFactory(city=CityFactory())
    applicant.tags.add(TagFactory(name="python"))
    application = ApplicationFactory(applicant=applicant, vacancy=vacancy, stage=Stage.INTERVIEW)
    return {
        "vacancy": vacancy,
        "applicant": applicant,
        "application": application,
        "reason": ClosingReason.objects.create(name="Position filled", group="rejected"),
        "view": SavedView.objects.create(
            owner=recruiter, name="Interviews", query="stage=interview"
        ),
    }


def targets(world) -> list[tuple[str, object, object]]:
    """(method, URL or a strategy of URLs, strategy of the data)."""
    applicant, application, vacancy = world["applicant"], world["application"], world["vacancy"]
    person = {
        "first_name": "Ola", "last_name": "Nowak", "email": "ola@example.com",
        "phone": "+48 600 100 200", "city": str(applicant.city_id), "birth_year": "1990",
        "experience_years": "3", "current_work": "", "source": "",
        "linkedin_url": "https://www.linkedin.com/in/ola", "phone_checked": "on",
    }  # fmt: skip
    return [
        ("get", "/", query(["tab", "q"])),
        ("get", "/applicants/", query(LIST_PARAMETERS)),
        ("get", "/applicants/export.csv", query(LIST_PARAMETERS)),
        ("get", "/applicants/export.xlsx", query(LIST_PARAMETERS)),
        ("get", "/applicants/report/", query(LIST_PARAMETERS)),
        ("get", f"/vacancies/{vacancy.pk}/", query(["stage", "q"])),
        ("get", f"/applicants/{applicant.pk}/", query(["tab", "next"])),
        ("post", "/applicants/new/", form(person)),
        ("post", f"/applicants/{applicant.pk}/edit/", form(person)),
        (
            "post",
            f"/applications/{application.pk}/move/",
            form(
                {
                    "stage": "decision",
                    "expected_stage": "interview",
                    "send_email": "on",
                    "next": f"/vacancies/{vacancy.pk}/",
                }
            ),
        ),
        (
            "post",
            f"/applications/{application.pk}/close/",
            form({"reason": "rejected", "note": ""}),
        ),
        ("post", f"/applicants/{applicant.pk}/notes/", form({"body": "<p>Good call</p>"})),
        (
            "post",
            f"/applications/{application.pk}/ratings/",
            form({"criterion": "technical", "rating": "4", "comment": ""}),
        ),
        (
            "post",
            "/vacancies/new/",
            form(
                {
                    "title": "QA",
                    "cities": str(applicant.city_id),
                    "description": "<p>x</p>",
                    "is_open": "on",
                }
            ),
        ),
        (
            "post",
            "/applicants/bulk/",
            form(
                {
                    "action": st.sampled_from(BulkJob.Action.values),
                    "stage": "decision",
                    "closing_reason": str(world["reason"].pk),
                    "tag": "remote",
                    "all_matching": "on",
                    "query": query_string(),
                },
                always={"selected": bulk_rows(application)},
            ),
        ),
        ("post", f"/applicants/{applicant.pk}/tags/", form({"tags": "python,remote"})),
        (
            "post",
            "/applicants/views/",
            form({"name": "Decisions", "query": query_string(), "is_shared": "on"}),
        ),
        (
            "post",
            # Ids near and past the key's range; <int:pk> answers anything else with a 404.
            st.one_of(
                st.just(world["view"].pk), st.integers(min_value=0), st.sampled_from(TRICKY_IDS)
            ).map("/applicants/views/{}/delete/".format),
            query(["next", "view"]),
        ),
        ("get", "/applicants/suggest/", query(["q"])),
    ]


def fuzz(client: Client, method: str, url, strategy) -> int:
    """Send generated inputs to one page; the number of requests sent."""
    sent = 0

    @given(url=url if isinstance(url, st.SearchStrategy) else st.just(url), data=strategy)
    @settings(
        max_examples=EXAMPLES_PER_TARGET,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    def run(url, data):
        nonlocal sent
        sent += 1
        # The test client raises what a view lets escape: that is the 500.
        response = getattr(client, method)(url, data)
        assert response.status_code < 500, (method, url, data)

    run()
    return sent


def test_no_generated_input_gets_a_server_error(recruiter, world, record_property, capsys):
    client = Client()
    client.force_login(recruiter)
    pages = targets(world)

    tried = sum(fuzz(client, method, url, strategy) for method, url, strategy in pages)

    record_property("fuzz_requests", tried)
    with capsys.disabled():
        print(f"\nfuzz: {tried} requests tried over {len(pages)} pages, 0 server errors")
