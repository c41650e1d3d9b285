import datetime

import pytest
from django.utils import timezone

from recruitment.factories import ApplicantFactory, ApplicationFactory, TagFactory, VacancyFactory
from recruitment.models import Activity, Applicant
from recruitment.services import ServiceError, applicant_merge, note_add

pytestmark = pytest.mark.django_db


@pytest.fixture
def pair(recruiter):
    keep = ApplicantFactory(created_at=timezone.now() - datetime.timedelta(days=30))
    merge = ApplicantFactory(email="second.address@example.com")
    keep.tags.add(TagFactory(name="python"))
    merge.tags.add(TagFactory(name="django"))
    ApplicationFactory(applicant=merge, vacancy=VacancyFactory(title="QA"))
    note_add(applicant=merge, body="<p>from the duplicate</p>", actor=recruiter)
    return keep, merge


def test_merge_moves_everything_and_keeps_the_other_record(pair, admin_user):
    keep, merge = pair

    applicant_merge(keep=keep, merge=merge, actor=admin_user)

    keep.refresh_from_db()
    merge.refresh_from_db()
    assert merge.merged_into == keep
    assert Applicant.objects.filter(pk=merge.pk).exists()
    assert [a.vacancy.title for a in keep.applications.all()] == ["QA"]
    assert set(keep.tags.values_list("name", flat=True)) == {"python", "django"}
    assert keep.notes_count == 1
    assert keep.activities.filter(kind=Activity.Kind.NOTE).count() == 1
    record = keep.activities.get(kind=Activity.Kind.APPLICANT_MERGED)
    assert record.actor == admin_user
    assert "second.address@example.com" in record.body
    assert not merge.activities.exists()


def test_only_admins_merge(pair, recruiter):
    keep, merge = pair

    with pytest.raises(PermissionError):
        applicant_merge(keep=keep, merge=merge, actor=recruiter)

    merge.refresh_from_db()
    assert merge.merged_into is None


def test_two_open_applications_for_one_vacancy_are_refused(pair, admin_user):
    keep, merge = pair
    ApplicationFactory(applicant=keep, vacancy=merge.applications.get().vacancy)

    with pytest.raises(ServiceError, match="Both have an open application for QA"):
        applicant_merge(keep=keep, merge=merge, actor=admin_user)

    assert merge.applications.count() == 1


def test_a_merged_record_cannot_be_merged_again(pair, admin_user):
    keep, merge = pair
    applicant_merge(keep=keep, merge=merge, actor=admin_user)

    with pytest.raises(ServiceError, match="merged already"):
        applicant_merge(keep=ApplicantFactory(), merge=merge, actor=admin_user)


def test_the_old_address_leads_to_the_survivor(pair, admin_user, recruiter_client):
    keep, merge = pair
    applicant_merge(keep=keep, merge=merge, actor=admin_user)

    response = recruiter_client.get(f"/applicants/{merge.pk}/")

    assert response["Location"] == f"/applicants/{keep.pk}/"


def test_merge_from_the_admin_list(pair, admin_user, client):
    keep, merge = pair
    client.force_login(admin_user)

    client.post(
        "/admin/recruitment/applicant/",
        {"action": "merge_applicants", "_selected_action": [keep.pk, merge.pk]},
    )

    merge.refresh_from_db()
    assert merge.merged_into_id == keep.pk
