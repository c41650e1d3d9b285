from datetime import UTC, datetime

import pytest

from deploy.errors import DeployError
from deploy.instances import instance_parse
from deploy.lock import holder_line
from deploy.operations import release_before
from deploy.pipeline import health_summary, window_check
from deploy.progress import StepFailed, step
from deploy.releases import release_id

LIVE = {
    "hosts": ["rms@app1"],
    "base": "/srv/rms/live",
    "port": 8001,
    "origin": "/git",
    "database": "postgres://rms@db/rms_live",
    "window": {"days": "Mon-Fri"},
}
SATURDAY = datetime(2026, 11, 28, 10, 0, tzinfo=UTC)
FRIDAY = datetime(2026, 11, 27, 10, 0, tzinfo=UTC)


def test_closed_window_refuses_and_names_it():
    live = instance_parse("live", LIVE)

    with pytest.raises(DeployError, match=r"live deploy window is closed \(Mon,.*Fri 09:00-16:00"):
        window_check(live, force=False, now=SATURDAY)


def test_force_opens_the_window_and_says_what_to_record():
    live = instance_parse("live", LIVE)

    assert window_check(live, force=True, now=SATURDAY).startswith("forced outside the window")
    assert window_check(live, force=False, now=FRIDAY) == ""


def test_unprotected_instances_have_no_window():
    staging = instance_parse("staging", {k: v for k, v in LIVE.items() if k != "window"})

    assert window_check(staging, force=False, now=SATURDAY) == ""


def test_release_ids_sort_by_time_and_name_the_commit():
    earlier = release_id("0123456789abcdef", FRIDAY)
    later = release_id("fedcba9876543210", SATURDAY)

    assert earlier == "20261127-100000-01234567"
    assert sorted([later, earlier]) == [earlier, later]


def test_rollback_goes_to_the_newest_older_release():
    listing = ["20261128-3", "20261128-2", "20261128-1"]

    assert release_before(listing, "20261128-3") == "20261128-2"
    assert release_before(listing, "20261128-2") == "20261128-1"
    with pytest.raises(DeployError, match="no release before 20261128-1"):
        release_before(listing, "20261128-1")


def test_lock_holder_says_who_and_since_when():
    assert holder_line("ada@ci", FRIDAY) == "ada@ci since 2026-11-27 10:00:00 UTC"


def test_a_failing_step_is_named_and_timed(capsys):
    with (
        pytest.raises(StepFailed, match=r"^migrate \[app1\] failed: boom$"),
        step("migrate", "app1"),
    ):
        raise DeployError("boom")

    out = capsys.readouterr().out
    assert "--> migrate [app1]" in out
    assert "<-- migrate [app1]: FAILED after" in out


def test_health_summary_shows_what_was_wrong():
    report = {"http_status": 503, "status": "error", "release": "r1", "database": "ok"}

    assert health_summary(report) == "http_status=503, status=error, release=r1, database=ok"
