"""Controlling an instance's uWSGI on a host: its master FIFO, its stats socket."""

import json
import shlex

from deploy.errors import DeployError
from deploy.instances import Instance
from deploy.remote import Remote, wait_until

START_TIMEOUT = 60
CHAIN_TIMEOUT = 180
STOP_TIMEOUT = 30
# The start of a worker's process title; the release id follows (deploy/wsgi.py).
PROCNAME = "rms-worker"
# The release of a worker that has not loaded the app yet (a recycled or new one): it
# names its release in its title once it has (deploy/wsgi.py).
STARTING = "(starting)"

# The stats socket speaks one JSON document on connect; the host's python3 reads it.
STATS_READER = (
    "import socket,sys;s=socket.socket(socket.AF_UNIX);s.connect(sys.argv[1]);"
    "b=b''\nwhile (c:=s.recv(65536)): b+=c\nsys.stdout.write(b.decode())"
)


def is_running(remote: Remote) -> bool:
    pidfile = shlex.quote(remote.host.pidfile)
    return remote.ok(f"test -s {pidfile} && kill -0 $(cat {pidfile})")


def workers(remote: Remote) -> list[dict]:
    """pid, status, requests, RSS (bytes), whether it accepts and the release it runs
    (STARTING while it loads the app), per worker; [] when uWSGI is down."""
    command = f"python3 -c {shlex.quote(STATS_READER)} {shlex.quote(remote.host.stats)}"
    if not is_running(remote):
        return []
    try:
        stats = json.loads(remote.run(command))
    except (DeployError, ValueError):
        return []
    found = [
        {key: worker[key] for key in ("pid", "status", "requests", "accepting")}
        | {"rss": worker.get("rss", 0)}
        for worker in stats["workers"]
    ]
    running = worker_releases(remote, [worker["pid"] for worker in found])
    return [{**worker, "release": running.get(worker["pid"], STARTING)} for worker in found]


def worker_releases(remote: Remote, pids: list[int]) -> dict[int, str]:
    """Each worker names the release it loaded in its process title (deploy/wsgi.py)."""
    if not pids:
        return {}
    listing = remote.run(f"ps -o pid=,args= -p {','.join(map(str, pids))}", check=False)
    found = {}
    for line in listing.splitlines():
        pid, _, args = line.strip().partition(" ")
        if args.startswith(PROCNAME):
            found[int(pid)] = args.removeprefix(PROCNAME).strip()
    return found


def all_accepting(remote: Remote, *, not_pids: set[int] = frozenset()) -> bool:
    current = workers(remote)
    return bool(current) and all(
        worker["accepting"] and worker["pid"] not in not_pids for worker in current
    )


def new_generation_accepting(remote: Remote, old: set[int]) -> bool:
    """Every worker is a new one and accepts; a master that died ends the wait at once
    (waiting the whole timeout on it kept an instance down for minutes)."""
    if not is_running(remote):
        raise DeployError(
            f"{remote.name}: the uWSGI master died; see {remote.host.shared}/log/uwsgi.log"
        )
    return all_accepting(remote, not_pids=old)


def fifo_send(remote: Remote, command: str) -> None:
    remote.run(f"printf {command} > {shlex.quote(remote.host.fifo)}")


def start(remote: Remote) -> None:
    host = remote.host
    remote.run(f"{shlex.quote(host.current)}/bin/uwsgi --ini {shlex.quote(host.ini)}")
    if not wait_until(lambda: all_accepting(remote), timeout=START_TIMEOUT):
        raise DeployError(f"{remote.name}: uWSGI did not start; see {host.shared}/log/uwsgi.log")


def chain_reload(remote: Remote) -> None:
    """Replace workers one at a time (`c`); returns once every worker is a new one.

    TOOLING: another FIFO command sent before the chain finishes leaves a worker behind,
    so this waits for the whole chain, as the stats socket shows it: uWSGI's own "chain
    complete" came while a worker recycled by max-requests was still loading.
    """
    old = {worker["pid"] for worker in workers(remote)}
    fifo_send(remote, "c")
    if not wait_until(lambda: new_generation_accepting(remote, old), timeout=CHAIN_TIMEOUT):
        raise DeployError(f"{remote.name}: the chain reload did not finish in {CHAIN_TIMEOUT}s")


def full_reload(remote: Remote) -> None:
    """Graceful reload of every worker (`r`): for a revert after a chain that never finished."""
    old = {worker["pid"] for worker in workers(remote)}
    fifo_send(remote, "r")
    if not wait_until(lambda: new_generation_accepting(remote, old), timeout=CHAIN_TIMEOUT):
        raise DeployError(f"{remote.name}: uWSGI did not come back after a reload")


def start_or_reload(remote: Remote) -> str:
    if is_running(remote):
        chain_reload(remote)
        return "chain reload"
    start(remote)
    return "start"


def stop(remote: Remote) -> None:
    """Graceful `q` first, then `Q` while it still runs (the talk's loop)."""
    if not is_running(remote):
        return
    fifo_send(remote, "q")
    if wait_until(lambda: not is_running(remote), timeout=STOP_TIMEOUT):
        return
    fifo_send(remote, "Q")
    if not wait_until(lambda: not is_running(remote), timeout=STOP_TIMEOUT):
        raise DeployError(f"{remote.name}: uWSGI did not stop after `q` and `Q`")


def health(remote: Remote, instance: Instance) -> dict:
    """/health/ as the host sees it: the JSON body plus the HTTP status."""
    address = "127.0.0.1" if instance.bind in ("0.0.0.0", "127.0.0.1") else instance.bind  # noqa: S104
    url = f"http://{address}:{remote.host.port}/health/"
    output = remote.run(f"curl -sS -m 10 -w '\\n%{{http_code}}' {url}", check=False)
    body, _, status = output.rpartition("\n")
    try:
        report = json.loads(body)
    except ValueError:
        report = {"status": "error", "body": body[:200]}
    return {**report, "http_status": int(status) if status.isdigit() else 0}
