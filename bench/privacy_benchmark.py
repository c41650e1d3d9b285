"""The personal-data figures on PostgreSQL: the nightly retention run over 100,000
applicants with a tenth of them due, and the record page with the access log on and off.

    bin/python bench/privacy_benchmark.py [--source rms_privacy_bench_100000]
        [--applicants 100000] [--due-share 0.1] [--requests 300]

The source database (or DATABASE_URL's, when --source is not given and it is set) is
made and seeded by seed_demo on first use and kept; each run works on a copy
(rms_privacy_bench_run), dropped at the end, so the kept one stays as seeded.

On the copy, every applicant whose id is a multiple of 1/due-share has all their
applications closed 200 days ago (past the six-month rule), everyone else's recruitment
ended 30 days ago or goes on: the due set is exactly that share. Then, in one process:

1. the record page of 50 applicants, requested --requests times with the access log on
   and as often with it off, interleaved (each page twice in a row, on and off, taking
   turns which goes first) so both see the same pages and machine; median and p95 of
   each, and the ratio of the p95s;
2. retention_run() once: its seconds, the process's peak memory (RSS) before and after,
   and how many were anonymised against how many were due.
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
ENV = {
    "SECRET_KEY": "benchmark-only", "DEBUG": "0", "HTTPS": "0", "ALLOWED_HOSTS": "testserver",
    # With DEBUG off pages name the static files by their hashed names: collected here.
    "STATIC_ROOT": str(ROOT / "var" / "bench-static"),
}  # fmt: skip
COPY = "rms_privacy_bench_run"
POSTGRES = ["-h", "127.0.0.1", "-U", "postgres"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", default=None, help="the kept, seeded database's name")
    parser.add_argument("--applicants", type=int, default=100_000)
    parser.add_argument("--due-share", type=float, default=0.1)
    parser.add_argument("--requests", type=int, default=300)
    args = parser.parse_args()
    source = args.source or _name_from_env() or f"rms_privacy_bench_{args.applicants}"
    run(str(ROOT / "bin" / "django"), "collectstatic", "--no-input", "-v", "0", database_url=PG)
    _seed_once(source, applicants=args.applicants)
    subprocess.run(["dropdb", *POSTGRES, "--if-exists", COPY], check=True)
    subprocess.run(["createdb", *POSTGRES, "-T", source, COPY], check=True)
    url = f"{PG}/{COPY}"
    try:
        run(str(ROOT / "bin" / "django"), "migrate", "--no-input", "-v", "0", database_url=url)
        out = run(
            str(ROOT / "bin" / "python"), __file__, "--measure",
            json.dumps({"every": round(1 / args.due_share), "requests": args.requests}),
            database_url=url, capture=True,
        )  # fmt: skip
    finally:
        subprocess.run(["dropdb", *POSTGRES, "--if-exists", COPY], check=True)
    report(json.loads(out.strip().splitlines()[-1]), source=source, requests=args.requests)


def run(*command: str, database_url: str, capture: bool = False) -> str:
    env = {**os.environ, **ENV, "DATABASE_URL": database_url}
    done = subprocess.run(command, env=env, check=True, text=True, capture_output=capture)
    return done.stdout


def _name_from_env() -> str | None:
    url = os.environ.get("DATABASE_URL", "")
    return url.rsplit("/", 1)[-1] if url.startswith("postgres") else None


def _seed_once(name: str, *, applicants: int) -> None:
    subprocess.run(["createdb", *POSTGRES, name], capture_output=True)
    url = f"{PG}/{name}"
    django = str(ROOT / "bin" / "django")
    run(django, "migrate", "--no-input", "-v", "0", database_url=url)
    print(f"seeding {applicants} applicants into {name} (kept for the next run)", flush=True)
    run(django, "seed_demo", "--applicants", str(applicants), "-v", "0", database_url=url)
    run(django, "shell", "-v", "0", "-c", "from django.db import connection; "
        "connection.cursor().execute('VACUUM ANALYZE')", database_url=url)  # fmt: skip


def report(figures: dict, *, source: str, requests: int) -> None:
    on, off = figures["page_on"], figures["page_off"]
    print(f"{figures['applicants']:,} applicants ({source}), {figures['due']:,} due")
    print(
        f"record page, {requests} requests each, interleaved: access log on median "
        f"{on['median']:.1f} ms p95 {on['p95']:.1f} ms; off median {off['median']:.1f} ms "
        f"p95 {off['p95']:.1f} ms; p95 ratio on/off {on['p95'] / off['p95']:.3f}"
    )
    print(
        f"nightly retention run: {figures['anonymised']:,} anonymised of {figures['due']:,} "
        f"due in {figures['seconds']:.1f} s; peak RSS {figures['rss_before_mb']:.0f} MB "
        f"before, {figures['rss_after_mb']:.0f} MB after"
    )


# --- In the measuring process ----------------------------------------------------------


def measure_here(every: int, requests: int) -> None:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rms.settings")
    django.setup()
    from django.utils import timezone

    from privacy import selectors

    now = timezone.now()
    _make_due(every=every, now=now)
    due = selectors.retention_due(now=now).count()
    page_on, page_off = _record_pages(requests)
    figures = _retention_run(now)
    from recruitment.models import Applicant

    print(json.dumps({
        "applicants": Applicant.objects.count(), "due": due,
        "page_on": page_on, "page_off": page_off, **figures,
    }))  # fmt: skip


def _make_due(*, every: int, now) -> None:
    """Everyone's recruitment ended 30 days ago or goes on; each `every`-th applicant's
    ended 200 days ago, all their applications closed."""
    from datetime import timedelta

    from django.db.models import Q

    from recruitment.models import Application, Stage

    recent, old = now - timedelta(days=30), now - timedelta(days=200)
    Application.objects.filter(closed_at__isnull=False).update(closed_at=recent)
    Application.objects.filter(closed_at__isnull=True, stage=Stage.EMPLOYMENT).update(
        stage_changed_at=recent
    )
    chosen = Q(applicant_id__in=_every(every))
    Application.objects.filter(chosen).update(closed_at=old, close_reason="rejected")


def _every(every: int):
    from django.db.models import F
    from django.db.models.functions import Mod

    from recruitment.models import Applicant

    return Applicant.objects.annotate(m=Mod(F("pk"), every)).filter(m=0).values("pk")


def _record_pages(requests: int) -> tuple[dict, dict]:
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.test import Client

    from privacy.services.access_log import access_log_discard, access_log_flush
    from recruitment.models import Applicant

    client = Client()
    client.force_login(get_user_model().objects.get(username="demo"))
    paths = [
        f"/applicants/{pk}/"
        for pk in Applicant.objects.order_by("-pk").values_list("pk", flat=True)[:50]
    ]
    samples = {True: [], False: []}
    for number in range(requests * 2 + 20):
        # Each applicant's page twice in a row, once with the log and once without,
        # which one first taking turns: both sides see the same pages in the same state.
        pair = number // 2
        logged = (number + pair) % 2 == 0
        settings.RMS_ACCESS_LOG = logged
        started = time.perf_counter()
        response = client.get(paths[pair % len(paths)])
        elapsed = (time.perf_counter() - started) * 1000
        assert response.status_code == 200, response.status_code
        if number >= 20:  # the first ones warm the caches
            samples[logged].append(elapsed)
    access_log_flush()
    access_log_discard()
    return _spread(samples[True]), _spread(samples[False])


def _spread(samples: list[float]) -> dict:
    samples.sort()
    return {
        "median": statistics.median(samples),
        "p95": samples[max(0, round(0.95 * len(samples)) - 1)],
    }


def _retention_run(now) -> dict:
    import resource

    from privacy.services import retention_run
    from recruitment.models import Applicant

    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    started = time.perf_counter()
    result = retention_run(now=now)
    seconds = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    assert result.anonymised == Applicant.objects.filter(anonymised_at__isnull=False).count()
    return {
        "seconds": seconds, "anonymised": result.anonymised,
        "rss_before_mb": before, "rss_after_mb": after,
    }  # fmt: skip


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--measure":
        measure_here(**json.loads(sys.argv[2]))
    else:
        main()
