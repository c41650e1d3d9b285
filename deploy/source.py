"""The code being deployed: refs and migrations read from a local mirror of the origin.

Preflight reads everything here, on the deploying machine, so a bad ref or a forked
migration history is refused before any server is touched.
"""

import hashlib
import os
import re
import subprocess
from pathlib import Path, PurePosixPath

from deploy.errors import DeployError

MIGRATION_RE = re.compile(r"^(?P<number>\d{4})_\w+\.py$")


def git(*args: str, cwd: Path | None = None) -> str:
    # git from PATH, as on any deploying machine; arguments are a list, never a shell.
    result = subprocess.run(  # noqa: S603
        ["git", *args],  # noqa: S607
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode:
        lines = (result.stderr.strip() or result.stdout.strip()).splitlines()
        raise DeployError(f"git {args[0]}: {lines[-1] if lines else 'failed'}")
    return result.stdout


def mirror_dir(origin: str) -> Path:
    cache = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "rms-deploy"
    return cache / (hashlib.sha256(origin.encode()).hexdigest()[:16] + ".git")


def mirror_update(origin: str) -> Path:
    mirror = mirror_dir(origin)
    if mirror.exists():
        git("fetch", "--prune", "--tags", "--force", "origin", cwd=mirror)
    else:
        mirror.parent.mkdir(parents=True, exist_ok=True)
        git("clone", "--mirror", "--quiet", origin, str(mirror))
    return mirror


def ref_resolve(mirror: Path, ref: str) -> str:
    try:
        return git("rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}", cwd=mirror).strip()
    except DeployError:
        raise DeployError(f"unknown ref {ref!r} in the origin") from None


def migration_problems(files: list[str], max_migrations: dict[str, str]) -> list[str]:
    """Apps whose migrations are not one line ending at max_migration.txt.

    django-linear-migrations makes two branches that each add a migration conflict in
    git; this catches a tree where that protection was bypassed or not kept up.
    """
    numbers: dict[str, list[tuple[str, str]]] = {}
    for name in files:
        path = PurePosixPath(name)
        match = MIGRATION_RE.match(path.name)
        if path.parent.name == "migrations" and match:
            numbers.setdefault(str(path.parent), []).append((match["number"], path.stem))
    problems = []
    for directory, migrations in sorted(numbers.items()):
        migrations.sort()
        seen = [number for number, _ in migrations]
        if len(set(seen)) != len(seen):
            problems.append(f"{directory}: two migrations share a number")
        recorded = max_migrations.get(directory)
        if recorded is None:
            problems.append(f"{directory}: no max_migration.txt")
        elif recorded != migrations[-1][1]:
            problems.append(
                f"{directory}: max_migration.txt names {recorded}, not {migrations[-1][1]}"
            )
    return problems


def migrations_check(mirror: Path, sha: str) -> None:
    files = git("ls-tree", "-r", "--name-only", sha, cwd=mirror).splitlines()
    max_migrations = {
        str(PurePosixPath(name).parent): git("show", f"{sha}:{name}", cwd=mirror).strip()
        for name in files
        if name.endswith("/migrations/max_migration.txt")
    }
    problems = migration_problems(files, max_migrations)
    if problems:
        raise DeployError(f"migrations are not linear at {sha[:10]}: {'; '.join(problems)}")


def tag_push(origin: str, sha: str, tag: str, message: str) -> None:
    mirror = mirror_dir(origin)
    # An annotated tag needs an author; the message names the person who deployed.
    identity = ["-c", "user.name=rms-deploy", "-c", "user.email=rms-deploy@localhost"]
    git(*identity, "tag", "-a", "-m", message, tag, sha, cwd=mirror)
    # To the URL, not the mirror's remote: a --mirror remote refuses single refspecs.
    git("push", "--quiet", origin, f"refs/tags/{tag}", cwd=mirror)


def branches(origin: str) -> list[str]:
    """The origin's branches, by name: what a PR instance may be made from."""
    mirror = mirror_update(origin)
    return git("for-each-ref", "--format=%(refname:short)", "refs/heads", cwd=mirror).split()


def commits_between(origin: str, older: str, newer: str) -> list[dict]:
    """The commits in `newer` and not in `older` (commits, refs or releases' short
    shas), newest first: what a deploy from one to the other changed."""
    mirror = mirror_update(origin)
    first, second = ref_resolve(mirror, older), ref_resolve(mirror, newer)
    text = git("log", "--format=%h%x1f%an%x1f%aI%x1f%s", f"{first}..{second}", cwd=mirror)
    keys = ("sha", "author", "date", "subject")
    return [dict(zip(keys, line.split("\x1f"), strict=True)) for line in text.splitlines()]
