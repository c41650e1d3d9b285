"""A test run killed with SIGKILL cannot stop what it started: the next run does."""

import subprocess
import sys

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
