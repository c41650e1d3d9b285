"""The per-instance files rendered from deploy/templates: uwsgi.ini and the env file."""

import re
import secrets
from pathlib import Path
from string import Template

from deploy import worker
from deploy.errors import DeployError
from deploy.instances import Host, Instance

TEMPLATES = Path(__file__).resolve().parent / "templates"
# The env file is read by uWSGI workers and by `set -a; .` in a shell alike: only values
# both read the same way, without quoting, are allowed.
SAFE_VALUE = re.compile(r"^[A-Za-z0-9_./:@,+%=~-]*$")


def uwsgi_ini(instance: Instance, host: Host) -> str:
    socket_line = f"socket = {instance.socket}" if instance.socket else ""
    return Template((TEMPLATES / "uwsgi.ini").read_text()).substitute(
        instance=instance.name,
        processes=instance.processes,
        current=host.current,
        shared=host.shared,
        env_file=host.env_file,
        fifo=host.fifo,
        stats=host.stats,
        pidfile=host.pidfile,
        bind=instance.bind,
        port=host.port,
        socket_line=socket_line,
        harakiri=instance.harakiri,
        max_requests=instance.max_requests,
        max_requests_delta=max_requests_delta(instance),
        celery_lines=worker.uwsgi_lines(instance, host),
    )


def max_requests_delta(instance: Instance) -> int:
    """Spread the workers' recycles over a quarter of max-requests: evenly loaded workers
    then recycle in turn, and meet again only after many recycles."""
    return max(1, instance.max_requests // (4 * instance.processes))


def site_url(instance: Instance, host: Host) -> str:
    """Where people reach the instance, for links in mails sent without a request (the
    nightly retention job's); an instance's own `env` may name another."""
    if not instance.server_names:
        return f"http://127.0.0.1:{host.port}"
    return f"{'https' if instance.https else 'http'}://{instance.server_names[0]}"


def env_file(instance: Instance, host: Host, *, secret_key: str) -> str:
    # The health check and the deploy tools call the instance on loopback.
    allowed = [*instance.server_names, "127.0.0.1", "localhost"]
    extra = {"RMS_SITE_URL": site_url(instance, host), **instance.extra_env}
    values = {
        "secret_key": secret_key,
        "database": instance.database,
        "allowed_hosts": ",".join(allowed),
        "https": "1" if instance.https else "0",
        "extra": "\n".join(f"{k}={v}" for k, v in sorted(extra.items())),
    }
    for key, value in [*values.items(), *extra.items()]:
        if key != "extra" and not SAFE_VALUE.match(value):
            raise DeployError(
                f"instance {instance.name!r}: {key} has characters an env file cannot hold"
            )
    text = Template((TEMPLATES / "env").read_text()).substitute(
        instance=instance.name, shared=host.shared, **values
    )
    return text.rstrip("\n") + "\n"


def secret_key_from(env_text: str) -> str:
    """The SECRET_KEY an existing env file holds, or a new one for a first deploy."""
    for line in env_text.splitlines():
        key, _, value = line.partition("=")
        if key == "SECRET_KEY" and value:
            return value
    return secrets.token_urlsafe(50)
