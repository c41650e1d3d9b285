"""The report page and the exports at several sizes of the demo data, in one run.

    bin/python bench/report_export_benchmark.py [--db 1000=URL ...] [--requests 20]

Each --db names a data set's size and its PostgreSQL database URL (repeat it; the
default is 1,000 and 100,000 applicants in rms_bench_<size> on $RMS_BENCH_PG, default
postgres://postgres@127.0.0.1:5432). A database that is missing is created, migrated and
seeded with seed_demo (kept for the next run); one that exists is migrated and used as
it is (seed a 1,000,000-applicant one beforehand: that takes a while). Per data set, in a
process of its own, through Django's test client (the application's own time):

- the report page, unfiltered (from the summary) and filtered by a vacancy and by a tag:
  median and p95 of --requests requests, and queries per page;
- the same report computed from scratch from the timeline, once (up to --scratch-max
  applicants: it is the slow path the summary replaces);
- a CSV download of about 10,000 rows through the view (RMS_EXPORT_JOB_ROWS raised to
  20,000 for it: by default a request serves at most 5,000), and the export writer over
  10,000 rows: seconds and rows/s;
- a 100,000-row CSV export as the job writes it (the list's rows, unfiltered: open
  applications, newest first), in a child process of its own: rows/s, and the child's
  resident memory before the export and at its peak.

Prints a table with each figure at every size and the ratio of the largest to the smallest.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
PG = os.environ.get("RMS_BENCH_PG", "postgres://postgres@127.0.0.1:5432")
ENV = {"SECRET_KEY": "benchmark-only", "DEBUG": "0", "HTTPS": "0", "ALLOWED_HOSTS": "testserver"}


def main() -> None:
    args = arguments()
    if args.measure:
        measure_here(requests=args.measure, scratch_max=args.scratch_max)
        return
    if args.export_child:
        export_child(args.export_child)
        return
    sets = dict(parse_db(value) for value in args.db) or {
        size: f"{PG}/rms_bench_{size}" for size in (1000, 100_000)
    }
    # With DEBUG off, pages name the static files by their hashed names: collect them.
    django("collectstatic", "--no-input", "-v", "0", database_url=next(iter(sets.values())))
    results = {}
    for size, url in sorted(sets.items()):
        prepare(size, url)
        results[size] = measure(url, args=args)
        print(f"{size} applicants: {json.dumps(results[size])}", flush=True)
    print_table(results, requests=args.requests)


def arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", action="append", default=[], metavar="SIZE=DATABASE_URL")
    parser.add_argument("--requests", type=int, default=20)
    parser.add_argument("--scratch-max", type=int, default=200_000)
    parser.add_argument("--measure", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--export-child", type=int, help=argparse.SUPPRESS)
    return parser.parse_args()


def parse_db(value: str) -> tuple[int, str]:
    size, _sep, url = value.partition("=")
    if not (size.isdigit() and url):
        sys.exit(f"--db wants SIZE=DATABASE_URL, got {value!r}")
    return int(size), url


def django(*command: str, database_url: str, capture: bool = False) -> str:
    return run(str(ROOT / "bin" / "django"), *command, database_url=database_url, capture=capture)


def run(*command: str, database_url: str, capture: bool = False, extra: dict | None = None) -> str:
    env = {**os.environ, **ENV, "DATABASE_URL": database_url, **(extra or {})}
    done = subprocess.run(command, env=env, text=True, capture_output=capture)
    if done.returncode:
        sys.exit(f"{' '.join(command)} failed:\n{done.stderr or ''}")
    return done.stdout


def prepare(size: int, url: str) -> None:
    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    created = subprocess.run(
        ["createdb", "-h", parts.hostname or "", "-p", str(parts.port or 5432),
         "-U", parts.username or "postgres", name],
        capture_output=True,
    )  # fmt: skip
    django("migrate", "--no-input", "-v", "0", database_url=url)
    if created.returncode == 0:
        print(f"seeding {size} applicants into {name} (kept for the next run)", flush=True)
        django("seed_demo", "--applicants", str(size), "-v", "0", database_url=url)
    django("shell", "-v", "0", "-c", "from django.db import connection; "
           "connection.cursor().execute('VACUUM ANALYZE')", database_url=url)  # fmt: skip


def measure(url: str, *, args: argparse.Namespace) -> dict:
    python = str(ROOT / "bin" / "python")
    out = run(python, __file__, "--measure", str(args.requests),
              "--scratch-max", str(args.scratch_max), database_url=url, capture=True,
              extra={"RMS_EXPORT_JOB_ROWS": "20000"})  # fmt: skip
    figures = json.loads(out.strip().splitlines()[-1])
    out = run(python, __file__, "--export-child", "100000", database_url=url, capture=True)
    figures |= json.loads(out.strip().splitlines()[-1])
    return figures


def setup() -> None:
    import django as django_module

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rms.settings")
    django_module.setup()


def measure_here(*, requests: int, scratch_max: int) -> None:
    setup()
    from django.contrib.auth import get_user_model
    from django.test import Client

    from recruitment.models import Applicant, Vacancy

    client = Client()
    client.force_login(get_user_model().objects.get(username="demo"))
    vacancy = Vacancy.objects.order_by("pk").first()
    report = "/applicants/report/"
    figures = {
        "report, unfiltered": timed(client, report, {}, requests),
        "report, one vacancy": timed(client, report, {"vacancy": vacancy.pk}, requests),
        "report, tag python": timed(client, report, {"tags": "python"}, requests),
    }
    if Applicant.objects.count() <= scratch_max:
        figures["report from scratch (the old way)"] = from_scratch()
    figures |= csv_download(client)
    figures |= export_rate(10_000, key="export writer, 10,000 rows")
    print(json.dumps(figures))


def timed(client, path: str, query: dict, requests: int) -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(path, query)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path, query).status_code == 200
    # Counted now: the log is read lazily, and the next requests reset it.
    count = len(queries)
    samples = []
    for _ in range(requests):
        started = time.perf_counter()
        client.get(path, query)
        samples.append((time.perf_counter() - started) * 1000)
    return {"p50": statistics.median(samples), "p95": p95(samples), "queries": count}


def p95(samples: list[float]) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def from_scratch() -> dict:
    from recruitment.models import Application
    from recruitment.reports import application_report, application_report_from_timeline

    started = time.perf_counter()
    report = application_report_from_timeline(applications=Application.objects.all())
    elapsed = (time.perf_counter() - started) * 1000
    # The figure is only worth printing if the summary says the same.
    assert report == application_report(), "the summary and the timeline disagree"
    return {"p50": elapsed, "p95": elapsed, "queries": None}


def csv_download(client) -> dict:
    """The list's CSV download of about 10,000 rows through the view (the issue's case):
    the largest choice of a city, a vacancy, a stage tab or two of them with at most
    15,000 rows."""
    from django.db.models import Count

    from recruitment.models import Application

    open_ = Application.objects.filter(closed_at__isnull=True).order_by()
    candidates = [({}, open_.count())]
    city = "applicant__city"
    for fields in ([city], ["vacancy"], ["stage"], [city, "stage"], ["vacancy", "stage"]):
        cells = open_.values_list(*fields).annotate(count=Count("*"))
        candidates += [(dict(zip(fields, cell[:-1], strict=True)), cell[-1]) for cell in cells]
    fitting = [
        (query, count)
        for query, count in candidates
        if count <= 15_000 and None not in query.values()
    ]
    query, _count = max(fitting, key=lambda candidate: candidate[1])
    query = {name.removeprefix("applicant__"): value for name, value in query.items()}
    client.get("/applicants/export.csv", query)  # warm: the first request loads modules
    samples = []
    for _ in range(3):
        started = time.perf_counter()
        response = client.get("/applicants/export.csv", query)
        samples.append(time.perf_counter() - started)
        assert response.status_code == 200, "raise RMS_EXPORT_JOB_ROWS for this measurement"
    elapsed = statistics.median(samples)
    rows = response.content.count(b"\n") - 2
    return {
        "CSV download, ~10,000 rows (view, median of 3)": {
            "seconds": elapsed,
            "rows": rows,
            "rows_per_s": rows / elapsed,
        }
    }


def export_rate(limit: int, *, key: str) -> dict:
    from django.http import QueryDict

    from recruitment.exports import export_row_stream, export_write
    from recruitment.filters import ApplicationFilterSet
    from recruitment.models import Application

    # The list's own rows and order, unfiltered: open applications, newest first, the
    # first `limit` of them (fewer where the data set has fewer).
    applications = ApplicationFilterSet(QueryDict(), queryset=Application.objects.all()).qs
    applications = applications[:limit]
    with tempfile.TemporaryDirectory() as directory:
        started = time.perf_counter()
        rows = export_write(
            rows=export_row_stream(applications),
            fmt="csv",
            path=Path(directory) / "export.csv",
            progress=lambda done: None,
        )
        elapsed = time.perf_counter() - started
    return {key: {"seconds": elapsed, "rows": rows, "rows_per_s": rows / elapsed}}


def memory_kib(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise LookupError(field)


def export_child(limit: int) -> None:
    """A process doing nothing but one export, as a worker's child would."""
    setup()
    from django.db import connection

    connection.ensure_connection()
    before = memory_kib("VmRSS")
    figures = export_rate(limit, key="export job writer, 100,000 rows")
    figures["worker memory, MiB (before / peak)"] = {
        "before": before / 1024,
        "peak": memory_kib("VmHWM") / 1024,
    }
    print(json.dumps(figures))


def print_table(results: dict, *, requests: int) -> None:
    sizes = sorted(results)
    small, large = sizes[0], sizes[-1]
    print(f"\n{requests} requests per page case; times in ms unless marked")
    print("| figure | " + " | ".join(f"{size:,}" for size in sizes) + f" | {large:,}/{small:,} |")
    print("|---|" + "---:|" * (len(sizes) + 1))
    for name in results[small]:
        for label, value in rows_of(name, results, sizes):
            cells = [value(results[size].get(name)) for size in sizes]
            ratio = ratio_of(results[small].get(name), results[large].get(name), label)
            print(f"| {label} | " + " | ".join(cells) + f" | {ratio} |")


def rows_of(name: str, results: dict, sizes: list[int]):
    sample = next(results[size][name] for size in sizes if results[size].get(name))
    if "p50" in sample:
        return [
            (f"{name}: p50 / p95 ms", lambda f: f"{f['p50']:.1f} / {f['p95']:.1f}" if f else "—"),
            (f"{name}: queries", lambda f: str(f["queries"]) if f else "—"),
        ]
    if "peak" in sample:
        return [(name, lambda f: f"{f['before']:.0f} / {f['peak']:.0f}" if f else "—")]
    return [
        (f"{name}: seconds (rows)", lambda f: f"{f['seconds']:.2f} ({f['rows']:,})" if f else "—"),
        (f"{name}: rows/s", lambda f: f"{f['rows_per_s']:,.0f}" if f else "—"),
    ]


def ratio_of(small, large, label: str) -> str:
    if not (small and large):
        return "—"
    if "p50" in small:
        return f"{large['p50'] / small['p50']:.2f}" if "p50" in label else "—"
    if "peak" in small:
        return f"{large['peak'] / small['peak']:.2f}"
    key = "rows_per_s" if "rows/s" in label else "seconds"
    return f"{large[key] / small[key]:.2f}"


if __name__ == "__main__":
    main()
