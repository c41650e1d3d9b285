"""An instance's Celery worker and beat: run by its uWSGI, restarted after a switch.

uWSGI starts them (attach-daemon2 in uwsgi.ini) and stops them with itself, sending
TERM: Celery's warm shutdown, where running tasks finish before the process exits.
Touching the reload file makes uWSGI do the same to the running worker and start a new
one from whatever release `current` points to; the old one finishes its tasks on the
old release while the new one takes the next. An instance with no CELERY_BROKER_URL
runs its tasks inside the web workers and has no worker process.
"""

import json
import shlex

from deploy.errors import DeployError
from deploy.instances import Host, Instance
from deploy.remote import Remote

# Beat runs once per instance, on its first host, or every task would run once per host.
WORKER = (
    "attach-daemon2 = cmd={current}/bin/celery -A rms worker --loglevel INFO"
    " --concurrency {concurrency} -n {instance}@%h --logfile {shared}/log/celery-worker.log"
    ",stopsignal=15,touch={reload}"
)
BEAT = (
    "attach-daemon2 = cmd={current}/bin/celery -A rms beat --loglevel INFO"
    " --logfile {shared}/log/celery-beat.log --pidfile {shared}/var/celery-beat.pid"
    ",stopsignal=15,touch={reload}"
)
# Read on the host, in the current release with the instance's environment: the workers
# that answer a broadcast (with the release each runs) and the messages waiting. Every
# worker on the same broker answers a broadcast, whichever queue it serves, so only this
# instance's (named "<instance>@host" by WORKER) are kept.
STATUS_READER = """
import json, os, redis
from django.conf import settings
from rms.celery import app
replies = app.control.broadcast("release", reply=True, timeout=2)
broker = redis.Redis.from_url(os.environ["CELERY_BROKER_URL"], socket_connect_timeout=2)
ours = os.environ["RMS_INSTANCE"] + "@"
print(json.dumps({
    "workers": {
        name: reply["release"]
        for answer in replies
        for name, reply in answer.items()
        if name.startswith(ours)
    },
    "queued": broker.llen(settings.CELERY_TASK_DEFAULT_QUEUE),
}))
"""


def has_worker(instance: Instance) -> bool:
    return bool(instance.extra_env.get("CELERY_BROKER_URL"))


def reload_file(host: Host) -> str:
    return f"{host.shared}/var/celery.reload"


def uwsgi_lines(instance: Instance, host: Host) -> str:
    """The uwsgi.ini lines that run this host's worker (and beat on the first host)."""
    if not has_worker(instance):
        return "# No CELERY_BROKER_URL: tasks run in the web workers, no Celery process."
    values = {
        "current": host.current,
        "shared": host.shared,
        "instance": instance.name,
        "concurrency": instance.processes,
        "reload": reload_file(host),
    }
    lines = [WORKER.format(**values)]
    if host == instance.hosts[0]:
        lines.append(BEAT.format(**values))
    return "\n".join(lines)


def restart(remote: Remote, instance: Instance) -> str:
    """Warm restart onto the current release; returns what was done."""
    if not has_worker(instance):
        return "no Celery worker (no CELERY_BROKER_URL)"
    remote.run(f"touch {shlex.quote(reload_file(remote.host))}")
    return "Celery worker told to restart (running tasks finish on the old release)"


def status(remote: Remote, instance: Instance) -> dict:
    """{"workers": {name: release}, "queued": n}; {} when the instance has no worker."""
    if not has_worker(instance):
        return {}
    # releases renders uwsgi.ini through config_files, which imports this module.
    from deploy.releases import ENV

    env = ENV.format(env=shlex.quote(remote.host.env_file))
    command = (
        f"cd {shlex.quote(remote.host.current)} && {env} && "
        f"RMS_INSTANCE={shlex.quote(instance.name)} bin/python -c {shlex.quote(STATUS_READER)}"
    )
    try:
        return json.loads(remote.run(command).splitlines()[-1])
    except (DeployError, ValueError, IndexError) as error:
        return {"error": str(error).splitlines()[0]}
