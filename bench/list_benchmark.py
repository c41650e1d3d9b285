"""Applicant list speed on PostgreSQL at several sizes (1,000 / 100,000 / 1,000,000
applicants), in one run.

    bin/python bench/list_benchmark.py [--sizes 1000 100000 1000000] [--requests 30]
        [--database 1000000=rms_seed_1m_copy] [--bulk]

Each size reads its own database: `--database SIZE=NAME`, or else
$RMS_BENCH_DB_PREFIX<size> (prefix `rms_bench_` by default) on the server of
$RMS_BENCH_POSTGRES (`postgres://postgres@127.0.0.1:5432` by default). A database that
does not exist is made, migrated and filled by `seed_demo --cv-text` (most applicants
with a CV's text, as real ones have; at 1,000,000 applicants that takes 45 minutes or
more) and kept for the next run; --fresh rebuilds them. An existing one is migrated to
this checkout first: a database seeded before --cv-text existed has no CV text, and
its search figures are not comparable.

Requests go through Django's test client in a process per data set, with DEBUG off and
the static files collected into var/bench-static (so pages name their hashed files as
in production), so the figures are the application's own time: URL routing,
middleware, queries and template rendering. Prints the median (p50) and p95 per case,
the ratio of the largest size's median to the smallest's, and the queries per request.

--bulk adds the recruiter's-day bulk move: "all matching" the fullest stage tab, capped
at 10,000 applications, timed with its queries per application and rolled back.
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
STATIC_ROOT = ROOT / "var" / "bench-static"
ENV = {
    "SECRET_KEY": "benchmark-only",
    "DEBUG": "0",
    "HTTPS": "0",
    "ALLOWED_HOSTS": "testserver",
    "STATIC_ROOT": str(STATIC_ROOT),
}
NO_MATCH = "zzqxw"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 100_000, 1_000_000])
    parser.add_argument("--requests", type=int, default=30)
    parser.add_argument(
        "--database",
        action="append",
        default=[],
        metavar="SIZE=NAME",
        help="the database holding SIZE applicants (default $RMS_BENCH_DB_PREFIX<size>)",
    )
    parser.add_argument("--fresh", action="store_true", help="drop and reseed the databases")
    parser.add_argument("--bulk", action="store_true", help="also time a bulk move")
    args = parser.parse_args()
    server = os.environ.get("RMS_BENCH_POSTGRES", "postgres://postgres@127.0.0.1:5432")
    prefix = os.environ.get("RMS_BENCH_DB_PREFIX", "rms_bench_")
    names = {size: f"{prefix}{size}" for size in args.sizes}
    for item in args.database:
        size, _, name = item.partition("=")
        names[int(size)] = name
    collect_static(f"{server}/postgres")
    results = {}
    for size in args.sizes:
        url = prepare(server, names[size], size, fresh=args.fresh)
        results[size] = measure(url, requests=args.requests, bulk=args.bulk)
    print_table(results, sizes=args.sizes, requests=args.requests, names=names)
    if args.bulk:
        print_bulk(results, sizes=args.sizes)


def collect_static(database_url: str) -> None:
    # With DEBUG off, pages name the static files by their hashed names, read from the
    # manifest collectstatic writes: without it every page stops with "Missing
    # staticfiles manifest entry". The built front end (make build) is its input.
    if not (ROOT / "static" / "dist").is_dir():
        sys.exit("static/dist is missing: run `make build` first.")
    django = str(ROOT / "bin" / "django")
    run(django, "collectstatic", "--no-input", "-v", "0", database_url=database_url)


def run(*command: str, database_url: str, capture: bool = False) -> str:
    env = {**os.environ, **ENV, "DATABASE_URL": database_url}
    done = subprocess.run(command, env=env, check=True, text=True, capture_output=capture)
    return done.stdout


def prepare(server: str, name: str, size: int, *, fresh: bool) -> str:
    host = [f"--maintenance-db={server}/postgres"]
    if fresh:
        subprocess.run(["dropdb", "--if-exists", *host, name], check=True)
    created = subprocess.run(["createdb", *host, name], capture_output=True).returncode == 0
    url = f"{server}/{name}"
    django = str(ROOT / "bin" / "django")
    run(django, "migrate", "--no-input", "-v", "0", database_url=url)
    if created:
        print(f"seeding {size} applicants into {name} (kept for the next run)", flush=True)
        run(django, "seed_demo", "--applicants", str(size), "--cv-text", database_url=url)
    run(django, "shell", "-v", "0", "-c", "from django.db import connection; "
        "connection.cursor().execute('VACUUM ANALYZE')", database_url=url)  # fmt: skip
    return url


def measure(url: str, *, requests: int, bulk: bool) -> dict:
    python = str(ROOT / "bin" / "python")
    command = [python, __file__, "--measure", str(requests), *(["--bulk"] if bulk else [])]
    out = run(*command, database_url=url, capture=True)
    return json.loads(out.strip().splitlines()[-1])


def cases() -> dict[str, tuple[str, dict]]:
    """Each case's URL and query, with values drawn from the demo data itself."""
    from recruitment.models import Applicant, City, Stage

    sample = Applicant.objects.order_by("id").first()
    with_phone = Applicant.objects.exclude(phone="").order_by("id").first()
    poznan = City.objects.get(name="Poznań")
    listed = {
        "list, unfiltered": {},
        "three filters (tag, city, experience)": {
            "tags": "python",
            "city": poznan.pk,
            "experience_min": 3,
        },
        # One of the demo's eight cities, each 12 % of the applicants: a broad filter.
        "one city (Poznań)": {"city": poznan.pk},
        "text search (surname prefix)": {"q": sample.last_name[:4]},
        "sort by latest activity": {"sort": "-latest_activity"},
        "page 1,000 (Next from page 999)": deep_page(1000),
        "last page": {"page": last_page()},
        **{f"tab: {stage.label}": {"stage": stage.value} for stage in Stage},
        "tab: Closed": {"stage": "closed"},
    }
    return {
        **{name: ("/applicants/", query) for name, query in listed.items()},
        "typeahead, a name": ("/applicants/suggest/", {"q": sample.first_name[:3]}),
        "typeahead, no match": ("/applicants/suggest/", {"q": NO_MATCH}),
        "typeahead, a name and an initial": (
            "/applicants/suggest/",
            {"q": f"{sample.first_name} {sample.last_name[:1]}"},
        ),
        "typeahead, two short prefixes": (
            "/applicants/suggest/",
            {"q": f"{sample.first_name[:2]} {sample.last_name[:2]}"},
        ),
        "typeahead, one-letter words": ("/applicants/suggest/", {"q": "a b c d e f g h"}),
        "typeahead, a half-typed address": (
            "/applicants/suggest/",
            {"q": sample.email.split("@")[0] + "@"},
        ),
        # "+48 730": the country code, which every phone has, and the first digits.
        "typeahead, a phone's start": ("/applicants/suggest/", {"q": with_phone.phone[:7]}),
        "typeahead, a word from CVs": ("/applicants/suggest/", {"q": "kubern"}),
        # Words one applicant in fifty to a hundred has: too few for the 500 most recent
        # applicants to hold ten, thousands of matches at a million.
        "typeahead, a common first name": ("/applicants/suggest/", {"q": "anna"}),
        "typeahead, a town CVs name": ("/applicants/suggest/", {"q": "Wrocław"}),
    }


def deep_page(number: int, per_page: int = 50) -> dict:
    """Page `number` as its Next link from the page before reaches it: with the cursor of
    that page's last row. A smaller list's middle page stands in for it."""
    from django.http import QueryDict

    from recruitment.filters import ApplicationFilterSet
    from recruitment.models import Application
    from recruitment.paging import cursor_for, sort_keys, with_sort_values

    pages = max(1, -(-Application.objects.filter(closed_at__isnull=True).count() // per_page))
    number = min(number, max(2, pages // 2))
    filterset = ApplicationFilterSet(QueryDict(), queryset=Application.objects.all())
    keys = sort_keys(filterset.qs)
    seek = with_sort_values(filterset.qs, keys).values_list(
        *(f"seek_{index}" for index in range(len(keys)))
    )
    last_before = seek[(number - 1) * per_page - 1]
    return {"page": number, "after": cursor_for(last_before, sort="")}


def last_page(per_page: int = 50) -> int:
    from recruitment.selectors import application_stage_counts

    return max(1, -(-application_stage_counts()["all"] // per_page))


def measure_here(requests: int, *, bulk: bool) -> None:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rms.settings")
    django.setup()
    from django.test import Client

    from recruitment.models import SavedView

    client = Client()
    client.force_login(_demo_user())
    timings = {
        name: timed(client, path, query, requests) for name, (path, query) in cases().items()
    }
    view = saved_view()
    try:
        timings["saved view (opened)"] = timed(client, *view, requests)
        # The menu's live counts, which the page asks for once it is shown.
        menu = ("/applicants/views/menu/", {"view": view[1]["view"]})
        timings["saved views' menu counts (after the page)"] = timed(client, *menu, requests)
    finally:
        # Every list page counts the user's saved views in its menu: left behind, the
        # view would weigh on the next run's list cases.
        SavedView.objects.filter(pk=view[1]["view"]).delete()
    if bulk:
        timings["bulk"] = bulk_move()
    print(json.dumps(timings))


def timed(client, path: str, query: dict, requests: int) -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        response = client.get(path, query)
    # Read now: the next request's request_started signal empties the query log.
    queries = len(captured)
    assert response.status_code == 200, (path, response.status_code)
    for _ in range(2):
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
        "queries": queries,
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


def print_bulk(results: dict, *, sizes: list[int]) -> None:
    print("\nbulk move of all matching a stage tab (rolled back)\n")
    print("| applicants | rows moved | seconds | ms per row | queries per row |")
    print("|---:|---:|---:|---:|---:|")
    for size in sizes:
        bulk = results[size]["bulk"]
        print(
            f"| {size:,} | {bulk['done']:,} | {bulk['seconds']:.1f} "
            f"| {1000 * bulk['seconds'] / bulk['rows']:.2f} | {bulk['queries_per_row']:.2f} |"
        )


def print_table(results: dict, *, sizes: list[int], requests: int, names: dict) -> None:
    small, large = sizes[0], sizes[-1]
    databases = ", ".join(f"{size:,}: {names[size]}" for size in sizes)
    print(
        f"\n{requests} requests per case; times in ms; ratio = p50 at {large:,} / p50 at "
        f"{small:,}; queries = per request at {large:,} ({databases})\n"
    )
    columns = " | ".join(f"{size:,} p50 | {size:,} p95" for size in sizes)
    print(f"| case | {columns} | ratio | queries |")
    print("|---|" + "---:|" * (2 * len(sizes) + 2))
    for name in results[small]:
        if name == "bulk":
            continue
        cells = " | ".join(
            f"{results[size][name]['median']:.1f} | {results[size][name]['p95']:.1f}"
            for size in sizes
        )
        ratio = results[large][name]["median"] / results[small][name]["median"]
        print(f"| {name} | {cells} | {ratio:.2f} | {results[large][name]['queries']} |")


if __name__ == "__main__":
    if len(sys.argv) >= 3 and sys.argv[1] == "--measure":
        measure_here(int(sys.argv[2]), bulk="--bulk" in sys.argv)
    else:
        main()
