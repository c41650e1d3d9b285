"""PR-testing instances: one per tester, on a feature branch, with a copy of staging's data.

Their definitions live in the registry file beside the instance file ([pr] registry),
written here and read by instances_load like the hand-written ones.
"""

import re
import shlex
import shutil
from pathlib import Path

from fabric import Config

from deploy import database, uwsgi
from deploy.errors import DeployError
from deploy.instances import (
    TESTER_RE,
    Instance,
    config_load,
    instance_get,
    instances_file,
    instances_load,
    registry_file,
    toml_value,
)
from deploy.pipeline import deploy
from deploy.progress import say, step
from deploy.remote import connected


def pr_table(config: dict, tester: str, branch: str, port: int) -> dict:
    pr = config.get("pr")
    if not pr:
        raise DeployError("the instance file has no [pr] section: PR instances are not set up")
    return {
        "hosts": pr["hosts"],
        "base": pr["base"].format(tester=tester),
        "port": port,
        "database": pr["database"].format(tester=tester),
        "ref": branch,
        "data": "copy",
        "copy_from": pr.get("copy_from", "staging"),
        **{key: pr[key] for key in ("processes", "https", "server_names") if key in pr},
    }


def free_port(config: dict, instances: dict[str, Instance]) -> int:
    first, last = config["pr"]["ports"]
    used = {host.port for instance in instances.values() for host in instance.hosts}
    for port in range(first, last + 1):
        if port not in used:
            return port
    raise DeployError(f"no free port left in the PR range {first}-{last}")


def registry_write(path: Path, tables: dict[str, dict]) -> None:
    lines = ["# PR instances, written by `fab create-pr-instance`; do not edit by hand.", ""]
    for name, table in sorted(tables.items()):
        lines.append(f'[instances."{name}"]')
        lines.extend(f"{key} = {toml_value(value)}" for key, value in table.items())
        lines.append("")
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text("\n".join(lines))
    shutil.move(tmp, path)


def registry_tables(path: Path) -> dict[str, dict]:
    return dict(config_load(path).get("instances", {})) if path.exists() else {}


def create(tester: str, branch: str, *, config: Config | None = None) -> Instance:
    """Allocate a port and a database; the first deploy copies staging's data."""
    if not TESTER_RE.match(tester):
        raise DeployError(f"tester name {tester!r}: lower-case letters and digits only")
    path = instances_file()
    file_config = config_load(path)
    instances = instances_load(path)
    name = f"pr-{tester}"
    if name in instances:
        raise DeployError(f"{name} exists already; deploy it with `fab deploy {name} --ref BRANCH`")
    table = pr_table(file_config, tester, branch, free_port(file_config, instances))
    registry = registry_file(path, file_config)
    registry_write(registry, {**registry_tables(registry), name: table})
    instance = instance_get(name, path)
    try:
        deploy(instance, config=config)
    except DeployError:
        destroy(name, config=config)
        raise
    say(f"{name}: port {instance.primary.port}, database {instance.database_name}")
    return instance


def tester_name(login: str) -> str:
    """A PR author's login as a tester name: 'Tess-K' is 'tessk'."""
    return re.sub(r"[^a-z0-9]", "", login.lower())[:31]


def deploy_pr(login: str, branch: str, *, config: Config | None = None) -> Instance:
    """The PR author's instance on the branch: made on the author's first PR."""
    tester = tester_name(login)
    if f"pr-{tester}" not in instances_load():
        return create(tester, branch, config=config)
    instance = instance_get(f"pr-{tester}")
    deploy(instance, ref=branch, config=config)
    return instance


def destroy(name: str, *, config: Config | None = None) -> None:
    """Stop its uWSGI, remove its tree and database, forget it. PR instances only."""
    path = instances_file()
    registry = registry_file(path, config_load(path))
    tables = registry_tables(registry)
    if name not in tables:
        raise DeployError(f"{name!r} is not a PR instance (only those can be destroyed)")
    instance = instance_get(name, path)
    with connected(instance.hosts, config) as remotes:
        for remote in remotes:
            with step("stop", remote.name):
                uwsgi.stop(remote)
            with step("remove tree", remote.name):
                remote.run(f"rm -rf {shlex.quote(remote.host.base)}")
        with step("drop database", remotes[0].name):
            database.drop(remotes[0], instance)
    del tables[name]
    registry_write(registry, tables)


def copy_db(source_name: str, target_name: str, *, config: Config | None = None) -> None:
    source, target = instance_get(source_name), instance_get(target_name)
    if target.protected or target.data == "real":
        raise DeployError(f"refusing to copy a database over {target.name}: it holds real data")
    label = f"copy database {source.name} -> {target.name}"
    with connected(target.hosts[:1], config) as (remote,), step(label, remote.name):
        database.copy(remote, source, target)
