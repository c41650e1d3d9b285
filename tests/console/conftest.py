"""An instance file of this test's own: hosts nobody listens on (nothing here may reach a
server; the end-to-end console tests in tests/deploy use the real sandbox)."""

import pytest
from django.contrib.auth.models import Group

from recruitment.factories import UserFactory

# Port 1 on loopback: a connection is refused at once.
NOWHERE = "root@127.0.0.1:1"


def instances_toml(tmp_path, extra: str = "") -> str:
    return f"""
[defaults]
origin = "{tmp_path}/no-origin.git"
hosts = ["{NOWHERE}"]

[instances.staging]
base = "/srv/rms/staging"
port = 8101
database = "postgres:///rms_staging"

[instances.live]
base = "/srv/rms/live"
port = 8100
database = "postgres:///rms_live"
data = "real"
# Never open: from 09:00 to 09:00.
window = {{ days = "Mon-Sun", start = "09:00", end = "09:00" }}

[instances.pr-tess]
base = "/srv/rms/pr-tess"
port = 8201
database = "postgres:///rms_pr_tess"
data = "copy"

[instances.pr-other]
base = "/srv/rms/pr-other"
port = 8202
database = "postgres:///rms_pr_other"
data = "copy"
{extra}
[pr]
hosts = ["{NOWHERE}"]
base = "/srv/rms/pr-{{tester}}"
database = "postgres:///rms_pr_{{tester}}"
ports = [8200, 8299]
registry = "{tmp_path}/pr-instances.toml"
"""


@pytest.fixture(autouse=True)
def instances(tmp_path, monkeypatch):
    path = tmp_path / "instances.toml"
    path.write_text(instances_toml(tmp_path))
    monkeypatch.setenv("RMS_INSTANCES", str(path))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    return path


def member(username: str, *groups: str, **fields):
    user = UserFactory(username=username, **fields)
    for name in groups:
        user.groups.add(Group.objects.get_or_create(name=name)[0])
    return user


@pytest.fixture
def tester(db):
    return member("tess", "testers", first_name="Teresa", last_name="Łęcka")


@pytest.fixture
def developer(db):
    return member("dawid", "developers", first_name="Dawid", last_name="Śliwa")


@pytest.fixture
def live_deployer(db):
    return member("zofia", "live-deployers", first_name="Zofia", last_name="Żak")
