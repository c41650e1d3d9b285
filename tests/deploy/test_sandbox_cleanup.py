"""A test run killed with SIGKILL cannot stop what it started: the next run does."""

import os
import subprocess
import sys
import time

import pytest

from tests.deploy import sandbox


@pytest.fixture
def records(tmp_path, monkeypatch):
    if sandbox.missing_tools():
        pytest.skip(f"needs {', '.join(sandbox.missing_tools())}")
    monkeypatch.setattr(sandbox, "RECORDS", tmp_path / "records")
    (tmp_path / "records").mkdir()
    return tmp_path / "records"


def started_under(root, pidfile: str) -> subprocess.Popen:
    """A process whose command line names `root`, as a sandbox's uWSGI and sshd do."""
    process = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)", str(root)])
    path = root / pidfile
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"{process.pid}\n")
    return process


def test_leftovers_of_a_killed_run_are_stopped(tmp_path, records):
    root = tmp_path / "deploy0"
    uwsgi = started_under(root, "srv/staging0/shared/var/uwsgi.pid")
    sshd = started_under(root, "sshd_2222.pid")
    dead = subprocess.Popen(["true"])
    dead.wait()
    (records / str(dead.pid)).write_text(str(root))

    swept = sandbox.sweep_leftovers()

    assert swept == [root]
    assert uwsgi.wait(timeout=10) and sshd.wait(timeout=10)
    assert not (records / str(dead.pid)).exists()


def test_a_running_sessions_processes_and_strangers_are_left_alone(tmp_path, records):
    root = tmp_path / "deploy0"
    ours = started_under(root, "srv/live0/shared/var/uwsgi.pid")
    (records / str(ours.pid)).write_text(str(root))
    # A pidfile whose pid now belongs to a process that does not name the root.
    stranger = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    (root / "sshd_2222.pid").write_text(str(stranger.pid))
    try:
        assert sandbox.sweep_leftovers() == []
        sandbox.stop_processes_under(root)
        assert ours.wait(timeout=10)
        assert stranger.poll() is None
    finally:
        stranger.kill()
        ours.kill()


def test_a_run_killed_with_sigkill_has_its_processes_stopped_at_once(tmp_path, records):
    root = tmp_path / "deploy0"
    uwsgi = started_under(root, "srv/staging0/shared/var/uwsgi.pid")
    # A stand-in for pytest that records its sandbox and starts its reaper, as
    # sandbox_running does, then is killed before it can clean up.
    runner = subprocess.Popen(
        [
            sys.executable, "-c",
            "import os, sys, time; from pathlib import Path;"
            "from tests.deploy.sandbox import reaper_start;"
            "record = Path(sys.argv[1]) / str(os.getpid()); record.write_text(sys.argv[2]);"
            "reaper_start(record, Path(sys.argv[3])); print('ready', flush=True); time.sleep(60)",
            str(records), str(root), str(tmp_path / "reaper.log"),
        ],
        cwd=sandbox.REPO,
        env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)},
        stdout=subprocess.PIPE,
        text=True,
    )  # fmt: skip
    assert runner.stdout.readline() == "ready\n"

    runner.kill()
    runner.wait()

    assert uwsgi.wait(timeout=20) is not None
    # The record goes last, once the databases are dropped too.
    deadline = time.monotonic() + 20
    while (records / str(runner.pid)).exists() and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not (records / str(runner.pid)).exists()
    assert "died without cleaning up" in (tmp_path / "reaper.log").read_text()
