"""Applicant list speed at 1,000 and 100,000 applicants on PostgreSQL, in one run.

    bin/python bench/list_benchmark.py [--small 1000] [--large 100000] [--requests 50]

Each data set lives in its own PostgreSQL database (rms_bench_<size>), made and filled
by seed_demo on first use and kept for the next run (--fresh rebuilds them). Requests go
through Django's test client in a process per data set, so the figures are the
application's own time: URL routing, middleware, queries and template rendering.
Prints median and p95 per case and the ratio of the large set's median to the small's.

Then two figures of the recruiter's day: the list opened through a saved view (its menu
counting it live), and a bulk move of "all matching" a stage tab, capped at 10,000
applications, timed in seconds with its queries per application; the move is rolled
back, so the kept databases stay as seeded.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PG = "postgres://postgres@127.0.0.1:5432"
ENV = {"SECRET_KEY": "benchmark-only", "DEBUG": "0", "HTTPS": "0", "ALLOWED_HOSTS": "testserver"}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--small", type=int, default=1000)
    parser.add_argument("--large", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=50)
    parser.add_argument("--fresh", action="store_true", help="drop and reseed the databases")
    args = parser.parse_args()
    # With DEBUG off, pages name the static files by their hashed names: collect them.
    run(str(ROOT / "bin" / "django"), "collectstatic", "--no-input", "-v", "0", database_url=PG)
    results = {}
    for size in (args.small, args.large):
        url = prepare(size, fresh=args.fresh)
        results[size] = measure(url, requests=args.requests)
    print_table(results, small=args.small, large=args.large, requests=args.requests)
    print_bulk(results, small=args.small, large=args.large)


def run(*command: str, database_url: str, capture: bool = False) -> str:
    env = {**os.environ, **ENV, "DATABASE_URL": database_url}
    done = subprocess.run(command, env=env, check=True, text=True, capture_output=capture)
    return done.stdout


def prepare(size: int, *, fresh: bool) -> str:
    name = f"rms_bench_{size}"
    if fresh:
        subprocess.run(
            ["dropdb", "-h", "127.0.0.1", "-U", "postgres", "--if-exists", name], check=True
        )
    subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", name], capture_output=True)
    url = f"{PG}/{name}"
    django = str(ROOT / "bin" / "django")
    run(django, "migrate", "--no-input", "-v", "0", database_url=url)
    print(f"seeding {size} applicants into {name} (kept for the next run)", flush=True)
    run(django, "seed_demo", "--applicants", str(size), database_url=url)
    run(django, "shell", "-v", "0", "-c", "from django.db import connection; "
        "connection.cursor().execute('VACUUM ANALYZE')", database_url=url)  # fmt: skip
    return url


def measure(url: str, *, requests: int) -> dict:
    python = str(ROOT / "bin" / "python")
    out = run(python, __file__, "--measure", str(requests), database_url=url, capture=True)
    return json.loads(out.strip().splitlines()[-1])


def cases() -> dict[str, tuple[str, dict]]:
    """Each case's URL and query, with values drawn from the demo data itself."""
    from recruitment.models import Applicant, City

    sample = Applicant.objects.order_by("id").first()
    poznan = City.objects.get(name="Poznań")
    return {
        "list, unfiltered": ("/applicants/", {}),
        "three filters (tag, city, experience)": (
            "/applicants/",
            {"tags": "python", "city": poznan.pk, "experience_min": 3},
        ),
        "text search (surname prefix)": ("/applicants/", {"q": sample.last_name[:4]}),
        "sort by latest activity": ("/applicants/", {"sort": "-latest_activity"}),
        "page 1,000": ("/applicants/", {"page": 1000}),
        "typeahead": ("/applicants/suggest/", {"q": sample.first_name[:3]}),
    }


def measure_here(requests: int) -> None:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rms.settings")
    django.setup()
    from django.contrib.auth import get_user_model
    from django.test import Client

    client = Client()
    client.force_login(get_user_model().objects.get(username="demo"))
    timings = {
        name: timed(client, path, query, requests) for name, (path, query) in cases().items()
    }
    view = saved_view()
    timings["saved view (opened, counted in the menu)"] = timed(client, *view, requests)
    timings["bulk"] = bulk_move()
    print(json.dumps(timings))


def timed(client, path: str, query: dict, requests: int) -> dict:
    for _ in range(3):
        client.get(path, query)
    samples = []
    for _ in range(requests):
        started = time.perf_counter()
        response = client.get(path, query)
        samples.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (path, response.status_code)
    samples.sort()
    return {
        "median": statistics.median(samples),
        "p95": samples[max(0, round(0.95 * len(samples)) - 1)],
    }


def saved_view() -> tuple[str, dict]:
    """The demo recruiter's shared view of Python people at the interview, by name."""
    from django.http import QueryDict

    from recruitment.models import SavedView

    query = "tags=python&stage=interview&sort=name"
    view, _ = SavedView.objects.get_or_create(
        owner=_demo_user(), name="Python interviews",
        defaults={"query": query, "is_shared": True},
    )  # fmt: skip
    return "/applicants/", {**QueryDict(query).dict(), "view": view.pk}


def _demo_user():
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(username="demo")


def bulk_move(limit: int = 10_000) -> dict:
    """Move up to `limit` applications of the fullest stage tab on, as "all matching"."""
    from django.db import connection, transaction
    from django.db.models import Count

    from recruitment.models import Application, Stage
    from recruitment.services import applications_bulk_apply
    from recruitment.services.bulk import BulkAction, BulkSelection

    fullest = (
        Application.objects.filter(closed_at__isnull=True)
        .exclude(stage=Stage.EMPLOYMENT)
        .values("stage")
        .annotate(n=Count("id"))
        .order_by("-n")[0]["stage"]
    )
    ids = Application.objects.filter(closed_at__isnull=True, stage=fullest).order_by("id")
    selection = BulkSelection(
        expected=dict.fromkeys(ids.values_list("pk", flat=True)[:limit], fullest)
    )
    queries = []

    def count(execute, sql, params, many, context):
        # Counted here, not with CaptureQueriesContext: Django keeps only the last 9,000.
        queries.append(None)
        return execute(sql, params, many, context)

    with transaction.atomic(), connection.execute_wrapper(count):
        started = time.perf_counter()
        result = applications_bulk_apply(
            selection=selection,
            action=BulkAction.MOVE,
            stage=Stage.after(fullest),
            actor=_demo_user(),
        )
        seconds = time.perf_counter() - started
        transaction.set_rollback(True)
    rows = len(selection.expected)
    return {
        "rows": rows,
        "done": result.done,
        "seconds": seconds,
        "queries_per_row": len(queries) / rows,
    }


def print_bulk(results: dict, *, small: int, large: int) -> None:
    print("\nbulk move of all matching a stage tab (rolled back)\n")
    print("| applicants | rows moved | seconds | ms per row | queries per row |")
    print("|---:|---:|---:|---:|---:|")
    for size in (small, large):
        bulk = results[size]["bulk"]
        print(
            f"| {size:,} | {bulk['done']:,} | {bulk['seconds']:.1f} "
            f"| {1000 * bulk['seconds'] / bulk['rows']:.2f} | {bulk['queries_per_row']:.2f} |"
        )


def print_table(results: dict, *, small: int, large: int, requests: int) -> None:
    print(
        f"\n{requests} requests per case; times in ms; ratio = median at {large:,} / at {small:,}\n"
    )
    header = (
        f"| case | {small:,} median | {small:,} p95 | {large:,} median | {large:,} p95 | ratio |"
    )
    print(header)
    print("|---|---:|---:|---:|---:|---:|")
    for name in results[small]:
        if name == "bulk":
            continue
        a, b = results[small][name], results[large][name]
        print(
            f"| {name} | {a['median']:.1f} | {a['p95']:.1f} | {b['median']:.1f} "
            f"| {b['p95']:.1f} | {b['median'] / a['median']:.2f} |"
        )


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--measure":
        measure_here(int(sys.argv[2]))
    else:
        main()
