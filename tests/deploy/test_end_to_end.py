"""The real thing: `fab` over sshd on loopback, uWSGI, PostgreSQL, a bare origin.

One server tree for the module; the tests run in order, each starting from the state
the one before left (a deploy takes tens of seconds, so they are not repeated).
"""

import json
import time
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from deploy.instances import DAYS
from tests.deploy.load import Load
from tests.deploy.sandbox import MIGRATIONS, database_name, health, migration, psql
from tests.deploy.traffic import READER_PAUSE

STAGING_DB = database_name("staging")
PROBE_COUNT = "SELECT count(*) FROM recruitment_city WHERE name = 'DeployProbeCity'"


def current(table: dict, index: int = 0) -> str:
    return Path(table["hosts"][index]["base"], "current").readlink().name


def log_entries(sandbox) -> list[dict]:
    return [json.loads(line) for line in sandbox.fab("log", "staging").stdout.splitlines()]


def port(table: dict, index: int = 0) -> int:
    return table["hosts"][index]["port"]


@pytest.fixture(scope="module")
def instances(sandbox):
    today = datetime.now(ZoneInfo("Europe/Warsaw")).weekday()
    closed = ",".join(day for number, day in enumerate(DAYS) if number != today)
    tables = {
        "staging": sandbox.instance("staging"),
        "live": sandbox.instance("live", data="real", window={"days": closed}),
        "multi": sandbox.instance("multi", hosts=2),
        "dead": sandbox.instance("dead", hosts=1),
    }
    tables["dead"]["hosts"][0]["ssh"] = "root@127.0.0.1:1"
    sandbox.write_instances(tables)
    return tables


@pytest.fixture(scope="module")
def refs(sandbox):
    """Branches in the origin: one adding a migration, one whose health check fails, one
    whose migrations fork."""
    origin = sandbox.origin
    with_migration = origin.branch_with_migration(
        "with-migration", "main", "0900_deploy_probe", "CREATE TABLE deploy_probe (id int)"
    )
    broken = origin.branch_with_migration(
        "broken-health",
        "with-migration",
        "0901_deploy_probe_two",
        "CREATE TABLE deploy_probe_two (id int)",
        reverse_sql="DROP TABLE deploy_probe_two",
        append={
            "rms/health.py": (
                "\n\ndef health(request):\n"
                "    return JsonResponse({'status': 'error', 'release': 'broken'}, status=503)\n"
            )
        },
    )
    leaf = origin.leaf_migration("main")
    forked = origin.branch(
        "forked-migrations",
        "main",
        {
            f"{MIGRATIONS}/0900_one.py": migration(leaf, "SELECT 1"),
            f"{MIGRATIONS}/0900_two.py": migration(leaf, "SELECT 1"),
        },
    )
    return {"with-migration": with_migration, "broken-health": broken, "forked": forked}


def test_bad_input_is_one_line_and_changes_nothing(sandbox, instances, refs):
    cases = {
        ("deploy", "nowhere"): "unknown instance 'nowhere'",
        ("deploy", "staging", "--ref", "no-such-branch"): "unknown ref 'no-such-branch'",
        ("deploy", "staging", "--ref", "forked-migrations"): "migrations are not linear",
        ("deploy", "dead"): "host root@127.0.0.1:1 is unreachable",
        ("deploy", "live"): "live deploy window is closed",
        ("copy-db", "staging", "live"): "refusing to copy a database over live",
    }
    for args, message in cases.items():
        result = sandbox.fab(*args)
        assert result.returncode == 1, args
        assert message in result.stderr, result.stderr
        assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    # None of these instances got a directory (another file's tests may have deployed
    # the session's own instance already).
    assert not [name for name, table in instances.items() if Path(table["base"]).exists()]


def test_first_deploy_serves_the_release(sandbox, instances):
    result = sandbox.fab("deploy", "staging")

    assert result.returncode == 0, result.stdout + result.stderr
    report = health(port(instances["staging"]))
    assert report["status"] == "ok"
    assert report["release"] == current(instances["staging"])
    for step in (
        "preflight",
        "backup",
        "buildout",
        "migrate",
        "collectstatic",
        "compilemessages",
        "switch",
        "health check",
    ):
        assert f"<-- {step}" in result.stdout
    env_file = Path(instances["staging"]["base"], "shared", "env")
    assert env_file.stat().st_mode & 0o777 == 0o600


def test_status_releases_and_log(sandbox, instances):
    status = sandbox.fab("status", "staging")
    assert status.returncode == 0, status.stderr
    assert current(instances["staging"]) in status.stdout
    assert '"deployed_by": "tess@ci"' in status.stdout
    assert status.stdout.count('"accepting": 1') == 2
    assert (
        '"release": "' + current(instances["staging"]) in sandbox.fab("releases", "staging").stdout
    )
    assert '"action": "deploy"' in sandbox.fab("log", "staging").stdout


def test_migration_deploy_under_load_keeps_data_and_drops_no_request(sandbox, instances, refs):
    staging = instances["staging"]
    psql(STAGING_DB, "INSERT INTO recruitment_city (name) VALUES ('DeployProbeCity')")
    url = f"http://127.0.0.1:{port(staging)}/health/"

    with Load(url, clients=8, pause=READER_PAUSE) as load:
        result = sandbox.fab("deploy", "staging", "--ref", "with-migration")

    assert result.returncode == 0, result.stdout + result.stderr
    assert load.requests > 100
    assert load.failures == []
    assert health(port(staging))["release"] == current(staging)
    assert current(staging).endswith(refs["with-migration"][:8])
    assert list(Path(staging["base"], "shared", "backups").glob("staging-*.dump"))
    assert psql(STAGING_DB, PROBE_COUNT) == "1"
    assert psql(STAGING_DB, "SELECT to_regclass('deploy_probe')") == "deploy_probe"


def test_rollback_with_database_restore(sandbox, instances):
    staging = instances["staging"]
    releases = sorted(path.name for path in Path(staging["base"], "releases").iterdir())
    psql(STAGING_DB, "INSERT INTO recruitment_city (name) VALUES ('BeforeRollbackCity')")
    result = sandbox.fab("rollback", "staging", "--restore-db")

    assert result.returncode == 0, result.stdout + result.stderr
    assert current(staging) == releases[0]
    assert health(port(staging))["release"] == releases[0]
    assert psql(STAGING_DB, "SELECT to_regclass('deploy_probe')") == ""
    assert psql(STAGING_DB, PROBE_COUNT) == "1"
    # Workers went back first, the schema second; the write since the backup is kept.
    output = result.stdout
    assert output.index("--> switch") < output.index("--> restore backup")
    assert "recruitment_city: 1" in output
    (rolled,) = [e for e in log_entries(sandbox) if e["action"] == "rollback"]
    kept = Path(rolled["restored"]["pre_restore_dump"])
    assert kept.exists() and rolled["restored"]["tables"]["recruitment_city"] == 1


def test_backup_and_restore_which_asks_first(sandbox, instances):
    backup = sandbox.fab("backup", "staging")
    assert backup.returncode == 0, backup.stderr
    path = Path(backup.stdout.strip().splitlines()[-1])
    assert path.exists()
    psql(STAGING_DB, "INSERT INTO recruitment_city (name) VALUES ('AfterBackupCity')")
    after_backup = "SELECT count(*) FROM recruitment_city WHERE name = 'AfterBackupCity'"

    refused = sandbox.fab("restore", "staging", path.name)
    assert refused.returncode == 1 and "restore cancelled" in refused.stderr
    assert psql(STAGING_DB, after_backup) == "1"

    restored = sandbox.fab("restore", "staging", path.name, "--yes")
    assert restored.returncode == 0, restored.stderr
    assert psql(STAGING_DB, after_backup) == "0"
    assert "recruitment_city: 1" in restored.stdout
    restore_entry = [e for e in log_entries(sandbox) if e["action"] == "restore"][-1]
    assert Path(restore_entry["restored"]["pre_restore_dump"]).exists()
    assert psql(STAGING_DB, PROBE_COUNT) == "1"
    assert health(port(instances["staging"]))["status"] == "ok"


def test_restart_replaces_every_worker(sandbox, instances):
    def worker_pids() -> set[int]:
        status = json.loads(sandbox.fab("status", "staging").stdout)
        return {worker["pid"] for worker in status["workers"]}

    before = worker_pids()
    result = sandbox.fab("restart", "staging")

    assert result.returncode == 0, result.stderr
    assert len(worker_pids()) == 2 and not worker_pids() & before
    assert health(port(instances["staging"]))["release"] == current(instances["staging"])


def test_pr_instance_gets_staging_data_and_goes_away(sandbox, instances):
    sandbox.origin.branch("feature-x", "main", {"FEATURE.txt": "x\n"})

    created = sandbox.fab("create-pr-instance", "tess", "feature-x")

    assert created.returncode == 0, created.stdout + created.stderr
    pr = json.loads(sandbox.fab("status", "pr-tess").stdout)
    assert pr["ref"] == "feature-x" and pr["health"]["status"] == "ok"
    assert psql(database_name("pr_tess"), PROBE_COUNT) == "1"

    # Jenkins' call for every later push to the PR: the same instance, a new release.
    redeployed = sandbox.fab("deploy-pr", "Tess", "feature-x")
    assert redeployed.returncode == 0, redeployed.stdout + redeployed.stderr
    assert json.loads(sandbox.fab("status", "pr-tess").stdout)["release"] != pr["release"]

    psql(STAGING_DB, "INSERT INTO recruitment_city (name) VALUES ('CopiedLaterCity')")
    copied = sandbox.fab("copy-db", "staging", "pr-tess")
    assert copied.returncode == 0, copied.stderr
    copied_later = "SELECT count(*) FROM recruitment_city WHERE name = 'CopiedLaterCity'"
    assert psql(database_name("pr_tess"), copied_later) == "1"

    refused = sandbox.fab("destroy-instance", "staging")
    assert refused.returncode == 1 and "not a PR instance" in refused.stderr

    destroyed = sandbox.fab("destroy-instance", "pr-tess")

    assert destroyed.returncode == 0, destroyed.stderr
    assert not (sandbox.root / "srv" / "pr-tess").exists()
    assert (
        psql(
            "postgres",
            f"SELECT count(*) FROM pg_database WHERE datname = '{database_name('pr_tess')}'",  # noqa: S608
        )
        == "0"
    )
    assert "unknown instance 'pr-tess'" in sandbox.fab("status", "pr-tess").stderr


def test_two_hosts_deploy_one_after_the_other_and_a_second_one_is_refused(sandbox, instances):
    multi = instances["multi"]
    lock = Path(multi["hosts"][0]["base"], "deploy.lock")
    deploying = sandbox.fab_start("deploy", "multi")
    deadline = time.monotonic() + 120
    while not lock.exists() and time.monotonic() < deadline:
        time.sleep(0.1)

    second = sandbox.fab("deploy", "multi")
    out, err = deploying.communicate(timeout=600)

    assert second.returncode == 1
    assert "multi is already being deployed by tess@ci since" in second.stderr
    assert deploying.returncode == 0, out + err
    first_host, second_host = (server.address for server in sandbox.servers)
    assert out.index(f"<-- health check [{first_host}]") < out.index(f"--> switch [{second_host}]")
    assert current(multi, 0) == current(multi, 1)
    for index in (0, 1):
        assert health(port(multi, index))["release"] == current(multi, index)
    assert not lock.exists()


def test_rolling_failure_stops_and_reverts_switched_hosts(sandbox, instances):
    multi = instances["multi"]
    before = current(multi, 0)

    result = sandbox.fab("deploy", "multi", "--ref", "broken-health")

    assert result.returncode == 1
    first, second = (server.address for server in sandbox.servers)
    assert f"health check [{first}]" in result.stderr
    assert f"--> switch [{second}]" not in result.stdout
    assert current(multi, 0) == current(multi, 1) == before
    assert health(port(multi, 1))["release"] == before


def test_stop_is_graceful_and_complete(sandbox, instances):
    result = sandbox.fab("stop", "multi")

    assert result.returncode == 0, result.stderr
    for line in sandbox.fab("status", "multi").stdout.splitlines():
        status = json.loads(line)
        assert status["health"] == "down" and status["workers"] == []
