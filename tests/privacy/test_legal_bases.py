"""Legal bases: recorded by hand, shown on the record, and the list's two filters."""

from datetime import timedelta

import pytest
from django.utils import timezone

from careers.models import Consent
from privacy.models import LegalBasis
from privacy.services import legal_basis_record
from recruitment.factories import ApplicantFactory, ApplicationFactory, VacancyFactory
from recruitment.models import Activity
from tests.privacy.conftest import apply

pytestmark = pytest.mark.django_db
NOW = timezone.now
# As the unfiltered list (tests/recruitment/test_applicant_list.py): the filter is two
# EXISTS subqueries inside the list's own queries, no query of its own.
FILTERED_LIST_QUERIES = 14


def record(applicant, actor, **changes):
    values = {
        "basis": LegalBasis.Basis.CONSENT, "purpose": LegalBasis.Purpose.FUTURE_OPENINGS,
        "source": LegalBasis.Source.EMAIL, "given_at": NOW() - timedelta(days=1),
        "wording_version": "2025-1", "valid_until": NOW() + timedelta(days=300),
    }  # fmt: skip
    return legal_basis_record(applicant=applicant, actor=actor, **{**values, **changes})


def test_a_recorded_basis_is_on_the_timeline_with_who(recruiter):
    applicant = ApplicantFactory(first_name="Łucja")

    basis = record(applicant, recruiter)

    entry = applicant.activities.get(kind=Activity.Kind.BASIS_RECORDED)
    assert entry.actor == recruiter
    assert "Consent" in entry.body and "E-mail" in entry.body
    assert basis.recorded_by == recruiter


def test_the_record_page_shows_careers_consents_and_recorded_bases(
    recruiter_client, recruiter, posting
):
    applicant = apply(posting).application.applicant
    record(applicant, recruiter, basis=LegalBasis.Basis.CONTRACT,
           purpose=LegalBasis.Purpose.PROCESSING, source=LegalBasis.Source.DOCUMENT,
           valid_until=None, wording_version="")  # fmt: skip

    html = recruiter_client.get(f"/applicants/{applicant.pk}/").content.decode()

    panel = html[html.index("privacy-panel") :]
    assert "Careers page" in panel and "wording 2025-1" in panel
    assert "Keeping the data for future openings" in panel
    assert "Contract" in panel and "Signed document" in panel
    assert "recorded by" in panel
    assert "No valid legal basis" not in panel


def test_a_legitimate_interest_needs_its_vacancy(recruiter_client):
    applicant = ApplicantFactory()
    url = f"/applicants/{applicant.pk}/legal-bases/new/"

    response = recruiter_client.post(url, {
        "basis": "legitimate_interest", "purpose": "processing", "source": "phone",
        "given_at": "2026-01-05T10:00",
    })  # fmt: skip

    assert response.status_code == 200
    assert "A legitimate interest is for one vacancy" in response.content.decode()
    assert not LegalBasis.objects.exists()


@pytest.mark.parametrize(
    "bad",
    [
        {"valid_until": "2025-01-01T10:00"},  # before it was given
        {"purpose": "future_openings", "basis": "contract"},
        {"given_at": "not a date"},
        {"source": "carrier pigeon"},
        {"basis": "legitimate_interest", "vacancy": "99999999999999999999"},
        {"basis": "legitimate_interest", "vacancy": "²"},
        {"wording_version": "x" * 21},
    ],
)
def test_bad_input_is_a_form_error_not_a_500(recruiter_client, bad):
    applicant = ApplicantFactory()
    data = {"basis": "consent", "purpose": "processing", "source": "phone",
            "given_at": "2026-01-05T10:00", **bad}  # fmt: skip

    response = recruiter_client.post(f"/applicants/{applicant.pk}/legal-bases/new/", data)

    assert response.status_code == 200
    assert "invalid-feedback" in response.content.decode() or "alert-danger" in (
        response.content.decode()
    )
    assert not LegalBasis.objects.exists()


def test_recording_through_the_page(recruiter_client, recruiter):
    application = ApplicationFactory(vacancy=VacancyFactory(title="Tester"))
    url = f"/applicants/{application.applicant_id}/legal-bases/new/"

    response = recruiter_client.post(url, {
        "basis": "legitimate_interest", "purpose": "processing", "source": "phone",
        "given_at": "2026-01-05T10:00", "vacancy": application.vacancy_id,
    })  # fmt: skip

    assert response.status_code == 302
    basis = LegalBasis.objects.get()
    assert (basis.basis, basis.vacancy, basis.recorded_by) == (
        "legitimate_interest", application.vacancy, recruiter,
    )  # fmt: skip


@pytest.fixture
def bases_world(recruiter, posting):
    """One applicant in each legal-basis situation, each with an open application."""
    now = NOW()
    expiring = apply(posting, email="expiring@example.com").application.applicant
    Consent.objects.filter(applicant=expiring, purpose="future_openings").update(
        valid_until=now + timedelta(days=20)
    )
    later = apply(posting, email="later@example.com").application.applicant
    recorded_expiring = ApplicationFactory().applicant
    record(recorded_expiring, recruiter, valid_until=now + timedelta(days=29))
    recorded_expired = ApplicationFactory().applicant
    record(recorded_expired, recruiter, given_at=now - timedelta(days=400),
           valid_until=now - timedelta(days=1))  # fmt: skip
    nothing = ApplicationFactory().applicant
    contract = ApplicationFactory().applicant
    record(contract, recruiter, basis="contract", purpose="processing", valid_until=None)
    return {
        "expiring": expiring, "later": later, "recorded_expiring": recorded_expiring,
        "recorded_expired": recorded_expired, "nothing": nothing, "contract": contract,
    }  # fmt: skip


def listed(client, **query) -> set[int]:
    page = client.get("/applicants/", query).context["listing"].page
    return {row.applicant_id for row in page.object_list}


def test_the_list_filters_consents_expiring_in_30_days(recruiter_client, bases_world):
    w = bases_world

    assert listed(recruiter_client, legal_basis="consent_expiring") == {
        w["expiring"].pk, w["recorded_expiring"].pk,
    }  # fmt: skip


def test_the_list_filters_applicants_with_no_valid_basis(recruiter_client, bases_world):
    w = bases_world

    assert listed(recruiter_client, legal_basis="no_valid_basis") == {
        w["recorded_expired"].pk, w["nothing"].pk,
    }  # fmt: skip


def test_the_api_filters_the_same_rows(recruiter_client, bases_world):
    api = recruiter_client.get("/api/v1/applications/", {"legal_basis": "no_valid_basis"})

    assert {row["applicant"]["id"] for row in api.json()["results"]} == listed(
        recruiter_client, legal_basis="no_valid_basis"
    )


def test_an_unknown_filter_value_is_a_400_in_the_api(recruiter_client):
    response = recruiter_client.get("/api/v1/applications/", {"legal_basis": "whatever"})

    assert response.status_code == 400
    assert "legal_basis" in str(response.json())


@pytest.mark.parametrize("rows", [3, 12])
def test_the_filtered_list_query_count_does_not_grow_with_rows(
    recruiter_client, recruiter, django_assert_num_queries, rows
):
    for _ in range(rows):
        ApplicationFactory()
    recruiter_client.get("/applicants/", {"legal_basis": "no_valid_basis"})  # warm the session

    with django_assert_num_queries(FILTERED_LIST_QUERIES):
        response = recruiter_client.get("/applicants/", {"legal_basis": "no_valid_basis"})

    assert len(response.context["listing"].page.object_list) == rows


def test_the_form_starts_at_now_in_the_pickers_format(recruiter_client):
    applicant = ApplicantFactory()

    html = recruiter_client.get(f"/applicants/{applicant.pk}/legal-bases/new/").content.decode()

    now = timezone.localtime().strftime("%Y-%m-%dT")
    assert f'type="datetime-local" name="given_at" value="{now}' in html
