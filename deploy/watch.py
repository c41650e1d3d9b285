"""The post-deploy watch: after the health check, the new release stays on probation.

For the instance's `watch_seconds`, every host's /health/ must keep answering ok with the
new release, and the share of 5xx answers in its uWSGI request log must stay low. A
degradation raises, and the deploy reverts like after any failed step.
"""

import shlex
import time

from deploy import uwsgi
from deploy.errors import DeployError
from deploy.instances import Instance
from deploy.progress import say
from deploy.remote import Remote, wait_until

INTERVAL = 3
# One bad answer can be a worker being recycled; two in a row are not.
UNHEALTHY_IN_A_ROW = 2
# A handful of 500s among few requests is a test client, not a broken release.
MIN_REQUESTS = 20
MAX_ERROR_RATE = 0.05
# uWSGI's request lines: "... => generated 91 bytes in 3 msecs (HTTP/1.1 200) ...".
COUNT_ANSWERS = (
    r"awk '/=> generated/ {n++} /\(HTTP\/[0-9.]+ 5[0-9][0-9]\)/ {e++} END {print n+0, e+0}'"
)


def health_summary(report: dict) -> str:
    keys = ("http_status", "status", "release", "database", "migrations_pending", "body")
    return ", ".join(f"{key}={report[key]}" for key in keys if key in report)


def health_expect(remote: Remote, instance: Instance, release: str) -> None:
    """/health/ must say ok and the expected release, for as many answers as workers."""
    last: dict = {}

    def healthy() -> bool:
        nonlocal last
        last = uwsgi.health(remote, instance)
        return last.get("status") == "ok" and last.get("release") == release

    # After a finished chain reload every worker runs the new release: a wrong answer
    # `health_seconds` after it is not a slow start.
    if not wait_until(healthy, timeout=instance.health_seconds):
        raise DeployError(f"/health/ expected release {release}, got {health_summary(last)}")
    for _ in range(instance.processes * 2):
        if not healthy():
            raise DeployError(f"/health/ flapped: {health_summary(last)}")


def log_path(remote: Remote) -> str:
    return f"{remote.host.shared}/log/uwsgi.log"


def log_size(remote: Remote) -> int:
    size = remote.run(f"stat -c %s {shlex.quote(log_path(remote))} 2>/dev/null || echo 0")
    return int(size.strip() or 0)


def answers_since(remote: Remote, offset: int) -> tuple[int, int]:
    """(answers, 5xx answers) logged after byte `offset` of the uWSGI log."""
    text = remote.run(f"tail -c +{offset + 1} {shlex.quote(log_path(remote))} | {COUNT_ANSWERS}")
    total, errors = text.split()
    return int(total), int(errors)


def watch(remotes: list[Remote], instance: Instance, release: str) -> None:
    offsets = {remote.name: log_size(remote) for remote in remotes}
    bad = dict.fromkeys(offsets, 0)
    deadline = time.monotonic() + instance.watch_seconds
    while time.monotonic() < deadline:
        for remote in remotes:
            report = uwsgi.health(remote, instance)
            healthy = report.get("status") == "ok" and report.get("release") == release
            bad[remote.name] = 0 if healthy else bad[remote.name] + 1
            if bad[remote.name] >= UNHEALTHY_IN_A_ROW:
                raise DeployError(f"/health/ degraded after the deploy: {health_summary(report)}")
            total, errors = answers_since(remote, offsets[remote.name])
            if total >= MIN_REQUESTS and errors / total > MAX_ERROR_RATE:
                raise DeployError(f"{errors} of {total} answers were 5xx after the deploy")
        time.sleep(INTERVAL)
    say(f"    {release} stayed healthy for {instance.watch_seconds} s")
