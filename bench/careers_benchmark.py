"""The careers site under uWSGI: list and position pages at 1,000 published positions,
anonymous, and the apply POST with a 1 MB PDF.

    bin/python bench/careers_benchmark.py [--database-url URL] [--work-dir DIR]
        [--cache-url redis://...] [--broker-url redis://...]
        [--postings 1000] [--requests 300] [--applications 100] [--processes 2]

The database is --database-url, else $DATABASE_URL, else an SQLite file in the work
directory; a PostgreSQL database is created when missing and its careers rows replaced.
The work directory (--work-dir, else a new temporary one, removed afterwards) holds the
collected static files (collectstatic runs with DEBUG=0, as on an instance), media and
logs. bin/uwsgi serves with the options deploy/templates/uwsgi.ini gives an instance
(master, lazy-apps, processes, harakiri, max-requests, buffer-size) on a free loopback
port, with DEBUG=0.

Each page is measured twice, by one client sending requests one after another: with
RMS_CAREERS_CACHE_SECONDS=0 (every request renders: the cost of a cache miss) and with the
default 300 s (what visitors mostly get; the process's own cache unless --cache-url
names a Redis). Prints the median and p95 of each case and the ratio of the uncached
p95 to the cached one, measured in the same run: machines here are shared and noisy.
The apply POST (a new candidate each time, its form fetched first for the CSRF token)
is measured with no broker, so its tasks (the confirmation mail, the CV's text) run in
the request after the commit, and, with --broker-url (else $CELERY_BROKER_URL), with them
queued as on an instance (to a queue of its own, deleted afterwards; no worker runs).
"""

import argparse
import contextlib
import http.client
import os
import re
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CITIES = ["Łódź", "Kraków", "Gdańsk", "Poznań", "Wrocław", "Zielona Góra", "Białystok",
          "Warszawa", "Szczecin", "Toruń"]  # fmt: skip
TITLES = ["Python Developer", "Programista Żółw", "Tester aplikacji", "Java Lead",
          "Frontend Developer", "DevOps Engineer", "Analityk danych", "Księgowa"]  # fmt: skip
DESCRIPTION = (
    "<p>Dołącz do zespołu, który buduje <strong>system rekrutacji</strong> dla software "
    "house'u. Pracujemy w Django, PostgreSQL i Redis.</p><ul><li>Python 3</li>"
    "<li>testy automatyczne</li><li>code review</li></ul><p>Oferujemy umowę o pracę, "
    "elastyczne godziny i budżet szkoleniowy.</p>"
)
# What an apply POST carries: a PDF of 1 MB.
PDF = b"%PDF-1.4\n1 0 obj << >> endobj\n" + b"0" * (1024 * 1024 - 40) + b"\n%%EOF\n"


def main() -> None:
    args = arguments()
    work = Path(args.work_dir or tempfile.mkdtemp(prefix="rms-careers-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    env = server_env(args, work)
    try:
        prepare(args, env=env, work=work)
        report(measure(args, env=env, work=work), args=args)
    finally:
        if not args.work_dir:
            shutil.rmtree(work, ignore_errors=True)


def arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL", ""))
    parser.add_argument("--work-dir", help="kept afterwards; default: a temporary directory")
    parser.add_argument(
        "--cache-url", default=os.environ.get("CACHE_URL", ""), help="redis://... shared cache"
    )
    parser.add_argument(
        "--broker-url",
        default=os.environ.get("CELERY_BROKER_URL", ""),
        help="redis://...: also measure the apply POST with its tasks queued",
    )
    parser.add_argument("--uwsgi", default=str(ROOT / "bin" / "uwsgi"), help="uWSGI binary")
    parser.add_argument("--processes", type=int, default=2)
    parser.add_argument("--postings", type=int, default=1000)
    parser.add_argument("--requests", type=int, default=300, help="per page and cache setting")
    parser.add_argument("--applications", type=int, default=100, help="apply POSTs")
    return parser.parse_args()


def server_env(args: argparse.Namespace, work: Path) -> dict:
    database = args.database_url or f"sqlite:///{work / 'careers-bench.sqlite3'}"
    return {
        **os.environ,
        "DATABASE_URL": database,
        "SECRET_KEY": secrets.token_urlsafe(40),
        "DEBUG": "0",
        "HTTPS": "0",
        "ALLOWED_HOSTS": "127.0.0.1",
        "LOG_LEVEL": "WARNING",
        "RMS_VAR_DIR": str(work / "var"),
        "STATIC_ROOT": str(work / "static"),
        "MEDIA_ROOT": str(work / "media"),
        "RMS_PRIVATE_DIR": str(work / "private"),
        "CACHE_URL": args.cache_url,
        # One client applies many times from one address.
        "RMS_CAREERS_APPLY_PER_IP_HOUR": "1000000",
        "RMS_CAREERS_APPLY_PER_EMAIL_HOUR": "1000000",
        # The confirmation mail is written and queued as always; with no broker it is
        # "sent" in the request, so nothing is sent anywhere.
        "EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend",
    }


def django(*command: str, env: dict) -> str:
    done = subprocess.run(
        [str(ROOT / "bin" / "django"), *command], env=env, text=True, capture_output=True
    )
    if done.returncode:
        sys.exit(f"bin/django {' '.join(command)} failed:\n{done.stderr}")
    return done.stdout


def prepare(args: argparse.Namespace, *, env: dict, work: Path) -> None:
    (work / "var").mkdir(exist_ok=True)
    database = env["DATABASE_URL"]
    if database.startswith("postgres"):
        name = database.rsplit("/", 1)[1]
        host = re.search(r"@([^:/]+)", database)
        where = ["-h", host.group(1)] if host else []
        subprocess.run(["createdb", *where, "-U", "postgres", name], capture_output=True)
    print(f"database {database.split('@')[-1]}, work directory {work}", flush=True)
    django("migrate", "--no-input", "-v", "0", env=env)
    django("collectstatic", "--no-input", "-v", "0", env=env)
    django("shell", "-c", seed_code(args.postings), env=env)
    print(f"{args.postings} published positions seeded", flush=True)


def seed_code(postings: int) -> str:
    """Run by bin/django shell: the positions, published, each in one or two cities."""
    return f"""
import datetime
from django.db import transaction
from django.utils import timezone
from careers.models import Posting, Seniority, Contract
from recruitment.models import Applicant, City, Vacancy
with transaction.atomic():
    # A previous run's candidates (their applications go with them), then its positions.
    Applicant.objects.filter(email__startswith="bench-", email__endswith="@example.com").delete()
    Posting.objects.filter(slug__startswith="bench-").delete()
    Vacancy.objects.filter(title__startswith="[bench]").delete()
    cities = [City.objects.get_or_create(name=name)[0] for name in {CITIES!r}]
    vacancies = Vacancy.objects.bulk_create(
        Vacancy(title=f"[bench] {{{TITLES!r}[n % {len(TITLES)}]}} {{n}}",
                description={DESCRIPTION!r})
        for n in range({postings})
    )
    links = Vacancy.cities.through
    links.objects.bulk_create(
        links(vacancy_id=vacancy.pk, city_id=cities[(n + extra) % len(cities)].pk)
        for n, vacancy in enumerate(vacancies) for extra in range(1 + n % 2)
    )
    now = timezone.now()
    seniorities, contracts = list(Seniority), list(Contract)
    Posting.objects.bulk_create(
        Posting(vacancy=vacancy, slug=f"bench-{{n}}", is_published=True,
                seniority=seniorities[n % len(seniorities)],
                contract=contracts[n % len(contracts)],
                published_at=now - datetime.timedelta(minutes=n))
        for n, vacancy in enumerate(vacancies)
    )
"""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def uwsgi_start(args, *, env: dict, work: Path, port: int) -> subprocess.Popen:
    # The embedded interpreter gets this interpreter's path: bin/python's eggs.
    paths = [arg for path in sys.path if path for arg in ("--pythonpath", path)]
    command = [
        args.uwsgi, "--master", "--processes", str(args.processes), "--threads", "1",
        "--lazy-apps", "--http-socket", f"127.0.0.1:{port}",
        "--module", "rms.wsgi:application", "--need-app", "--die-on-term",
        "--harakiri", "30", "--max-requests", "5000", "--buffer-size", "32768",
        "--static-map", f"/static={work / 'static'}", "--disable-logging",
        "--chdir", str(ROOT), *paths,
    ]  # fmt: skip
    log = open(work / "uwsgi.log", "a")  # noqa: SIM115 -- the server keeps it open
    return subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT)


def uwsgi_stop(server: subprocess.Popen) -> None:
    server.send_signal(signal.SIGINT)
    try:
        server.wait(timeout=30)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()


def ready(url: str, work: Path, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 -- loopback
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    sys.exit(f"uWSGI did not answer {url} within {timeout} s; see {work / 'uwsgi.log'}")


@contextlib.contextmanager
def served(args, *, env: dict, work: Path):
    port = free_port()
    server = uwsgi_start(args, env=env, work=work, port=port)
    try:
        ready(f"http://127.0.0.1:{port}/careers/", work)
        yield Client(port)
    finally:
        uwsgi_stop(server)


def pages_measure(args, client: "Client", *, cached: bool) -> dict:
    label = "cached" if cached else "uncached"
    slugs = [f"bench-{n % args.postings}" for n in range(args.requests)]
    pages = {
        "careers list": ["/careers/"] * args.requests,
        "careers list, search 'lodz'": ["/careers/?q=lodz"] * args.requests,
        "position page": [f"/careers/{slug}/" for slug in slugs],
    }
    results = {}
    for name, paths in pages.items():
        if cached:
            # Every page into the cache, of each worker when the cache is its own.
            for _ in range(1 if args.cache_url else args.processes * 2):
                for path in dict.fromkeys(paths):
                    client.get(path)
        results[(name, label)] = [client.get(path) for path in paths]
        print(f"{name} ({label}): done", flush=True)
    return results


def measure(args, *, env: dict, work: Path) -> dict:
    results = {}
    uncached = {**env, "RMS_CAREERS_CACHE_SECONDS": "0"}
    with served(args, env=uncached, work=work) as client:
        results |= pages_measure(args, client, cached=False)
        # No broker: the confirmation mail and the CV's text extraction run in the
        # request, after its commit (as on `make run`).
        results[("apply POST, 1 MB PDF", "tasks in request")] = apply_times(client, args)
    with served(args, env=env, work=work) as client:
        results |= pages_measure(args, client, cached=True)
    if args.broker_url:
        # As on an instance: those tasks go to the queue (no worker takes them here).
        queue = f"rms-careers-bench-{secrets.token_hex(4)}"
        queued = {**env, "CELERY_BROKER_URL": args.broker_url, "RMS_QUEUE": queue}
        try:
            with served(args, env=queued, work=work) as client:
                results[("apply POST, 1 MB PDF", "tasks queued")] = apply_times(client, args)
        finally:
            queue_delete(args.broker_url, queue)
    return results


def queue_delete(broker_url: str, queue: str) -> None:
    import redis

    broker = redis.Redis.from_url(broker_url)
    for key in broker.scan_iter(f"*{queue}*"):
        broker.delete(key)


class Client:
    """One browser: a fresh connection per request (as uWSGI's http-socket closes it),
    timed from sending the request to the last byte of the answer."""

    def __init__(self, port: int):
        self.port = port

    def request(self, method: str, path: str, *, body=None, headers=None):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        started = time.perf_counter()
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        content = response.read()
        elapsed = (time.perf_counter() - started) * 1000
        connection.close()
        return response, content, elapsed

    def get(self, path: str) -> float:
        response, _content, elapsed = self.request("GET", path)
        if response.status != 200:
            sys.exit(f"GET {path} answered {response.status}")
        return elapsed


def apply_times(client: "Client", args: argparse.Namespace) -> list[float]:
    """Each apply as a candidate sends it: the form (for its CSRF cookie and token), then
    the POST with a new e-mail and the 1 MB PDF; the POST alone is timed."""
    times = []
    # The first few warm each worker up (imports, connections); they are not counted.
    warm_up = 4
    for number in range(args.applications + warm_up):
        path = f"/careers/bench-{number % args.postings}/apply/"
        response, content, _elapsed = client.request("GET", path)
        cookie = re.search(r"csrftoken=([^;]+)", response.getheader("Set-Cookie", "")).group(1)
        token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', content).group(1)
        fields = {
            "csrfmiddlewaretoken": token.decode(),
            "first_name": "Łucja",
            "last_name": f"Żółć-{number}",
            "email": f"bench-{number}-{secrets.token_hex(4)}@example.com",
            "phone": "+48 600 100 200",
            "consent_processing": "on",
        }
        body, content_type = multipart(fields, cv=PDF)
        headers = {"Content-Type": content_type, "Cookie": f"csrftoken={cookie}"}
        response, _content, elapsed = client.request("POST", path, body=body, headers=headers)
        if response.status != 302:
            sys.exit(f"POST {path} answered {response.status}")
        times.append(elapsed)
    print("apply POST: done", flush=True)
    return times[warm_up:]


def multipart(fields: dict, *, cv: bytes) -> tuple[bytes, str]:
    boundary = secrets.token_hex(16)
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
        for name, value in fields.items()
    ]
    parts.append(
        f'--{boundary}\r\nContent-Disposition: form-data; name="cv"; filename="cv.pdf"\r\n'
        f"Content-Type: application/pdf\r\n\r\n".encode()
        + cv
        + f"\r\n--{boundary}--\r\n".encode()
    )
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def p95(times: list[float]) -> float:
    return statistics.quantiles(times, n=20, method="inclusive")[-1]


def report(results: dict, *, args: argparse.Namespace) -> None:
    print(
        f"\n{args.postings} published positions, uWSGI {args.processes} processes, DEBUG=0, "
        f"one client; {args.requests} GETs per case, {args.applications} apply POSTs"
    )
    print(
        f"| {'case':28} | {'setting':16} | {'median ms':>9} | {'p95 ms':>7} "
        f"| {'p95 vs cached':>13} |"
    )
    print(f"|{'-' * 30}|{'-' * 18}|{'-' * 11}|{'-' * 9}|{'-' * 15}|")
    for (name, label), times in results.items():
        cached = results.get((name, "cached"))
        ratio = f"{p95(times) / p95(cached):.1f}x" if cached and label == "uncached" else ""
        print(
            f"| {name:28} | {label:16} | {statistics.median(times):9.1f} | "
            f"{p95(times):7.1f} | {ratio:>13} |"
        )


if __name__ == "__main__":
    main()
