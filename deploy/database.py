"""The instance's PostgreSQL database: backups (pg_dump), restores and copies.

Commands run on the instance's primary host, which reaches the database; passwords come
from that host's ~/.pgpass, never from the instance file.
"""

import shlex
from datetime import UTC, datetime

from deploy.errors import DeployError
from deploy.instances import Instance
from deploy.remote import Remote


def maintenance_url(database_url: str) -> str:
    """The same server, its `postgres` database: for creating and checking databases."""
    return database_url.rsplit("/", 1)[0] + "/postgres"


def exists(remote: Remote, instance: Instance) -> bool:
    # database_name is a checked identifier (instances.database_parse).
    sql = f"SELECT 1 FROM pg_database WHERE datname = '{instance.database_name}'"  # noqa: S608
    query = shlex.quote(sql)
    url = shlex.quote(maintenance_url(instance.database))
    return remote.run(f"psql {url} -tAc {query}").strip() == "1"


def ensure(remote: Remote, instance: Instance) -> bool:
    """Create the database when missing; True when it was created."""
    if exists(remote, instance):
        return False
    url = shlex.quote(maintenance_url(instance.database))
    remote.run(f"psql {url} -c {shlex.quote(f'CREATE DATABASE {instance.database_name}')}")
    return True


def backup_name(instance: Instance, now: datetime) -> str:
    return f"{instance.name}-{now.astimezone(UTC):%Y%m%d-%H%M%S}.dump"


def dump(remote: Remote, instance: Instance, path: str) -> None:
    """pg_dump (custom format) to `path`, through a .tmp file removed when it fails, so a
    half-written dump is never taken for a backup."""
    tmp = shlex.quote(f"{path}.tmp")
    remote.run(
        f"mkdir -p $(dirname {shlex.quote(path)}) && {{ pg_dump -Fc -f {tmp}"
        f" {shlex.quote(instance.database)} || {{ rm -f {tmp}; exit 1; }}; }}"
        f" && mv {tmp} {shlex.quote(path)}"
    )


def backup(remote: Remote, instance: Instance) -> str:
    """A new backup in shared/backups; `prune` decides later which ones go."""
    path = f"{remote.host.backups}/{backup_name(instance, datetime.now(UTC))}"
    dump(remote, instance, path)
    return path


def backups(remote: Remote) -> list[str]:
    """Backup file names, newest first (names sort by time)."""
    directory = shlex.quote(remote.host.backups)
    listing = remote.run(f"ls -1 {directory} 2>/dev/null || true")
    return sorted((name for name in listing.split() if name.endswith(".dump")), reverse=True)


def prune(remote: Remote, instance: Instance, good: list[str]) -> list[str]:
    """Keep the backups of the newest N successful deploys (`good`, newest first) and,
    besides them, only the N newest others: failed attempts never rotate a good one out.
    Leftover .tmp files of a killed pg_dump go too (the caller holds the lock)."""
    protected = {name.rsplit("/", 1)[-1] for name in good[: instance.keep_backups]}
    others = [name for name in backups(remote) if name not in protected]
    removed = others[instance.keep_backups :]
    directory = shlex.quote(remote.host.backups)
    names = " ".join(f"{directory}/{shlex.quote(name)}" for name in removed)
    remote.run(f"rm -f {names} {directory}/*.dump.tmp")
    return removed


# psql runs this in the restoring transaction: writers wait from the LOCK on, so the dump
# kept and the row counts taken (before, and after the restore, before anyone writes
# again) hold exactly what the restore replaces. A failed pg_dump kills psql (its
# parent), which rolls the whole transaction back.
KEEP_AND_RESTORE = """\\set ON_ERROR_STOP 1
BEGIN;
SELECT string_agg(format('public.%I', tablename), ', ') AS tables
  FROM pg_tables WHERE schemaname = 'public' \\gset
LOCK TABLE :tables IN EXCLUSIVE MODE;
\\! {dump} || kill -TERM $PPID
\\pset format unaligned
\\pset tuples_only on
\\pset fieldsep '|'
\\o {counts}
{counts_sql};
\\o
DROP SCHEMA public CASCADE;
CREATE SCHEMA public;
\\i {sql}
\\o {counts_after}
{counts_sql};
\\o
COMMIT;
"""


def restore_keeping(
    remote: Remote, instance: Instance, backup_path: str, kept: str, counts_sql: str
) -> tuple[str, str]:
    """The database exactly as backed up, after dumping the state it replaces into
    `kept`, in one locked transaction; returns `counts_sql`'s output before and after.

    pg_restore --clean only drops what the dump holds, so tables a failed migration added
    would survive it; the schema is dropped and recreated first instead.
    """
    if not remote.exists(backup_path):
        raise DeployError(f"no backup {backup_path} on {remote.name}")
    work = f"{kept}.work"
    database = shlex.quote(instance.database)
    target = shlex.quote(kept)
    dump = f"pg_dump -Fc -f {target}.tmp {database} && mv {target}.tmp {target}"
    script = KEEP_AND_RESTORE.format(
        dump=dump,
        counts=shlex.quote(f"{work}.counts"),
        counts_after=shlex.quote(f"{work}.after"),
        counts_sql=counts_sql,
        sql=shlex.quote(f"{work}.sql"),
    )
    remote.run(f"mkdir -p $(dirname {shlex.quote(kept)})")
    remote.write(f"{work}.psql", script)
    remote.run(
        f"pg_restore --no-owner -f {shlex.quote(work)}.sql {shlex.quote(backup_path)}"
        f" && psql -X -q -f {shlex.quote(work)}.psql {database}"
        f" && test -s {shlex.quote(kept)}"
    )
    before = remote.run(f"cat {shlex.quote(work)}.counts")
    after = remote.run(f"cat {shlex.quote(work)}.after")
    remote.run(f"rm -f {shlex.quote(work)}.*")
    return before, after


def copy(remote: Remote, source: Instance, target: Instance) -> None:
    """Replace target's data with source's (the caller refuses protected targets)."""
    ensure(remote, target)
    remote.run(
        "set -o pipefail; { echo 'DROP SCHEMA public CASCADE; CREATE SCHEMA public;';"
        f" pg_dump --no-owner {shlex.quote(source.database)}; }}"
        f" | psql -X -q -v ON_ERROR_STOP=1 --single-transaction {shlex.quote(target.database)}"
    )


def drop(remote: Remote, instance: Instance) -> None:
    url = shlex.quote(maintenance_url(instance.database))
    sql = f"DROP DATABASE IF EXISTS {instance.database_name} WITH (FORCE)"
    remote.run(f"psql {url} -c {shlex.quote(sql)}")
