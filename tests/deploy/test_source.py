import subprocess
from pathlib import Path

import pytest

from deploy.errors import DeployError
from deploy.source import (
    migration_problems,
    migrations_check,
    mirror_update,
    ref_resolve,
    tag_push,
)

APP = "recruitment/migrations"


def test_linear_migrations_pass():
    files = [f"{APP}/__init__.py", f"{APP}/0001_initial.py", f"{APP}/0002_groups.py"]

    assert migration_problems(files, {APP: "0002_groups"}) == []


def test_two_leaves_with_one_number_are_reported():
    files = [f"{APP}/0001_initial.py", f"{APP}/0002_a.py", f"{APP}/0002_b.py"]

    assert migration_problems(files, {APP: "0002_b"}) == [f"{APP}: two migrations share a number"]


def test_stale_or_missing_max_migration_is_reported():
    files = [f"{APP}/0001_initial.py", f"{APP}/0002_groups.py", "other/migrations/0001_x.py"]

    assert migration_problems(files, {APP: "0001_initial"}) == [
        "other/migrations: no max_migration.txt",
        f"{APP}: max_migration.txt names 0001_initial, not 0002_groups",
    ]


def git(cwd: Path, *args: str) -> str:
    command = ["git", "-c", "user.name=T", "-c", "user.email=t@localhost", *args]
    return subprocess.run(command, cwd=cwd, check=True, capture_output=True, text=True).stdout


@pytest.fixture
def origin(tmp_path, monkeypatch) -> str:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    work = tmp_path / "work"
    (work / APP).mkdir(parents=True)
    (work / APP / "0001_initial.py").write_text("")
    (work / APP / "max_migration.txt").write_text("0001_initial\n")
    git(work, "init", "-q", "-b", "main")
    git(work, "add", "-A")
    git(work, "commit", "-q", "-m", "initial")
    return str(work)


def test_refs_resolve_through_a_local_mirror(origin):
    mirror = mirror_update(origin)
    sha = ref_resolve(mirror, "main")

    assert sha == git(Path(origin), "rev-parse", "HEAD").strip()
    migrations_check(mirror, sha)
    with pytest.raises(DeployError, match="unknown ref 'nope' in the origin"):
        ref_resolve(mirror, "nope")


def test_new_commits_reach_the_mirror_and_forks_are_refused(origin):
    mirror_update(origin)
    (Path(origin) / APP / "0002_b.py").write_text("")
    git(Path(origin), "add", "-A")
    git(Path(origin), "commit", "-q", "-m", "unrecorded migration")

    mirror = mirror_update(origin)

    with pytest.raises(DeployError, match="names 0001_initial, not 0002_b"):
        migrations_check(mirror, ref_resolve(mirror, "main"))


def test_a_tag_reaches_the_origin(origin):
    mirror = mirror_update(origin)
    sha = ref_resolve(mirror, "main")

    tag_push(origin, sha, "live-20261127-100000-0123abcd", "deployed by ada@ci\nforced: hotfix")

    assert git(Path(origin), "rev-parse", "live-20261127-100000-0123abcd^{commit}").strip() == sha
    message = git(
        Path(origin), "tag", "-l", "--format=%(contents)", "live-20261127-100000-0123abcd"
    )
    assert message.strip().splitlines() == ["deployed by ada@ci", "forced: hotfix"]
