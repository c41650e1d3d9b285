import tomllib

import pytest

from deploy.errors import DeployError
from deploy.instances import instance_get, instances_load
from deploy.pr_instances import free_port, pr_table, registry_tables, registry_write

CONFIG = """
[instances.staging]
hosts = ["rms@test"]
base = "/srv/rms/staging"
port = 8100
origin = "/git"
database = "postgres://rms@db/rms_staging"

[pr]
hosts = ["rms@test"]
base = "/srv/rms/pr-{tester}"
database = "postgres://rms@db/rms_pr_{tester}"
ports = [8100, 8102]
registry = "registry/pr.toml"
origin = "/git"
"""


@pytest.fixture
def instance_file(tmp_path, monkeypatch):
    path = tmp_path / "instances.toml"
    path.write_text(CONFIG)
    monkeypatch.setenv("RMS_INSTANCES", str(path))
    return path


def test_a_registered_pr_instance_loads_like_the_others(instance_file):
    config = tomllib.loads(CONFIG)
    port = free_port(config, instances_load(instance_file))
    table = {**pr_table(config, "tess", "feature/x", port), "origin": "/git"}
    registry = instance_file.parent / "registry" / "pr.toml"

    registry_write(registry, {**registry_tables(registry), "pr-tess": table})
    pr = instance_get("pr-tess", instance_file)

    assert port == 8101  # 8100 is staging's
    assert pr.primary.base == "/srv/rms/pr-tess"
    assert pr.database_name == "rms_pr_tess"
    assert (pr.ref, pr.data, pr.copy_from) == ("feature/x", "copy", "staging")


def test_ports_run_out_with_a_clear_message(instance_file):
    config = tomllib.loads(CONFIG)
    config["pr"]["ports"] = [8100, 8100]

    with pytest.raises(DeployError, match="no free port left in the PR range 8100-8100"):
        free_port(config, instances_load(instance_file))
