"""Issue 10's faults, each injected into a real deploy under traffic (8 clients reading,
a writer inserting rows), on the shared sandbox: sshd on loopback, uWSGI, PostgreSQL.

Each test asserts what users and admins would notice: no refused connection, every row
written during the deploy still there (or, where a restore was the only way back, kept
in a dump and counted), the lock free. The tests run in order on one instance, each a
"next deploy" of the one before; the last ones deploy and roll back after all of them.
"""

import json
import os
import signal
import subprocess
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest

from deploy.instances import DAYS
from tests.deploy.sandbox import database_name, health, psql, sh
from tests.deploy.traffic import Traffic

DB = database_name("faults")
ALWAYS_OPEN = {"days": "Mon-Sun", "start": "00:00", "end": "23:59:59", "tz": "UTC"}
BROKEN_HEALTH = (
    "\n\ndef health(request):\n"
    "    return JsonResponse({'status': 'error', 'release': 'broken'}, status=503)\n"
)


def current(table: dict) -> str:
    return Path(table["base"], "current").readlink().name


def port(table: dict) -> int:
    return table["hosts"][0]["port"]


def lock(table: dict) -> Path:
    return Path(table["base"], "deploy.lock")


def log(sandbox) -> list[dict]:
    return [json.loads(line) for line in sandbox.fab("log", "faults").stdout.splitlines()]


def traffic(table: dict, prefix: str) -> Traffic:
    return Traffic(port(table), DB, prefix)


def assert_nothing_lost(table: dict, during: Traffic) -> None:
    """What every fault test asserts: the instance stayed reachable and kept every write."""
    assert during.load.requests > 50
    assert during.refused == []
    assert len(during.writer.written) > 20
    assert during.writer.present() == len(during.writer.written)
    assert not lock(table).exists()


def fab_until(sandbox, line: str, *args: str) -> tuple[subprocess.Popen, list[str]]:
    """`fab` started, its output read until a line starting with `line`."""
    process = sandbox.fab_start(*args)
    seen = []
    for output in process.stdout:
        seen.append(output)
        if output.startswith(line):
            return process, seen
    raise AssertionError(f"fab ended before {line!r}:\n{''.join(seen)}{process.stderr.read()}")


@pytest.fixture(scope="module")
def faults(sandbox):
    table = sandbox.instance("faults", keep_backups=2, window=ALWAYS_OPEN)
    sandbox.write_instances({"faults": table})
    return table


@pytest.fixture(scope="module")
def refs(sandbox):
    """One branch per injected fault, each from main."""
    origin = sandbox.origin
    flag = sandbox.root / "degrade"
    return {
        "cannot-import": origin.branch(
            "cannot-import", "main", {}, append={"rms/urls.py": "\nimport rms_no_such_module\n"}
        ),
        "broken-health": origin.branch(
            "broken-health-only", "main", {}, append={"rms/health.py": BROKEN_HEALTH}
        ),
        "reversible": origin.branch_with_migration(
            "reversible-broken",
            "main",
            "0900_fault_reversible",
            "CREATE TABLE fault_reversible (id int)",
            append={"rms/health.py": BROKEN_HEALTH},
            reverse_sql="DROP TABLE fault_reversible",
        ),
        "irreversible": origin.branch_with_migration(
            "irreversible-broken",
            "main",
            "0900_fault_irreversible",
            "CREATE TABLE fault_irreversible (id int)",
            append={"rms/health.py": BROKEN_HEALTH},
            reverse_sql=None,
        ),
        "migration": origin.branch_with_migration(
            "good-migration",
            "main",
            "0900_fault_good",
            "CREATE TABLE fault_good (id int)",
            reverse_sql="DROP TABLE fault_good",
        ),
        "degrades": origin.branch(
            "degrades-later",
            "main",
            {},
            append={
                "rms/health.py": (
                    "\n\nfrom pathlib import Path\n\nserving = health\n\n\n"
                    "@login_not_required\n"
                    "def health(request):\n"
                    f"    if Path({str(flag)!r}).exists():\n"
                    "        return JsonResponse({'status': 'error'}, status=503)\n"
                    "    return serving(request)\n"
                )
            },
        ),
        "slow-migration": origin.branch_with_migration(
            "slow-migration",
            "main",
            "0900_fault_slow",
            "SELECT pg_sleep(60); CREATE TABLE fault_slow (id int)",
            reverse_sql="DROP TABLE fault_slow",
        ),
        "broken-js": origin.branch(
            "broken-js", "main", {"static/js/broken.js": "var answer = ;\n"}
        ),
    }


def closed_today() -> dict:
    """A deploy window open every day but today (UTC)."""
    today = datetime.now(UTC).weekday()
    days = ",".join(day for number, day in enumerate(DAYS) if number != today)
    return {**ALWAYS_OPEN, "days": days}


def test_first_deploy_outside_its_window_needs_a_reason_and_is_tagged_once_it_served(
    sandbox, faults, refs
):
    sandbox.write_instances({"faults": {**faults, "window": closed_today()}})
    try:
        refused = sandbox.fab("deploy", "faults")
        unexplained = sandbox.fab("deploy", "faults", "--force")
        result = sandbox.fab("deploy", "faults", "--force", "--reason", "payroll export is broken")
    finally:
        sandbox.write_instances({"faults": faults})

    assert refused.returncode == 1 and "window is closed" in refused.stderr
    assert unexplained.returncode == 1 and "--force needs --reason" in unexplained.stderr
    assert result.returncode == 0, result.stdout + result.stderr
    release = current(faults)
    assert health(port(faults))["release"] == release
    (entry,) = log(sandbox)
    assert entry["forced"] is True and "payroll export is broken" in entry["note"]
    assert "forced outside the window" in entry["note"]
    # Fault 8: tagged after the watch, the reason in the tag's message.
    assert f"faults-{release}" in sandbox.origin.tags()
    assert result.stdout.index("<-- watch") < result.stdout.index("--> tag")
    message = sh("git", "--git-dir", sandbox.origin.bare, "tag", "-l", "--format=%(contents)")
    assert "payroll export is broken" in message


def test_release_that_cannot_import_never_reaches_a_worker(sandbox, faults, refs):
    """Fault 1: it took the whole instance down; fault 9: "reverted" though nothing was."""
    before = current(faults)
    tags = set(sandbox.origin.tags())

    with traffic(faults, "import") as during:
        result = sandbox.fab("deploy", "faults", "--ref", "cannot-import")

    assert result.returncode == 1
    assert "import check" in result.stderr and "rms_no_such_module" in result.stderr
    assert f"nothing was switched, still on {before}" in result.stderr
    assert "reverted to release" not in result.stderr
    assert during.load.failures == []
    assert_nothing_lost(faults, during)
    assert current(faults) == before and health(port(faults))["release"] == before
    # Fault 8: a failed deploy gets no tag.
    assert set(sandbox.origin.tags()) == tags


def test_failed_deploy_that_migrated_nothing_keeps_every_write(sandbox, faults, refs):
    """Fault 2: the revert restored the backup although no migration had run."""
    before = current(faults)

    with traffic(faults, "nomigration") as during:
        result = sandbox.fab("deploy", "faults", "--ref", "broken-health-only")

    assert result.returncode == 1
    assert f"reverted to release {before}" in result.stderr
    assert "restore backup" not in result.stdout + result.stderr
    assert_nothing_lost(faults, during)
    entry = log(sandbox)[-1]
    assert entry["ok"] is False and entry["migrated"] is False and entry["migrations"] == []


def test_revert_puts_workers_back_then_reverses_the_migration(sandbox, faults, refs):
    """Fault 3: the revert restored the backup (writes lost) before reloading workers."""
    before = current(faults)

    with traffic(faults, "reversible") as during:
        result = sandbox.fab("deploy", "faults", "--ref", "reversible-broken")

    assert result.returncode == 1, result.stdout
    assert "migrations reversed (recruitment.0900_fault_reversible)" in result.stderr
    out = result.stdout
    assert out.index("<-- revert reload") < out.index("--> reverse migrations")
    assert "restore backup" not in out
    assert_nothing_lost(faults, during)
    assert psql(DB, "SELECT to_regclass('fault_reversible')") == ""
    report = health(port(faults))
    assert report["status"] == "ok" and report["release"] == before


def test_irreversible_migration_restores_the_backup_keeping_what_it_replaces(sandbox, faults, refs):
    """Fault 3, last resort: the rows written since the backup are dumped and counted."""
    with traffic(faults, "irreversible") as during:
        result = sandbox.fab("deploy", "faults", "--ref", "irreversible-broken")

    assert result.returncode == 1, result.stdout
    assert during.refused == [] and not lock(faults).exists()
    entry = log(sandbox)[-1]
    kept, lost = entry["restore"]["pre_restore_dump"], entry["restore"]["rows_lost"]
    assert f"{lost} rows written since the backup are only in {kept}" in result.stderr
    assert psql(DB, "SELECT to_regclass('fault_irreversible')") == ""
    # Every row the writer committed is in the database or in the kept dump, and the
    # count printed for its table is exactly the rows the restore took away.
    kept_rows = sh("pg_restore", "--data-only", "--table", "recruitment_city", "-f", "-", kept)
    in_dump = {name for name in during.writer.written if f"\t{name}\n" in kept_rows}
    like = "SELECT name FROM recruitment_city WHERE name LIKE 'irreversible-%'"
    present = set(psql(DB, like).split())
    assert set(during.writer.written) <= in_dump | present
    assert entry["restore"]["tables"]["recruitment_city"] == len(in_dump - present) > 0
    assert lost >= len(in_dump - present)


def test_no_change_deploy_under_load_waits_for_every_worker(sandbox, faults, refs):
    """Fault 4 (recycles racing the chain reload) and 8 (a retry in the same minute)."""
    first = current(faults)

    with traffic(faults, "nochange") as during:
        result = sandbox.fab("deploy", "faults")

    assert result.returncode == 0, result.stdout + result.stderr
    assert during.load.failures == []
    assert_nothing_lost(faults, during)
    release = current(faults)
    assert {f"faults-{first}", f"faults-{release}"} <= set(sandbox.origin.tags())
    # Fault 5: status reports what the workers run, read from the workers themselves.
    status = json.loads(sandbox.fab("status", "faults").stdout)
    assert status["running"] == [release] and status["lock"] == "free"
    assert len(status["workers"]) == 2


def test_interrupted_deploy_reverts_logs_and_frees_the_lock(sandbox, faults, refs):
    """Fault 5: SIGTERM left a stale lock, no revert and no log entry."""
    before = current(faults)

    with traffic(faults, "interrupted") as during:
        process, _ = fab_until(sandbox, "--> watch", "deploy", "faults", "--ref", "good-migration")
        process.send_signal(signal.SIGTERM)
        out, err = process.communicate(timeout=300)

    assert process.returncode == 1, out + err
    assert "interrupted by SIGTERM" in err and f"reverted to release {before}" in err
    assert "migrations reversed (recruitment.0900_fault_good)" in err
    assert_nothing_lost(faults, during)
    assert psql(DB, "SELECT to_regclass('fault_good')") == ""
    entry = log(sandbox)[-1]
    assert entry["interrupted"] is True and entry["ok"] is False
    assert health(port(faults))["release"] == before


def running(*words: str) -> list[str]:
    """The command lines of this machine's processes that hold every one of `words`."""
    found = []
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            text = cmdline.read_bytes().replace(b"\0", b" ").decode()
        except OSError:
            continue
        if all(word in text for word in words):
            found.append(text)
    return found


def test_interrupt_during_buildout_stops_the_remote_buildout(sandbox, faults, refs):
    process, _ = fab_until(sandbox, "--> buildout", "deploy", "faults", "--ref", "good-migration")
    time.sleep(0.3)
    process.send_signal(signal.SIGINT)
    out, err = process.communicate(timeout=300)

    assert process.returncode == 1 and "interrupted by SIGINT" in err, out + err
    assert not lock(faults).exists()
    # The buildout program itself: an instance's workers run the same cache's python.
    assert running(str(sandbox.root / "host-cache"), "bin/buildout -N") == []


def test_interrupt_during_migrate_stops_it_before_the_revert_reads_the_schema(
    sandbox, faults, refs
):
    before = current(faults)
    process, _ = fab_until(sandbox, "--> migrate", "deploy", "faults", "--ref", "slow-migration")
    time.sleep(2)
    process.send_signal(signal.SIGINT)
    out, err = process.communicate(timeout=300)

    assert process.returncode == 1 and "interrupted by SIGINT" in err, out + err
    assert f"nothing was switched, still on {before}" in err
    # The migration sleeps a minute: had it gone on, the revert would have raced it.
    assert running(faults["base"], "migrate") == []
    assert psql(DB, "SELECT count(*) FROM django_migrations WHERE name = '0900_fault_slow'") == "0"
    assert not lock(faults).exists()
    assert health(port(faults))["release"] == before


def test_unlock_refuses_a_live_holder_and_removes_a_dead_ones(sandbox, faults):
    """Fault 5: a stale lock blocked everything until a file was deleted by hand."""
    dead = subprocess.Popen(["true"])
    dead.wait()
    holder = {"who": "ada@ci", "host": os.uname().nodename, "since": "2026-12-01T10:00:00+00:00"}
    lock(faults).write_text(json.dumps({**holder, "pid": os.getpid()}))

    refused = sandbox.fab("unlock", "faults")
    assert refused.returncode == 1 and "locked by a running deploy" in refused.stderr
    blocked = sandbox.fab("deploy", "faults")
    assert blocked.returncode == 1 and f"(pid {os.getpid()} on" in blocked.stderr

    lock(faults).write_text(json.dumps({**holder, "host": "elsewhere", "pid": 1}))
    unforced = sandbox.fab("unlock", "faults")
    assert unforced.returncode == 1 and "--force --reason" in unforced.stderr

    lock(faults).write_text(json.dumps({**holder, "pid": dead.pid}))
    unlocked = sandbox.fab("unlock", "faults")
    assert unlocked.returncode == 0, unlocked.stderr
    assert not lock(faults).exists()
    assert log(sandbox)[-1]["action"] == "unlock"


def test_rollback_skips_releases_that_never_served(sandbox, faults, refs):
    """Fault 6: rollback took a failed deploy's release because it was on disk."""
    served = [e["release"] for e in log(sandbox) if e.get("ok") and e["action"] == "deploy"]
    active = current(faults)
    assert active == served[-1]
    # What an interrupted run killed with SIGKILL leaves: a release that never served,
    # newer than the one to go back to.
    leftover = Path(faults["base"], "releases", served[-2][:15] + "9-0badc0de")
    leftover.mkdir()

    result = sandbox.fab("rollback", "faults")

    assert result.returncode == 0, result.stdout + result.stderr
    assert current(faults) == served[-2]
    assert health(port(faults))["release"] == served[-2]
    entry = log(sandbox)[-1]
    assert entry["action"] == "rollback" and entry["ok"] and entry["previous"] == active


def test_failed_attempts_never_rotate_out_a_good_backup(sandbox, faults, refs):
    """Fault 7: after failed attempts no backup of the last good deploy was left; also
    the next deploy and a rollback (with the database) after all the faults above."""
    backups = Path(faults["base"], "shared", "backups")
    (backups / "faults-20261201-000000.dump.tmp").write_text("half a dump")
    failed = [e for e in log(sandbox) if e["action"] == "deploy" and not e["ok"]]
    assert len(failed) > 2 * 2  # keep_backups is 2: more failures than it keeps

    with traffic(faults, "next") as during:
        result = sandbox.fab("deploy", "faults", "--ref", "good-migration")

    assert result.returncode == 0, result.stdout + result.stderr
    assert_nothing_lost(faults, during)
    good = [e["backup"] for e in log(sandbox) if e["action"] == "deploy" and e["ok"]]
    good = [path for path in good if path]
    assert all(Path(path).exists() for path in good[-2:])
    assert not list(backups.glob("*.tmp"))

    rolled = sandbox.fab("rollback", "faults", "--restore-db")

    assert rolled.returncode == 0, rolled.stdout + rolled.stderr
    assert psql(DB, "SELECT to_regclass('fault_good')") == ""
    assert health(port(faults))["status"] == "ok"


def test_js_build_error_names_the_file(sandbox, faults, refs):
    """Fault 9: the jshint line was shown, not the file it is in."""
    before = current(faults)

    result = sandbox.fab("deploy", "faults", "--ref", "broken-js")

    assert result.returncode == 1
    assert "front-end build" in result.stderr and "static/js/broken.js" in result.stderr
    assert f"nothing was switched, still on {before}" in result.stderr


def test_watch_reverts_a_release_that_degrades_after_its_health_check(sandbox, faults, refs):
    sandbox.write_instances({"faults": {**faults, "watch_seconds": 20}})
    flag = sandbox.root / "degrade"
    before = current(faults)
    try:
        with traffic(faults, "watch") as during:
            process, _ = fab_until(
                sandbox, "--> watch", "deploy", "faults", "--ref", "degrades-later"
            )
            flag.write_text("")
            out, err = process.communicate(timeout=300)
    finally:
        flag.unlink(missing_ok=True)
        sandbox.write_instances({"faults": faults})

    assert process.returncode == 1, out + err
    assert "watch for 20 s failed" in err and f"reverted to release {before}" in err
    assert_nothing_lost(faults, during)
    assert health(port(faults))["release"] == before
