"""Deploy console figures, in one run.

    bin/python-tests bench/console_figures.py [--deploys 10] [--requests 50]

Uses its own PostgreSQL database (rms_consolebench), Redis database 8 (--redis), one real
`bin/celery worker` (prefork, one child) on the production settings consuming the
console's queue, and an instance file of 30 instances (plus one of 3, for the ratio)
whose hosts listen nowhere: what is timed is the console's own path, not a build.
Prints:
- button to first log line: from the POST of a deploy to the first poll of its page
  (htmx polls every second; here every 50 ms, to time the path, not the poll interval)
  that shows a step line, median and p95;
- the instances page (GET /console/) with 3 and with 30 instances: median, p95, ratio.
The machine is shared and noisy: compare figures of one run with each other.
"""

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.queue.worker import Worker  # noqa: E402

DATABASE = "rms_consolebench"
QUEUE = "console-bench"


def arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--deploys", type=int, default=10)
    parser.add_argument("--requests", type=int, default=50)
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/8")
    return parser.parse_args()


def instances_file(path: Path, origin: Path, count: int) -> None:
    lines = [
        "[defaults]",
        f'origin = "{origin}"',
        'hosts = ["root@127.0.0.1:1"]',
        "",
    ]
    for n in range(count):
        lines += [
            f"[instances.bench{n:02d}]",
            f'base = "/srv/rms/bench{n:02d}"',
            f"port = {9100 + n}",
            f'database = "postgres:///rms_bench{n:02d}"',
            "",
        ]
    path.write_text("\n".join(lines))


def origin_make(root: Path) -> Path:
    work = root / "origin"
    (work / "recruitment" / "migrations").mkdir(parents=True)
    (work / "recruitment" / "migrations" / "max_migration.txt").write_text("0001_initial\n")
    (work / "recruitment" / "migrations" / "0001_initial.py").write_text("")
    git = ["git", "-c", "user.name=Bench", "-c", "user.email=b@localhost"]
    subprocess.run([*git, "init", "-q", "-b", "main"], cwd=work, check=True)
    subprocess.run([*git, "add", "-A"], cwd=work, check=True)
    subprocess.run([*git, "commit", "-q", "-m", "bench"], cwd=work, check=True)
    return work


def environment(redis_url: str, root: Path) -> dict[str, str]:
    return {
        "DJANGO_SETTINGS_MODULE": "rms.settings",
        "SECRET_KEY": "benchmark-only-not-secret",
        "DEBUG": "0",
        "HTTPS": "0",
        "ALLOWED_HOSTS": "testserver",
        "LOG_LEVEL": "WARNING",
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{DATABASE}",
        "CELERY_BROKER_URL": redis_url,
        "RMS_QUEUE": QUEUE,
        "RMS_CONSOLE": "1",
        "RMS_INSTANCES": str(root / "instances-30.toml"),
        "XDG_CACHE_HOME": str(root / "cache"),
        "STATIC_ROOT": str(root / "static"),
    }


def database_prepare(env: dict[str, str]) -> None:
    subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", DATABASE], capture_output=True)
    for command in (
        ["migrate", "--no-input", "-v", "0"],
        ["collectstatic", "--no-input", "-v", "0"],
    ):
        subprocess.run(
            [str(ROOT / "bin" / "django"), *command], env={**os.environ, **env}, check=True
        )


def percentile_95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def developer_client():
    from django.contrib.auth.models import Group
    from django.test import Client

    from recruitment.factories import UserFactory

    user = UserFactory(username=f"bench-{time.time_ns()}")
    user.groups.add(Group.objects.get_or_create(name="developers")[0])
    client = Client()
    client.force_login(user)
    return client


def first_line_times(client, count: int) -> list[float]:
    from console.models import Action

    times = []
    for n in range(count):
        started = time.perf_counter()
        response = client.post(f"/console/instances/bench{n % 30:02d}/deploy/", {})
        assert response.status_code == 302, response.status_code
        progress = response.url.rstrip("/") + "/progress/"
        while "--&gt; " not in client.get(progress).content.decode():
            if time.perf_counter() - started > 120:
                raise SystemExit("no log line after 120 s: is the worker running?")
            time.sleep(0.05)
        times.append(time.perf_counter() - started)
        pk = int(response.url.rstrip("/").rsplit("/", 1)[-1])
        while not Action.objects.get(pk=pk).finished:
            time.sleep(0.05)
    return times


def page_times(client, requests: int) -> list[float]:
    client.get("/console/")
    times = []
    for _ in range(requests):
        started = time.perf_counter()
        response = client.get("/console/")
        times.append(time.perf_counter() - started)
        assert response.status_code == 200, response.status_code
    return times


def main() -> None:
    args = arguments()
    root = Path(tempfile.mkdtemp(prefix="rms-consolebench-"))
    origin = origin_make(root)
    instances_file(root / "instances-30.toml", origin, 30)
    instances_file(root / "instances-3.toml", origin, 3)
    env = environment(args.redis, root)
    os.environ.update(env)
    database_prepare(env)
    import django

    django.setup()
    client = developer_client()
    worker = Worker({**os.environ}, root / "worker.log", name="consolebench")
    worker.start()
    try:
        first = first_line_times(client, args.deploys)
    finally:
        worker.stop()
    pages = {}
    for count in (3, 30):
        os.environ["RMS_INSTANCES"] = str(root / f"instances-{count}.toml")
        pages[count] = page_times(client, args.requests)
    report(args, first, pages)


def report(args, first: list[float], pages: dict[int, list[float]]) -> None:
    print(f"button to first log line ({args.deploys} deploys, one worker):")
    median, p95 = statistics.median(first) * 1000, percentile_95(first) * 1000
    print(f"  median {median:7.1f} ms   p95 {p95:7.1f} ms")
    print(f"instances page, GET /console/ ({args.requests} requests each):")
    medians = {}
    for count, times in pages.items():
        medians[count] = statistics.median(times)
        print(
            f"  {count:2d} instances: median {medians[count] * 1000:6.1f} ms"
            f"   p95 {percentile_95(times) * 1000:6.1f} ms"
        )
    print(f"  ratio of medians, 30 / 3 instances: {medians[30] / medians[3]:.2f}")


if __name__ == "__main__":
    main()
