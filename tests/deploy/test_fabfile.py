"""`fab` as a person types it: bad input is one line and exit 1, before any connection."""

import os
import subprocess
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from deploy.instances import DAYS

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def fab(tmp_path):
    today = datetime.now(ZoneInfo("Europe/Warsaw")).weekday()
    closed = ",".join(day for number, day in enumerate(DAYS) if number != today)
    instances = tmp_path / "instances.toml"
    instances.write_text(
        "[instances.live]\n"
        'hosts = ["rms@127.0.0.1:1"]\nbase = "/srv/rms/live"\nport = 8001\norigin = "/nowhere"\n'
        'database = "postgres://rms@127.0.0.1/rms_live"\ndata = "real"\n'
        f'window = {{days = "{closed}"}}\n'
    )
    env = {**os.environ, "RMS_INSTANCES": str(instances)}

    def run(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [str(REPO / "bin" / "fab"), *args],
            cwd=REPO,
            env=env,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            check=False,
        )

    return run


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["deploy", "nowhere"], "fab: unknown instance 'nowhere' (known: live)"),
        (["deploy", "live"], "fab: live deploy window is closed (Mon"),
        (["deploy", "live", "--force"], 'fab: --force needs --reason "why"'),
        (["restore", "live", "live-20261127.dump"], "fab: restore cancelled"),
        (["copy-db", "live", "live"], "fab: refusing to copy a database over live"),
        (["destroy-instance", "live"], "fab: 'live' is not a PR instance"),
    ],
)
def test_bad_input_is_one_line_and_exit_1(fab, args, message):
    result = fab(*args)

    assert result.returncode == 1
    assert result.stderr.startswith(message)
    assert len(result.stderr.strip().splitlines()) == 1


def test_every_documented_task_is_there(fab):
    listing = fab("--list").stdout

    for task in [
        "deploy",
        "deploy-pr",
        "rollback",
        "backup",
        "backups",
        "restore",
        "status",
        "restart",
        "stop",
        "unlock",
        "create-pr-instance",
        "destroy-instance",
        "copy-db",
        "releases",
        "log",
    ]:
        assert f"  {task} " in listing
