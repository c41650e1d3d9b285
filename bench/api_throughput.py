"""API list throughput under uWSGI, beside a trivial view, in one run.

    bin/python bench/api_throughput.py [--applicants 100000] [--duration 10] [--runs 3]
        [--database-url URL]

Seeds the demo data set into its own PostgreSQL database (--database-url, default
$RMS_BENCH_DATABASE_URL or rms_apibench on $RMS_BENCH_PG, kept for the next run), starts
bin/uwsgi with 2 worker processes on a free loopback port, and loads each endpoint with
wrk (Debian's `wrk`) for --duration seconds, --runs times in turn. Prints requests per
second (the median of the runs) per endpoint and each one's ratio to /ping/, a view that
touches neither the database nor a session: machines here are shared and noisy, so the
ratio is the figure to compare. /health/ is measured too: load balancers poll it.
"""

import argparse
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
LOG = Path(os.environ.get("RMS_VAR_DIR", ROOT / "var")) / "api_throughput_uwsgi.log"
PG = os.environ.get("RMS_BENCH_PG", "postgres://postgres@127.0.0.1:5432")
DATABASE_URL = os.environ.get("RMS_BENCH_DATABASE_URL", f"{PG}/rms_apibench")
YARDSTICK = "/ping/ (no database, no session)"
ENDPOINTS = {
    YARDSTICK: "/ping/",
    "/health/": "/health/",
    "applications, default list": "/api/v1/applications/",
    "applications, stage + sort": "/api/v1/applications/?stage=interview&sort=name",
    "applicants, cursor page": "/api/v1/applicants/",
}
SERVER_ENV = {
    "SECRET_KEY": "benchmark-only-not-secret",
    "DEBUG": "0",
    "HTTPS": "0",
    "ALLOWED_HOSTS": "127.0.0.1",
    "LOG_LEVEL": "WARNING",
    # The benchmark is one token client making far more calls than the default allows.
    "RMS_API_THROTTLE_RATE": "100000000/hour",
}


def main() -> None:
    args = arguments()
    if not shutil.which("wrk"):
        sys.exit("wrk is missing: apt-get install -y wrk")
    env = {**os.environ, **SERVER_ENV, "DATABASE_URL": args.database_url}
    seed(args.applicants, env=env)
    token = django("api_token", "demo", "--rotate", env=env).strip()
    port = free_port()
    server = uwsgi_start(args.uwsgi, port=port, processes=args.processes, env=env)
    try:
        base = f"http://127.0.0.1:{port}"
        ready(f"{base}/ping/")
        results = measure(base, token=token, args=args)
    finally:
        uwsgi_stop(server)
    report(results, args=args)


def arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--applicants", type=int, default=100_000)
    parser.add_argument("--database-url", default=DATABASE_URL)
    parser.add_argument("--uwsgi", default=str(ROOT / "bin" / "uwsgi"), help="uWSGI binary")
    parser.add_argument("--processes", type=int, default=2)
    parser.add_argument("--connections", type=int, default=4)
    parser.add_argument("--duration", type=int, default=10, help="seconds per endpoint and run")
    parser.add_argument("--runs", type=int, default=3)
    return parser.parse_args()


def django(*command: str, env: dict) -> str:
    done = subprocess.run(
        [str(ROOT / "bin" / "django"), *command], env=env, text=True, capture_output=True
    )
    if done.returncode:
        sys.exit(f"bin/django {' '.join(command)} failed:\n{done.stderr}")
    return done.stdout


def seed(applicants: int, *, env: dict) -> None:
    url = urlsplit(env["DATABASE_URL"])
    name = url.path.lstrip("/")
    subprocess.run(
        ["createdb", "-h", url.hostname or "", "-p", str(url.port or 5432),
         "-U", url.username or "postgres", name],
        capture_output=True,
    )  # fmt: skip
    django("migrate", "--no-input", "-v", "0", env=env)
    print(f"seeding up to {applicants} demo applicants into {name} (kept)", flush=True)
    django("seed_demo", "--applicants", str(applicants), "-v", "0", env=env)
    django("shell", "-c", "from django.db import connection; "
           "connection.cursor().execute('VACUUM ANALYZE')", env=env)  # fmt: skip


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def uwsgi_start(binary: str, *, port: int, processes: int, env: dict) -> subprocess.Popen:
    # The embedded interpreter gets this interpreter's path: bin/python's eggs.
    paths = [arg for path in sys.path if path for arg in ("--pythonpath", path)]
    command = [
        binary, "--master", "--processes", str(processes), "--threads", "1",
        "--http-socket", f"127.0.0.1:{port}", "--module", "rms.wsgi:application",
        "--need-app", "--lazy-apps", "--die-on-term", "--disable-logging",
        "--chdir", str(ROOT), *paths,
    ]  # fmt: skip
    # The server keeps its own copy of the log's descriptor once started.
    LOG.parent.mkdir(parents=True, exist_ok=True)
    with open(LOG, "w") as log:
        return subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT)


def uwsgi_stop(server: subprocess.Popen) -> None:
    server.send_signal(signal.SIGINT)
    try:
        server.wait(timeout=30)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()


def ready(url: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 -- loopback
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    sys.exit(f"uWSGI did not answer {url} within {timeout} s; see {LOG}")


def measure(base: str, *, token: str, args: argparse.Namespace) -> dict[str, list[float]]:
    results: dict[str, list[float]] = {name: [] for name in ENDPOINTS}
    for path in ENDPOINTS.values():  # warm both workers' caches and connections
        wrk(f"{base}{path}", token=token, connections=args.connections, duration=2)
    for run in range(1, args.runs + 1):
        for name, path in ENDPOINTS.items():
            rate = wrk(f"{base}{path}", token=token, connections=args.connections,
                       duration=args.duration)  # fmt: skip
            results[name].append(rate)
            print(f"run {run}: {name}: {rate:.1f} req/s", flush=True)
    return results


def wrk(url: str, *, token: str, connections: int, duration: int) -> float:
    done = subprocess.run(
        ["wrk", "-t", "2", "-c", str(connections), "-d", f"{duration}s",
         "-H", f"Authorization: Token {token}", url],
        check=True, text=True, capture_output=True,
    )  # fmt: skip
    if "Non-2xx or 3xx responses" in done.stdout:
        sys.exit(f"errors from {url}:\n{done.stdout}")
    return float(re.search(r"Requests/sec:\s+([\d.]+)", done.stdout).group(1))


def report(results: dict[str, list[float]], *, args: argparse.Namespace) -> None:
    medians = {name: statistics.median(rates) for name, rates in results.items()}
    baseline = medians[YARDSTICK]
    print(
        f"\n{args.applicants} applicants, uWSGI {args.processes} processes, "
        f"wrk {args.connections} connections, {args.duration} s x {args.runs} runs"
    )
    print(f"{'endpoint':36} {'req/s (median)':>15} {'vs /ping/':>10}")
    for name, median in medians.items():
        # Four decimals: a database-bound endpoint answers a few hundredths as fast.
        print(f"{name:36} {median:15.1f} {median / baseline:10.4f}")


if __name__ == "__main__":
    main()
