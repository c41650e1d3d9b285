"""The instance definition file: which instances exist, where they run, what they hold.

One TOML file (deploy/instances.toml, or the path in $RMS_INSTANCES) lists the fixed
instances; PR instances made by `fab create-pr-instance` live in a registry file beside
it, so the hand-written file is never rewritten by a program.
"""

import json
import os
import re
import tomllib
from dataclasses import dataclass, field
from datetime import datetime, time
from pathlib import Path
from zoneinfo import ZoneInfo

from deploy.errors import DeployError

DEFAULT_FILE = Path(__file__).resolve().parent / "instances.toml"
DAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
DATA_POLICIES = {"real", "fake", "copy"}
HOST_RE = re.compile(r"^(?P<user>[\w.-]+)@(?P<host>[\w.-]+)(:(?P<port>\d+))?$")
DATABASE_NAME_RE = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")
TESTER_RE = re.compile(r"^[a-z][a-z0-9]{0,30}$")


@dataclass(frozen=True)
class Window:
    """When a protected instance may be deployed: an admin is in the office."""

    days: frozenset[int]
    start: time
    end: time
    tz: ZoneInfo

    def is_open(self, now: datetime) -> bool:
        local = now.astimezone(self.tz)
        return local.weekday() in self.days and self.start <= local.time() < self.end

    def describe(self) -> str:
        days = ",".join(DAYS[day] for day in sorted(self.days))
        return f"{days} {self.start:%H:%M}-{self.end:%H:%M} {self.tz.key}"


@dataclass(frozen=True)
class Host:
    """One app host of an instance; base and port may differ per host (e.g. two on one box)."""

    ssh: str
    base: str
    port: int

    # The layout of an instance on a host: releases/<id>, a `current` symlink, and the
    # state every release shares (env file, uploads, logs, backups, uWSGI control files).
    @property
    def shared(self) -> str:
        return f"{self.base}/shared"

    @property
    def releases(self) -> str:
        return f"{self.base}/releases"

    @property
    def current(self) -> str:
        return f"{self.base}/current"

    @property
    def mirror(self) -> str:
        return f"{self.base}/repo.git"

    @property
    def lock(self) -> str:
        return f"{self.base}/deploy.lock"

    @property
    def step_pgid(self) -> str:
        return f"{self.base}/deploy.step.pgid"

    @property
    def deploy_log(self) -> str:
        return f"{self.base}/deploy.log"

    @property
    def env_file(self) -> str:
        return f"{self.shared}/env"

    @property
    def ini(self) -> str:
        return f"{self.shared}/uwsgi.ini"

    @property
    def fifo(self) -> str:
        return f"{self.shared}/var/uwsgi.fifo"

    @property
    def stats(self) -> str:
        return f"{self.shared}/var/uwsgi-stats.sock"

    @property
    def pidfile(self) -> str:
        return f"{self.shared}/var/uwsgi.pid"

    @property
    def backups(self) -> str:
        return f"{self.shared}/backups"


@dataclass(frozen=True)
class Instance:
    name: str
    hosts: tuple[Host, ...]
    origin: str
    ref: str
    database: str
    data: str
    processes: int = 2
    harakiri: int = 30
    max_requests: int = 1000
    bind: str = "127.0.0.1"
    socket: str = ""
    server_names: tuple[str, ...] = ()
    https: bool = True
    keep_releases: int = 5
    keep_backups: int = 10
    # After the health check: how long /health/ and the error rate are watched, a
    # degradation reverting the deploy; 0 turns the watch off.
    watch_seconds: int = 120
    # How long /health/ may take to answer ok with the new release once every worker
    # of the new generation accepts: past that the release is taken as broken.
    health_seconds: int = 20
    demo_applicants: int = 100
    copy_from: str = ""
    # Host-wide: the buildout's venv and eggs, installed front-end packages; one for all
    # releases of all instances on a host, so a release's build only adds what changed.
    cache_directory: str = ""
    eggs_directory: str = ""
    python: str = "python3"
    window: Window | None = None
    extra_env: dict[str, str] = field(default_factory=dict)

    @property
    def primary(self) -> Host:
        """The host that holds the lock, the deploy log, the backups, and runs migrations."""
        return self.hosts[0]

    @property
    def protected(self) -> bool:
        return self.window is not None

    @property
    def database_name(self) -> str:
        return self.database.rsplit("/", 1)[-1]


def instances_file() -> Path:
    return Path(os.environ.get("RMS_INSTANCES", DEFAULT_FILE))


def registry_file(path: Path, config: dict) -> Path:
    """Where PR instances are recorded: outside any checkout, so a fresh workspace keeps them."""
    registry = config.get("pr", {}).get("registry", "~/.local/share/rms-deploy/pr-instances.toml")
    return path.parent / Path(registry).expanduser()


def config_load(path: Path) -> dict:
    try:
        return tomllib.loads(path.read_text())
    except FileNotFoundError:
        raise DeployError(f"instance file {path} does not exist") from None
    except tomllib.TOMLDecodeError as exc:
        raise DeployError(f"instance file {path}: {exc}") from None


def instances_load(path: Path | None = None) -> dict[str, Instance]:
    path = path or instances_file()
    config = config_load(path)
    tables = dict(config.get("instances", {}))
    registry = registry_file(path, config)
    if registry.exists():
        tables.update(config_load(registry).get("instances", {}))
    defaults = config.get("defaults", {})
    return {name: instance_parse(name, {**defaults, **table}) for name, table in tables.items()}


def instance_get(name: str, path: Path | None = None) -> Instance:
    instances = instances_load(path)
    if name not in instances:
        known = ", ".join(sorted(instances)) or "none"
        raise DeployError(f"unknown instance {name!r} (known: {known})")
    return instances[name]


def instance_parse(name: str, table: dict) -> Instance:
    try:
        return Instance(
            name=name,
            hosts=hosts_parse(table["hosts"], base=table["base"], port=int(table["port"])),
            origin=table["origin"],
            ref=table.get("ref", "main"),
            database=database_parse(table["database"]),
            data=data_policy_parse(table.get("data", "fake")),
            processes=int(table.get("processes", 2)),
            harakiri=int(table.get("harakiri", 30)),
            max_requests=int(table.get("max_requests", 1000)),
            bind=table.get("bind", "127.0.0.1"),
            socket=table.get("socket", ""),
            server_names=tuple(table.get("server_names", [])),
            https=bool(table.get("https", True)),
            keep_releases=int(table.get("keep_releases", 5)),
            keep_backups=int(table.get("keep_backups", 10)),
            watch_seconds=int(table.get("watch_seconds", 120)),
            health_seconds=int(table.get("health_seconds", 20)),
            demo_applicants=int(table.get("demo_applicants", 100)),
            copy_from=table.get("copy_from", ""),
            cache_directory=table.get("cache_directory", ""),
            eggs_directory=table.get("eggs_directory", ""),
            python=table.get("python", "python3"),
            window=window_parse(table["window"]) if "window" in table else None,
            extra_env={str(k): str(v) for k, v in table.get("env", {}).items()},
        )
    except KeyError as exc:
        raise DeployError(f"instance {name!r} lacks {exc.args[0]!r} in the instance file") from None
    except (TypeError, ValueError) as exc:
        raise DeployError(f"instance {name!r}: {exc}") from None


def hosts_parse(entries: list, *, base: str, port: int) -> tuple[Host, ...]:
    hosts = []
    for entry in entries:
        table = entry if isinstance(entry, dict) else {"ssh": entry}
        if not HOST_RE.match(table["ssh"]):
            raise ValueError(f"host {table['ssh']!r} is not user@host[:port]")
        host_base = table.get("base", base)
        if not host_base.startswith("/") or host_base.rstrip("/").count("/") < 2:
            raise ValueError(f"base {host_base!r} must be an absolute path below a directory")
        hosts.append(Host(table["ssh"], host_base, int(table.get("port", port))))
    if not hosts:
        raise ValueError("an instance needs at least one host")
    return tuple(hosts)


def database_parse(url: str) -> str:
    # The name goes into CREATE/DROP DATABASE, so it must be a plain identifier.
    if not DATABASE_NAME_RE.match(url.rsplit("/", 1)[-1]):
        raise ValueError(f"database {url!r} must end in a name of letters, digits and _")
    return url


def data_policy_parse(value: str) -> str:
    if value not in DATA_POLICIES:
        raise ValueError(f"data must be one of {sorted(DATA_POLICIES)}, got {value!r}")
    return value


def window_parse(table: dict) -> Window:
    return Window(
        days=days_parse(table.get("days", "Mon-Fri")),
        start=time.fromisoformat(table.get("start", "09:00")),
        end=time.fromisoformat(table.get("end", "16:00")),
        tz=ZoneInfo(table.get("tz", "Europe/Warsaw")),
    )


def days_parse(text: str) -> frozenset[int]:
    """'Mon-Fri', 'Mon,Wed', 'Sat-Sun' ... as weekday numbers (Monday is 0)."""
    days: set[int] = set()
    for part in text.split(","):
        first, _, last = part.strip().partition("-")
        if first not in DAYS or (last and last not in DAYS):
            raise ValueError(f"window days {text!r}: use Mon..Sun, ranges and commas")
        days.update(range(DAYS.index(first), DAYS.index(last or first) + 1))
    return frozenset(days)


def toml_value(value: object) -> str:
    # JSON spells strings, numbers and lists of them the way TOML does; booleans differ.
    if isinstance(value, bool):
        return "true" if value else "false"
    return json.dumps(value)
