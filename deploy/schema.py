"""What a deploy did to the schema, and how a revert undoes it.

"Did the schema change" is read from django_migrations before and after `migrate`, never
guessed from a command's exit status. A revert reverses exactly the migrations the
deploy applied (`migrate <app> <leaf before>`); a backup is restored only when one of
them cannot be reversed, and then the state just before the restore is dumped first and
the rows written since the backup are counted, so nothing is lost silently.
"""

import shlex
from dataclasses import dataclass, field
from datetime import UTC, datetime

from deploy import database, releases
from deploy.errors import DeployError
from deploy.instances import Instance
from deploy.progress import say
from deploy.remote import Remote

# Exact row counts of every table in one statement (query_to_xml runs the count per table).
COUNTS_SQL = (
    "SELECT table_name, (xpath('/row/c/text()', query_to_xml("
    "format('SELECT count(*) AS c FROM public.%I', table_name), false, true, '')))[1]::text"
    " FROM information_schema.tables"
    " WHERE table_schema = 'public' AND table_type = 'BASE TABLE'"
)


@dataclass
class Migrated:
    """Migrations in the order they were applied: before the deploy, and by it."""

    before: list[str] = field(default_factory=list)
    applied: list[str] = field(default_factory=list)

    def targets(self) -> list[tuple[str, str]]:
        """(app, migration to go back to) for each app the deploy migrated, the app
        migrated last first: reversing it may unapply what depends on earlier ones."""
        leaves = {}
        for key in self.before:
            app, name = key.split(".", 1)
            leaves[app] = max(leaves.get(app, name), name)
        apps: list[str] = []
        for key in reversed(self.applied):
            app = key.split(".", 1)[0]
            if app not in apps:
                apps.append(app)
        return [(app, leaves.get(app, "zero")) for app in apps]


def psql_lines(remote: Remote, instance: Instance, sql: str) -> list[list[str]]:
    url = shlex.quote(instance.database)
    output = remote.run(f"psql -X {url} -tA -F '|' -c {shlex.quote(sql)}")
    return [line.split("|") for line in output.splitlines() if line]


def applied(remote: Remote, instance: Instance) -> list[str]:
    """'app.name' of every applied migration, in the order applied; [] on a new database."""
    exists = psql_lines(remote, instance, "SELECT to_regclass('public.django_migrations')")
    if not exists or not exists[0][0]:
        return []
    rows = psql_lines(remote, instance, "SELECT app, name FROM django_migrations ORDER BY id")
    return [f"{app}.{name}" for app, name in rows]


def reverse(remote: Remote, instance: Instance, release: str, migrated: Migrated) -> None:
    """Back to the migrations applied before the deploy, with the release that knows them."""
    for app, target in migrated.targets():
        releases.django(remote, release, f"migrate {app} {target} --no-input --skip-checks")
    left = set(applied(remote, instance)) - set(migrated.before)
    if left:
        raise DeployError(f"still applied after reversing: {', '.join(sorted(left))}")


def row_counts(text: str) -> dict[str, int]:
    rows = (line.split("|") for line in text.splitlines() if "|" in line)
    return {table: int(count) for table, count in rows}


def restore_with_report(remote: Remote, instance: Instance, backup: str) -> dict:
    """Restore `backup` after dumping the state it replaces; returns what was lost. Every
    restore goes through here: a revert's last resort, `fab rollback --restore-db` and
    `fab restore` alike, so none drops the writes since the backup without a copy."""
    stamp = f"{datetime.now(UTC):%Y%m%d-%H%M%S}"
    kept = f"{remote.host.backups}/pre-restore/{instance.name}-{stamp}.dump"
    before, after = (
        row_counts(text)
        for text in database.restore_keeping(remote, instance, backup, kept, COUNTS_SQL)
    )
    lost = {
        table: count - after.get(table, 0)
        for table, count in sorted(before.items())
        if count > after.get(table, 0)
    }
    report = {"pre_restore_dump": kept, "rows_lost": sum(lost.values()), "tables": lost}
    say(
        f"!!! database restored from {backup}: {report['rows_lost']} rows written since the"
        f" backup are not in it; they are kept in {kept}"
        + (f" ({', '.join(f'{t}: {n}' for t, n in lost.items())})" if lost else "")
    )
    return report
