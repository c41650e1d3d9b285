"""The deploy log: one JSON line per deploy, rollback or restore, on the primary host."""

import json
import shlex
from datetime import UTC, datetime

from deploy.remote import Remote


def record(remote: Remote, **entry: object) -> dict:
    line = {"at": datetime.now(UTC).isoformat(timespec="seconds"), **entry}
    text = shlex.quote(json.dumps(line, sort_keys=True))
    remote.run(f"echo {text} >> {shlex.quote(remote.host.deploy_log)}")
    return line


def entries(remote: Remote) -> list[dict]:
    """Oldest first; a line that is not JSON (a hand edit) is skipped, not fatal."""
    text = remote.run(f"cat {shlex.quote(remote.host.deploy_log)} 2>/dev/null || true")
    parsed = []
    for line in text.splitlines():
        try:
            parsed.append(json.loads(line))
        except ValueError:
            continue
    return parsed


def last_deploy_of(remote: Remote, release: str) -> dict:
    matching = [e for e in entries(remote) if e.get("release") == release and e.get("ok")]
    return matching[-1] if matching else {}


def served(log: list[dict]) -> list[str]:
    """Releases that passed a deploy's or a rollback's checks, oldest first: the only ones
    a rollback may go back to (a failed or interrupted attempt's release never served)."""
    return [
        entry["release"]
        for entry in log
        if entry.get("ok") and entry.get("action") in ("deploy", "rollback") and entry["release"]
    ]


def good_backups(log: list[dict]) -> list[str]:
    """Backups taken by successful deploys, newest first."""
    return [
        entry["backup"]
        for entry in reversed(log)
        if entry.get("ok") and entry.get("action") == "deploy" and entry.get("backup")
    ]
