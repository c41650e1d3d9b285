from datetime import UTC, datetime

import pytest

from deploy.config_files import uwsgi_ini
from deploy.errors import DeployError
from deploy.history import good_backups, served
from deploy.instances import instance_parse
from deploy.lock import holder_alive, holder_line, holder_new
from deploy.operations import rollback_target
from deploy.pipeline import window_check
from deploy.progress import StepFailed, step
from deploy.releases import release_id
from deploy.schema import Migrated
from deploy.watch import health_summary

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
        window_check(live, force=False, reason="", now=SATURDAY)


def test_force_opens_the_window_and_records_the_reason():
    live = instance_parse("live", LIVE)

    note = window_check(live, force=True, reason="payroll bug", now=SATURDAY)

    assert note.startswith("forced outside the window") and note.endswith(": payroll bug")
    assert window_check(live, force=False, reason="", now=FRIDAY) == ""


@pytest.mark.parametrize("reason", ["", "   "])
def test_force_without_a_reason_is_refused(reason):
    live = instance_parse("live", LIVE)

    with pytest.raises(DeployError, match=r"--force needs --reason"):
        window_check(live, force=True, reason=reason, now=SATURDAY)


def test_unprotected_instances_have_no_window():
    staging = instance_parse("staging", {k: v for k, v in LIVE.items() if k != "window"})

    assert window_check(staging, force=False, reason="", now=SATURDAY) == ""


def test_release_ids_sort_by_time_and_name_the_commit():
    earlier = release_id("0123456789abcdef", FRIDAY)
    later = release_id("fedcba9876543210", SATURDAY)

    assert earlier == "20261127-100000-01234567"
    assert sorted([later, earlier]) == [earlier, later]


def test_rollback_goes_to_the_newest_older_release_that_served():
    listing = ["20261128-4", "20261128-3", "20261128-2", "20261128-1"]
    # -3 failed its health check (or was interrupted) and is still on disk.
    good = ["20261128-1", "20261128-2", "20261128-4"]

    assert rollback_target(listing, good, "20261128-4", "") == "20261128-2"
    assert rollback_target(listing, good, "20261128-2", "") == "20261128-1"
    with pytest.raises(DeployError, match="no release before 20261128-1 that served"):
        rollback_target(listing, good, "20261128-1", "")
    with pytest.raises(DeployError, match="'20261128-3' never served"):
        rollback_target(listing, good, "20261128-4", "20261128-3")


def test_only_successful_deploys_and_rollbacks_count_as_served():
    log = [
        {"action": "deploy", "ok": True, "release": "r1", "backup": "/b/1.dump"},
        {"action": "deploy", "ok": False, "release": "r2", "backup": "/b/2.dump"},
        {"action": "rollback", "ok": True, "release": "r1"},
        {"action": "deploy", "ok": True, "release": "r3", "backup": "/b/3.dump"},
        {"action": "unlock", "ok": True},
    ]

    assert served(log) == ["r1", "r1", "r3"]
    assert good_backups(log) == ["/b/3.dump", "/b/1.dump"]


def test_lock_holder_says_who_where_and_since_when():
    holder = holder_new("ada@ci", FRIDAY)

    assert holder_line(holder).startswith("ada@ci since 2026-11-27 10:00:00 UTC (pid ")
    assert holder_alive(holder) is True
    assert holder_alive({**holder, "pid": 2**22 + 1}) is False
    assert holder_alive({**holder, "host": "elsewhere"}) is None


def test_revert_reverses_the_app_migrated_last_first_to_its_leaf_before():
    migrated = Migrated(
        before=["auth.0011_x", "auth.0012_y", "recruitment.0001_a", "recruitment.0002_b"],
        applied=["recruitment.0003_c", "auth.0013_z", "notes.0001_initial"],
    )

    assert migrated.targets() == [
        ("notes", "zero"),
        ("auth", "0012_y"),
        ("recruitment", "0002_b"),
    ]


def test_workers_recycle_in_turn():
    staging = instance_parse("staging", {k: v for k, v in LIVE.items() if k != "window"})

    ini = uwsgi_ini(staging, staging.primary)

    assert "max-requests = 1000\n" in ini and "max-requests-delta = 125\n" in ini
    assert "need-app" not in ini.replace("# No need-app", "")


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
