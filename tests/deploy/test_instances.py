from datetime import UTC, datetime
from pathlib import Path

import pytest

from deploy.errors import DeployError
from deploy.instances import days_parse, instance_get, instances_load, window_parse

INSTANCE_FILE = """
[defaults]
origin = "/srv/git/rms.git"
processes = 3

[instances.live]
hosts = ["rms@app1:22", {ssh = "rms@app2:2222", port = 9001}]
base = "/srv/rms/live"
port = 8001
database = "postgres://rms@db/rms_live"
data = "real"
window = {days = "Mon-Fri", start = "09:00", end = "16:00"}

[instances.staging]
hosts = ["rms@test"]
base = "/srv/rms/staging"
port = 8002
processes = 1
database = "postgres://rms@db/rms_staging"
"""


@pytest.fixture
def instance_file(tmp_path: Path) -> Path:
    path = tmp_path / "instances.toml"
    path.write_text(INSTANCE_FILE)
    return path


def test_instances_take_defaults_and_per_host_overrides(instance_file):
    live = instance_get("live", instance_file)

    assert [(h.ssh, h.base, h.port) for h in live.hosts] == [
        ("rms@app1:22", "/srv/rms/live", 8001),
        ("rms@app2:2222", "/srv/rms/live", 9001),
    ]
    assert live.processes == 3
    assert live.protected and live.data == "real"
    assert live.primary.current == "/srv/rms/live/current"
    assert instance_get("staging", instance_file).processes == 1


def test_unknown_instance_names_the_known_ones(instance_file):
    with pytest.raises(DeployError, match=r"unknown instance 'prod' \(known: live, staging\)"):
        instance_get("prod", instance_file)


@pytest.mark.parametrize(
    ("table_line", "message"),
    [
        ('data = "invented"', "data must be one of"),
        ('database = "postgres://rms@db/rms-staging; DROP"', "must end in a name"),
        ('base = "/"', "must be an absolute path below a directory"),
        ('hosts = ["no-user-here"]', "is not user@host"),
    ],
)
def test_bad_definitions_are_one_clear_error(tmp_path, table_line, message):
    key = table_line.split(" = ")[0]
    table = "\n".join(
        line
        for line in INSTANCE_FILE.split("[instances.staging]")[1].splitlines()
        if not line.startswith(f"{key} =")
    )
    path = tmp_path / "instances.toml"
    path.write_text(f'[instances.staging]\norigin = "/git"\n{table_line}\n{table}')

    with pytest.raises(DeployError, match=message):
        instances_load(path)


def test_missing_file_is_named(tmp_path):
    with pytest.raises(DeployError, match="does not exist"):
        instances_load(tmp_path / "nope.toml")


def test_days_accept_ranges_and_lists():
    assert days_parse("Mon-Fri") == {0, 1, 2, 3, 4}
    assert days_parse("Mon,Wed-Thu,Sun") == {0, 2, 3, 6}
    with pytest.raises(ValueError, match=r"use Mon\.\.Sun"):
        days_parse("Monday")


@pytest.mark.parametrize(
    ("utc", "is_open"),
    [
        ("2026-11-27T08:00", True),  # Friday 09:00 in Warsaw (UTC+1): the window opens
        ("2026-11-27T14:59", True),
        ("2026-11-27T15:00", False),  # 16:00 in Warsaw: closed
        ("2026-11-28T10:00", False),  # Saturday
        ("2026-06-05T06:30", False),  # Friday 08:30 in summer time (UTC+2)
        ("2026-06-05T07:00", True),
    ],
)
def test_window_is_office_hours_in_its_zone(utc, is_open):
    window = window_parse({})

    assert window.is_open(datetime.fromisoformat(utc).replace(tzinfo=UTC)) is is_open
    assert window.describe() == "Mon,Tue,Wed,Thu,Fri 09:00-16:00 Europe/Warsaw"


def test_shipped_instance_file_loads():
    instances = instances_load(Path(__file__).resolve().parents[2] / "deploy" / "instances.toml")

    assert {"live", "staging", "testing"} <= set(instances)
    assert instances["live"].protected
    assert not instances["staging"].protected
