"""The nightly retention run on a fixed clock: exactly the due people, and no one else."""

import re
from datetime import UTC, datetime, timedelta

import pytest
from django.core import mail, signing
from django.utils import timezone

from careers.models import Consent
from privacy import tasks
from privacy.models import LegalBasis, RenewalReminder, RetentionRule
from privacy.services import applicant_anonymise, applicant_restrict, retention_run
from recruitment.factories import ApplicantFactory, ApplicationFactory
from recruitment.models import Activity, Applicant, Application, Stage
from tests.privacy.conftest import apply

pytestmark = pytest.mark.django_db

FROZEN = datetime(2026, 6, 15, 12, 0, tzinfo=UTC)
DAY = timedelta(days=1)


@pytest.fixture
def frozen_clock(monkeypatch):
    """timezone.now() answers FROZEN everywhere it is called through the module (the
    services and the task); the models' defaults keep the real clock, and the tests
    below set every date they rely on."""
    monkeypatch.setattr(timezone, "now", lambda: FROZEN)
    return FROZEN


@pytest.fixture
def run(django_capture_on_commit_callbacks):
    """The nightly run at a moment, its mails sent (they go once its changes commit)."""

    def run_at(now):
        with django_capture_on_commit_callbacks(execute=True):
            return retention_run(now=now)

    return run_at


def closed(applicant=None, *, ago: timedelta, stage=Stage.VERIFICATION) -> Application:
    application = ApplicationFactory(**({"applicant": applicant} if applicant else {}))
    Application.objects.filter(pk=application.pk).update(
        stage=stage, closed_at=FROZEN - ago, close_reason="rejected"
    )
    return application


def hired(*, ago: timedelta) -> Application:
    application = ApplicationFactory()
    Application.objects.filter(pk=application.pk).update(
        stage=Stage.EMPLOYMENT, stage_changed_at=FROZEN - ago
    )
    return application


def careers_consent_until(posting, email: str, *, until: datetime, closed_ago: timedelta):
    submission = apply(posting, email=email)
    Consent.objects.filter(submission=submission, purpose="future_openings").update(
        valid_until=until
    )
    Application.objects.filter(pk=submission.application_id).update(
        closed_at=FROZEN - closed_ago, close_reason="withdrawn"
    )
    return submission.application.applicant


@pytest.fixture
def world(posting, admin_user):
    people = {
        "closed_due": closed(ago=181 * DAY).applicant,
        "closed_not_yet": closed(ago=179 * DAY).applicant,
        "hired_due": hired(ago=721 * DAY).applicant,
        "hired_not_yet": hired(ago=100 * DAY).applicant,
        "consent_expired": careers_consent_until(
            posting, "expired@example.com", until=FROZEN - DAY, closed_ago=400 * DAY
        ),
        "consent_valid": careers_consent_until(
            posting, "valid@example.com", until=FROZEN + 5 * DAY, closed_ago=400 * DAY
        ),
        "consent_later": careers_consent_until(
            posting, "later@example.com", until=FROZEN + 20 * DAY, closed_ago=400 * DAY
        ),
        "no_application": ApplicantFactory(),
    }
    two = closed(ago=500 * DAY).applicant
    closed(two, ago=10 * DAY)
    people["closed_recently_again"] = two
    busy = closed(ago=500 * DAY).applicant
    ApplicationFactory(applicant=busy, stage=Stage.INTERVIEW)
    people["still_in_the_pipeline"] = busy
    recorded = closed(ago=300 * DAY).applicant
    LegalBasis.objects.create(
        applicant=recorded, basis="consent", purpose="future_openings", source="email",
        given_at=FROZEN - 400 * DAY, valid_until=FROZEN - 3600 * timedelta(seconds=1),
    )  # fmt: skip
    people["recorded_consent_expired"] = recorded
    restricted = closed(ago=900 * DAY).applicant
    applicant_restrict(applicant=restricted, actor=admin_user, reason="Contested")
    people["restricted"] = restricted
    gone = closed(ago=900 * DAY).applicant
    applicant_anonymise(applicant=gone, actor=admin_user, reason="Asked")
    people["anonymised_before"] = gone
    return people


DUE = {"closed_due", "hired_due", "consent_expired", "recorded_consent_expired"}


def anonymised_now(world) -> set[str]:
    fresh = Applicant.objects.in_bulk([person.pk for person in world.values()])
    return {
        name
        for name, person in world.items()
        if fresh[person.pk].anonymised_at is not None and name != "anonymised_before"
    }


def test_the_nightly_task_anonymises_exactly_the_due_people(world, frozen_clock):
    result = tasks.retention_run()

    assert anonymised_now(world) == DUE
    assert result["anonymised"] == len(DUE)


def test_each_gets_the_rule_that_ran_out_last_as_the_reason(world, frozen_clock, run):
    run(FROZEN)

    def reason(name):
        return world[name].activities.get(kind=Activity.Kind.ANONYMISED).body

    assert (
        reason("closed_due")
        == "Retention rule: Rejected or withdrawn, without a future-openings consent"
    )
    assert reason("hired_due") == "Retention rule: Hired"
    assert reason("consent_expired") == "Retention rule: With a future-openings consent"
    assert world["closed_due"].activities.get(kind=Activity.Kind.ANONYMISED).actor is None


def test_a_second_run_does_nothing(world, frozen_clock, run):
    run(FROZEN)
    mail.outbox.clear()

    again = run(FROZEN)

    assert (again.anonymised, again.reminded) == (0, 0)
    assert mail.outbox == []


def test_a_rule_switched_off_keeps_everyone_it_applies_to(world, frozen_clock, run):
    RetentionRule.objects.filter(case="hired").update(is_active=False)

    run(FROZEN)

    assert anonymised_now(world) == DUE - {"hired_due"}


def test_an_admin_edits_the_months(world, frozen_clock, run):
    RetentionRule.objects.filter(case="closed").update(months=7)

    run(FROZEN)

    assert anonymised_now(world) == DUE - {"closed_due"}


def renewal_links(to: str) -> list[str]:
    return [
        re.search(r"http://\S+/privacy/renew/\S+/", message.body).group(0)
        for message in mail.outbox
        if message.to == [to]
    ]


def test_a_renewal_link_goes_14_days_before_a_consent_ends_and_only_then(world, frozen_clock, run):
    result = run(FROZEN)

    assert result.reminded == 1
    assert [m.to for m in mail.outbox] == [["valid@example.com"]]
    assert len(renewal_links("valid@example.com")) == 1
    assert world["consent_valid"].activities.filter(kind=Activity.Kind.CONSENT_RENEWAL_ASKED)
    assert RenewalReminder.objects.get().valid_until == FROZEN + 5 * DAY


def test_renewing_extends_the_consent_and_is_recorded(world, frozen_clock, client, settings, run):
    run(FROZEN)
    link = renewal_links("valid@example.com")[0].replace("http://testserver", "")
    person = world["consent_valid"]

    shown = client.get(link)
    renewed = client.post(link)

    assert shown.status_code == 200 and "Renew my consent" in shown.content.decode()
    assert renewed.status_code == 200
    consent = Consent.objects.get(applicant=person, purpose="future_openings")
    months = settings.RMS_CAREERS_FUTURE_CONSENT_MONTHS
    assert consent.valid_until == FROZEN + 5 * DAY + timedelta(days=30 * months)
    assert person.activities.filter(kind=Activity.Kind.CONSENT_RENEWED).count() == 1
    assert client.post(link).status_code == 200  # used again: nothing more happens
    assert person.activities.filter(kind=Activity.Kind.CONSENT_RENEWED).count() == 1
    # Renewed: no longer due when the old expiry passes.
    run(FROZEN + 10 * DAY)
    person.refresh_from_db()
    assert person.anonymised_at is None


def test_a_tampered_link_is_refused_with_a_clear_page(world, frozen_clock, client, run):
    run(FROZEN)
    link = renewal_links("valid@example.com")[0].replace("http://testserver", "")
    token = link.rstrip("/").rsplit("/", 1)[1]
    tampered = link.replace(token, token[:-3] + ("aaa" if token[-3:] != "aaa" else "bbb"))

    response = client.post(tampered)

    assert response.status_code == 400
    assert "not one we sent" in response.content.decode()
    assert (
        Consent.objects.get(applicant=world["consent_valid"], purpose="future_openings").valid_until
        == FROZEN + 5 * DAY
    )


def test_an_expired_link_is_refused_with_a_clear_page(
    world, frozen_clock, client, monkeypatch, run
):
    run(FROZEN)
    link = renewal_links("valid@example.com")[0].replace("http://testserver", "")
    later = signing.time.time() + 29 * 24 * 3600
    monkeypatch.setattr(signing.time, "time", lambda: later)

    response = client.post(link)

    assert response.status_code == 410
    assert "expired" in response.content.decode()


def test_a_link_for_someone_anonymised_meanwhile_says_so(
    world, frozen_clock, client, admin_user, run
):
    run(FROZEN)
    link = renewal_links("valid@example.com")[0].replace("http://testserver", "")
    applicant_anonymise(applicant=world["consent_valid"], actor=admin_user, reason="Asked")

    response = client.post(link)

    assert response.status_code == 409
    assert "erased" in response.content.decode()


def test_the_schedule_runs_the_task_nightly():
    from django_celery_beat.models import PeriodicTask

    task = PeriodicTask.objects.get(task="privacy.tasks.retention_run")
    assert (task.crontab.hour, task.crontab.minute) == ("2", "30")
    assert task.enabled


def test_the_default_rules_are_editable_rows():
    rules = dict(RetentionRule.objects.values_list("case", "months"))

    assert rules == {"closed": 6, "future_consent": 0, "hired": 24}
