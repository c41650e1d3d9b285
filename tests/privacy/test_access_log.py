"""The access log: who looked at which applicant's record, CV or data, and when."""

from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from django.utils import timezone

from privacy.models import AccessLogEntry
from privacy.services import access_log_flush, access_log_prune, access_log_record
from recruitment.factories import ApplicantFactory, ApplicationFactory, UserFactory

pytestmark = pytest.mark.django_db


def logged() -> list[tuple]:
    access_log_flush()
    return list(AccessLogEntry.objects.order_by("id").values_list("user", "applicant", "action"))


def test_a_view_a_cv_download_and_an_api_read_are_logged(recruiter_client, recruiter):
    applicant = ApplicantFactory(first_name="Łukasz")
    applicant.cv.save("cv.pdf", ContentFile(b"%PDF-1.7 cv"))

    recruiter_client.get(f"/applicants/{applicant.pk}/")
    recruiter_client.get(f"/applicants/{applicant.pk}/cv/")
    recruiter_client.get(f"/api/v1/applicants/{applicant.pk}/")

    assert logged() == [
        (recruiter.pk, applicant.pk, "view"),
        (recruiter.pk, applicant.pk, "cv"),
        (recruiter.pk, applicant.pk, "api"),
    ]


def test_what_was_not_shown_is_not_logged(recruiter_client):
    applicant = ApplicantFactory()
    nobody = Client()
    nobody.force_login(UserFactory(username="nobody"))

    recruiter_client.get("/applicants/999999/")  # 404
    recruiter_client.get(f"/applicants/{applicant.pk}/cv/")  # no CV: 404
    nobody.get(f"/applicants/{applicant.pk}/")  # 403
    Client().get(f"/applicants/{applicant.pk}/")  # anonymous: to the sign-in page

    assert logged() == []


def test_entries_wait_for_a_batch_and_go_in_one_insert(
    recruiter, settings, django_assert_num_queries
):
    settings.RMS_ACCESS_LOG_BATCH = 3
    applicants = ApplicantFactory.create_batch(3)

    with django_assert_num_queries(0):
        for applicant in applicants[:2]:
            access_log_record(user_id=recruiter.pk, applicant_id=applicant.pk, action="view")
    # 1 which applicants still exist, 2 the batch's one INSERT.
    with django_assert_num_queries(2):
        access_log_record(user_id=recruiter.pk, applicant_id=applicants[2].pk, action="view")

    assert AccessLogEntry.objects.count() == 3


def test_an_old_batch_is_written_at_the_next_view(recruiter, settings, monkeypatch):
    settings.RMS_ACCESS_LOG_FLUSH_SECONDS = 5
    applicant = ApplicantFactory()
    access_log_record(user_id=recruiter.pk, applicant_id=applicant.pk, action="view")
    assert AccessLogEntry.objects.count() == 0
    import privacy.services.access_log as module

    later = module.time.monotonic() + 6
    monkeypatch.setattr(module.time, "monotonic", lambda: later)

    access_log_record(user_id=recruiter.pk, applicant_id=applicant.pk, action="cv")

    assert AccessLogEntry.objects.count() == 2


def test_an_entry_for_an_applicant_deleted_meanwhile_is_dropped(recruiter):
    kept, deleted = ApplicantFactory.create_batch(2)
    access_log_record(user_id=recruiter.pk, applicant_id=kept.pk, action="view")
    access_log_record(user_id=recruiter.pk, applicant_id=deleted.pk, action="view")
    deleted.delete()

    assert access_log_flush() == 1
    assert logged() == [(recruiter.pk, kept.pk, "view")]


def test_switched_off_nothing_is_logged(recruiter_client, settings):
    settings.RMS_ACCESS_LOG = False
    applicant = ApplicantFactory()

    recruiter_client.get(f"/applicants/{applicant.pk}/")

    assert logged() == []


def test_admins_see_it_per_applicant_and_per_user(client, admin_user, recruiter):
    applicant = ApplicantFactory(first_name="Ślązak")
    viewer = Client()
    viewer.force_login(recruiter)
    viewer.get(f"/applicants/{applicant.pk}/")
    client.force_login(admin_user)

    per_applicant = client.get(f"/applicants/{applicant.pk}/personal-data/").content.decode()
    per_user = client.get(f"/privacy/access-log/users/{recruiter.pk}/").content.decode()

    assert "Rita Recruiter" in per_applicant and "Viewed the record" in per_applicant
    assert "Ślązak" in per_user and "Viewed the record" in per_user


def test_entries_older_than_the_kept_period_are_pruned(recruiter, settings):
    settings.RMS_ACCESS_LOG_KEEP_DAYS = 30
    applicant = ApplicantFactory()
    now = timezone.now()
    old = AccessLogEntry.objects.create(
        user=recruiter, applicant=applicant, action="view", at=now - timedelta(days=31)
    )
    recent = AccessLogEntry.objects.create(
        user=recruiter, applicant=applicant, action="view", at=now - timedelta(days=29)
    )

    assert access_log_prune(now=now) == 1
    assert list(AccessLogEntry.objects.all()) == [recent]
    assert not AccessLogEntry.objects.filter(pk=old.pk).exists()


@pytest.mark.parametrize("entries", [3, 30])
def test_the_log_pages_query_count_does_not_grow_with_entries(
    client, admin_user, recruiter, django_assert_num_queries, entries
):
    applicant = ApplicationFactory().applicant
    AccessLogEntry.objects.bulk_create(
        AccessLogEntry(user=recruiter, applicant=applicant, action="view") for _ in range(entries)
    )
    client.force_login(admin_user)

    # 1 session, 2 user, 3 role, 4 the applicant, 5 the log's count, 6 its page with users,
    # 7 the careers consents, 8 the recorded bases, 9 the candidate's requests.
    with django_assert_num_queries(9):
        client.get(f"/applicants/{applicant.pk}/personal-data/")
    # 1 session, 2 user, 3 role, 4 the user shown, 5 the log's count, 6 its page.
    with django_assert_num_queries(6):
        client.get(f"/privacy/access-log/users/{recruiter.pk}/")
