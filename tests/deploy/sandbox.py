"""A deploy target on this machine: sshd on loopback, a bare origin, PostgreSQL, `fab`.

The end-to-end tests drive the real `bin/fab` against it, as Jenkins would.
"""

import atexit
import ctypes
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import django

from deploy.instances import toml_value

REPO = Path(__file__).resolve().parents[2]
SSHD = Path("/usr/sbin/sshd")
PG_URL = "postgres://postgres@127.0.0.1:5432"
# The interpreter the build's eggs were made with: release builds reuse those eggs.
PYTHON = str(Path(sys.base_prefix) / "bin" / "python3")
# The build's eggs directory (the Makefile's EGGS_DIRECTORY): Django's egg lies in its v5/.
EGGS = Path(django.__file__).resolve().parents[3]
INSTANCES = ["staging", "live", "multi", "pr_tess", "faults", "soak", "queued"]
MIGRATIONS = "recruitment/migrations"
TOOLS = ["ssh-keygen", "git", "pg_dump", "pg_restore", "psql", "curl"]
# How this machine reaches the package registries (its CA bundle, pip's settings). A real
# app host has them in its own environment; sshd hands them to the sessions it starts.
FORWARDED_ENV = [
    "NODE_EXTRA_CA_CERTS",
    "SSL_CERT_FILE",
    "SSL_CERT_DIR",
    "CURL_CA_BUNDLE",
    "REQUESTS_CA_BUNDLE",
    "GIT_SSL_CAINFO",
    "PIP_CERT",
    "PIP_FIND_LINKS",
    "PIP_INDEX_URL",
    "PIP_EXTRA_INDEX_URL",
    "PIP_DEFAULT_TIMEOUT",
]


# Each running sandbox leaves a note here (its runner's pid → its root): a run killed
# with SIGKILL cannot clean up, the next one does (sweep_leftovers).
RECORDS = Path(tempfile.gettempdir()) / "rms-deploy-sandboxes"
PR_SET_PDEATHSIG = 1


def database_name(instance: str, pid: int | None = None) -> str:
    """Other test runs may share this machine and tree: each run's databases are its own."""
    return f"rms_deploy_{instance}_{pid or os.getpid()}"


def missing_tools() -> list[str]:
    """What this machine lacks for the end-to-end deploy tests; [] when they can run."""
    missing = [tool for tool in TOOLS if not shutil.which(tool)]
    missing += [
        str(path)
        for path in (SSHD, REPO / "bin" / "uwsgi", REPO / "bin" / "fab")
        if not path.exists()
    ]
    if (
        not missing
        and subprocess.run(["pg_isready", "-q", "-h", "127.0.0.1"], check=False).returncode
    ):
        missing.append("PostgreSQL on 127.0.0.1:5432")
    return missing


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_port(port: int, timeout: float = 10) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise RuntimeError(f"nothing listens on 127.0.0.1:{port}")


def sh(*args: str | Path, cwd: Path | None = None) -> str:
    return subprocess.run(
        [str(arg) for arg in args], cwd=cwd, check=True, capture_output=True, text=True
    ).stdout


def psql(database: str, sql: str) -> str:
    return sh("psql", f"{PG_URL}/{database}", "-tAc", sql).strip()


def drop_database(name: str) -> None:
    psql("postgres", f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def die_with_parent() -> None:
    """In the child before exec: the kernel sends it SIGTERM when the test run dies."""
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


class SshServer:
    """One sshd on loopback, with its own config, host key and authorized key."""

    def __init__(self, root: Path, key: Path) -> None:
        self.port = free_port()
        host_key = root / f"host_key_{self.port}"
        sh("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", host_key)
        config = root / f"sshd_{self.port}.conf"
        config.write_text(
            f"ListenAddress 127.0.0.1\nPort {self.port}\nHostKey {host_key}\n"
            f"AuthorizedKeysFile {key}.pub\nPasswordAuthentication no\nUsePAM no\n"
            "StrictModes no\nPermitRootLogin prohibit-password\n"
            f"PidFile {root}/sshd_{self.port}.pid\n"
            "Subsystem sftp /usr/lib/openssh/sftp-server\n"
            + "".join(
                f"SetEnv {name}={os.environ[name]}\n"
                for name in FORWARDED_ENV
                if name in os.environ
            )
        )
        Path("/run/sshd").mkdir(exist_ok=True)
        self.process = subprocess.Popen(
            [SSHD, "-D", "-f", config, "-E", root / f"sshd_{self.port}.log"],
            preexec_fn=die_with_parent,
        )
        wait_for_port(self.port)

    @property
    def address(self) -> str:
        return f"root@127.0.0.1:{self.port}"

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=10)


class Origin:
    """A bare repository made from the working tree (uncommitted changes included)."""

    def __init__(self, root: Path) -> None:
        self.work = root / "work"
        self.bare = root / "origin.git"
        files = sh("git", "ls-files", "-z", "-co", "--exclude-standard", cwd=REPO).split("\0")
        for name in filter(None, files):
            source = REPO / name
            if source.is_file():
                (self.work / name).parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(source, self.work / name)
        self.git("init", "-q", "-b", "main")
        self.commit("The working tree under test")
        sh("git", "clone", "-q", "--bare", self.work, self.bare)
        self.git("remote", "add", "origin", str(self.bare))

    def git(self, *args: str) -> str:
        return sh(
            "git", "-c", "user.name=Test", "-c", "user.email=test@localhost", *args, cwd=self.work
        )

    def commit(self, message: str) -> None:
        self.git("add", "-A")
        self.git("commit", "-q", "-m", message)

    def branch(
        self, name: str, start: str, files: dict[str, str], append: dict[str, str] | None = None
    ) -> str:
        """A branch from `start` with files written (or text appended), pushed to origin."""
        self.git("checkout", "-q", "-B", name, start)
        for path, text in files.items():
            (self.work / path).write_text(text)
        for path, text in (append or {}).items():
            with (self.work / path).open("a") as handle:
                handle.write(text)
        self.commit(f"Branch {name}")
        self.git("push", "-q", "--force", "origin", name)
        self.git("checkout", "-q", "main")
        return self.git("rev-parse", name).strip()

    def leaf_migration(self, ref: str) -> str:
        return self.git("show", f"{ref}:{MIGRATIONS}/max_migration.txt").strip()

    def branch_with_migration(
        self,
        name: str,
        start: str,
        migration_name: str,
        sql: str,
        append: dict | None = None,
        reverse_sql: str | None = "",
    ) -> str:
        """A branch adding one migration after `start`'s leaf, kept linear."""
        leaf = self.leaf_migration(start)
        files = {
            f"{MIGRATIONS}/{migration_name}.py": migration(leaf, sql, reverse_sql),
            f"{MIGRATIONS}/max_migration.txt": f"{migration_name}\n",
        }
        return self.branch(name, start, files, append)

    def tags(self) -> list[str]:
        return sh("git", "--git-dir", self.bare, "tag").split()


def migration(dependency: str, sql: str, reverse_sql: str | None = "") -> str:
    """A recruitment migration running SQL: a schema change without a model change.
    Reversed by `reverse_sql` ('' does nothing); None makes it irreversible."""
    reverse = "migrations.RunSQL.noop" if reverse_sql == "" else repr(reverse_sql)
    return (
        "from django.db import migrations\n\n\n"
        "class Migration(migrations.Migration):\n"
        f"    dependencies = [('recruitment', '{dependency}')]\n"
        f"    operations = [migrations.RunSQL({sql!r}, {reverse})]\n"
    )


def health(port: int) -> dict:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/health/", timeout=10) as response:
            return json.loads(response.read())
    except urllib.error.HTTPError as error:
        return json.loads(error.read())


def kill_recorded(pidfile: Path, root: Path) -> None:
    """SIGTERM the process a pidfile names, if it is still one of this sandbox's (its
    command line names the sandbox root: a recycled pid is left alone)."""
    text = pidfile.read_text().strip() if pidfile.exists() else ""
    if not text.isdigit():
        return
    try:
        command = Path(f"/proc/{text}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return
    if str(root) in command:
        try:
            os.kill(int(text), signal.SIGTERM)
        except ProcessLookupError:
            return


def stop_processes_under(root: Path) -> None:
    """Stop every uWSGI master and sshd started under `root` (by their pidfiles)."""
    for pidfile in [*root.rglob("uwsgi.pid"), *root.glob("sshd_*.pid")]:
        kill_recorded(pidfile, root)


def runner_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def sweep_leftovers() -> list[Path]:
    """What runs killed before their cleanup left: processes stopped, databases dropped."""
    swept = []
    for record in RECORDS.glob("*") if RECORDS.exists() else []:
        if not record.name.isdigit() or runner_alive(int(record.name)):
            continue
        swept.append(sweep_record(record))
    return swept


def sweep_record(record: Path) -> Path:
    """Stop and drop what the dead run of this record started; the sandbox's root."""
    root = Path(record.read_text().strip())
    if root.exists():
        stop_processes_under(root)
    for name in INSTANCES:
        drop_database(database_name(name, int(record.name)))
    record.unlink(missing_ok=True)
    return root


def reaper_start(record: Path, log: Path) -> subprocess.Popen:
    """A watcher of this run (tests/deploy/reaper.py): if the run dies without cleaning
    up (SIGKILL, the OOM killer, CI's timeout), it sweeps the record at once. In a
    session of its own, so a kill of the run's process group does not take it along."""
    with log.open("a") as output:
        return subprocess.Popen(
            [sys.executable, "-m", "tests.deploy.reaper", str(os.getpid()), str(record)],
            cwd=REPO,
            env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)},
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )


@dataclass
class Sandbox:
    root: Path
    key: Path
    servers: list[SshServer]
    origin: Origin
    ports: dict[str, int] = field(default_factory=dict)

    @property
    def instances_file(self) -> Path:
        return self.root / "instances.toml"

    def defaults(self) -> dict:
        """What every instance here shares, as the [defaults] table of a real file."""
        return {
            "origin": str(self.origin.bare),
            "demo_applicants": 5,
            "processes": 2,
            "https": False,
            "keep_releases": 3,
            "python": PYTHON,
            "cache_directory": str(self.root / "host-cache"),
            # Recycles happen during the tests (a soak reaches several), and the watch
            # after each deploy is short: the watch test sets its own.
            "max_requests": 500,
            "watch_seconds": 4,
            # A broken release's health check fails after this; a healthy one answers
            # within a second of its chain reload.
            "health_seconds": 10,
            # The checkout's build's eggs: release builds then download nothing.
            "eggs_directory": str(EGGS),
        }

    def instance(self, name: str, *, hosts: int = 1, **extra: object) -> dict:
        """An instance table: its own tree, database and uWSGI port per host."""
        host_tables = []
        for index, server in enumerate(self.servers[:hosts]):
            port = self.ports.setdefault(f"{name}{index}", free_port())
            base = str(self.root / "srv" / f"{name}{index}")
            host_tables.append({"ssh": server.address, "base": base, "port": port})
        return {
            "hosts": host_tables,
            "base": host_tables[0]["base"],
            "port": host_tables[0]["port"],
            "database": f"{PG_URL}/{database_name(name)}",
            "data": "fake",
            **extra,
        }

    def pr_section(self) -> dict:
        return {
            "hosts": [self.servers[0].address],
            "base": str(self.root / "srv" / "pr-{tester}"),
            "database": f"{PG_URL}/{database_name('pr_{tester}')}",
            "ports": [free_port()] * 2,
            "copy_from": "staging",
            "registry": str(self.root / "pr-instances.toml"),
        }

    def write_instances(self, instances: dict[str, dict]) -> None:
        lines = ["[defaults]"]
        lines += [f"{key} = {toml_value(value)}" for key, value in self.defaults().items()]
        for name, table in instances.items():
            scalars = {k: v for k, v in table.items() if not isinstance(v, dict) and k != "hosts"}
            lines.append(f"[instances.{name}]")
            lines += [f"{key} = {toml_value(value)}" for key, value in scalars.items()]
            hosts = ", ".join(
                "{" + ", ".join(f"{k} = {toml_value(v)}" for k, v in host.items()) + "}"
                for host in table["hosts"]
            )
            lines.append(f"hosts = [{hosts}]")
            for key, value in table.items():
                if isinstance(value, dict):
                    inline = ", ".join(f"{k} = {toml_value(v)}" for k, v in value.items())
                    lines.append(f"{key} = {{{inline}}}")
            lines.append("")
        lines.append("[pr]")
        lines += [f"{key} = {toml_value(value)}" for key, value in self.pr_section().items()]
        self.instances_file.write_text("\n".join(lines) + "\n")

    def env(self) -> dict[str, str]:
        return {
            **os.environ,
            "RMS_INSTANCES": str(self.instances_file),
            "XDG_CACHE_HOME": str(self.root / "cache"),
            "RMS_DEPLOYER": "tess@ci",
        }

    def fab_start(self, *args: str) -> subprocess.Popen:
        command = [str(REPO / "bin" / "fab"), "-i", str(self.key), *args]
        return subprocess.Popen(
            command,
            cwd=REPO,
            env=self.env(),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )

    def fab(self, *args: str) -> subprocess.CompletedProcess:
        process = self.fab_start(*args)
        stdout, stderr = process.communicate(timeout=600)
        with (self.root / "fab.log").open("a") as log:
            log.write(f"$ fab {' '.join(args)}\n{stdout}{stderr}\n")
        return subprocess.CompletedProcess(process.args, process.returncode, stdout, stderr)


@contextmanager
def sandbox_running(root: Path) -> Iterator[Sandbox]:
    """Two sshd (two app hosts), an origin; everything stopped and dropped afterwards, also
    when the run is interrupted (SIGINT, SIGTERM) or, by the next run, when it was killed."""
    sweep_leftovers()
    RECORDS.mkdir(exist_ok=True)
    record = RECORDS / str(os.getpid())
    record.write_text(str(root))
    reaper_start(record, root / "reaper.log")
    key = root / "key"
    sh("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", key)
    origin = Origin(root)
    servers: list[SshServer] = []
    done = False

    def cleanup() -> None:
        nonlocal done
        if done:
            return
        done = True
        stop_processes_under(root)
        for server in servers:
            server.stop()
        for name in INSTANCES:
            drop_database(database_name(name))
        record.unlink(missing_ok=True)

    atexit.register(cleanup)
    # SIGTERM would end the run without unwinding; as KeyboardInterrupt, pytest tears the
    # session fixtures down (this cleanup included) as for Ctrl-C.
    previous = signal.signal(signal.SIGTERM, terminate_as_interrupt)
    try:
        servers += [SshServer(root, key), SshServer(root, key)]
        yield Sandbox(root=root, key=key, servers=servers, origin=origin)
    finally:
        cleanup()
        atexit.unregister(cleanup)
        signal.signal(signal.SIGTERM, previous)


def terminate_as_interrupt(_number: int, _frame: object) -> None:
    raise KeyboardInterrupt
