"""A 10,000-application bulk move as a job, through a real Celery worker, end to end.

    bin/python bench/bulk_job_benchmark.py [--source rms_bench_100000] [--rows 10000]
        [--redis redis://127.0.0.1:6379/13]

The demo database `list_benchmark.py` seeds and keeps (rms_bench_<size>) is copied to
rms_bench_bulk_job and migrated there, so the kept one stays as it is; a worker (one
process, as a deploy's) runs on the copy through Redis. The job moves the first `rows` open
applications of the fullest stage tab on, as ticked rows. Prints the seconds from the
commit that queued the job to its first progress and to its end, and the rate.
"""

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from list_benchmark import ENV, PG, ROOT, run

COPY = "rms_bench_bulk_job"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", default="rms_bench_100000")
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/13")
    args = parser.parse_args()
    postgres = ["-h", "127.0.0.1", "-U", "postgres"]
    subprocess.run(["dropdb", *postgres, "--if-exists", COPY], check=True)
    subprocess.run(["createdb", *postgres, "-T", args.source, COPY], check=True)
    url = f"{PG}/{COPY}"
    run(str(ROOT / "bin" / "django"), "migrate", "--no-input", "-v", "0", database_url=url)
    env = {
        **os.environ, **ENV, "DATABASE_URL": url, "CELERY_BROKER_URL": args.redis,
        "RMS_QUEUE": "rms-bulk-job-benchmark",
    }  # fmt: skip
    worker = subprocess.Popen(
        [str(ROOT / "bin" / "celery"), "-A", "rms", "worker", "--concurrency", "1",
         "--without-gossip", "--without-mingle", "--loglevel", "WARNING"],
        env=env, cwd=ROOT, start_new_session=True,
    )  # fmt: skip
    try:
        out = subprocess.run(
            [str(ROOT / "bin" / "python"), __file__, "--measure", str(args.rows)],
            env=env, check=True, text=True, capture_output=True,
        ).stdout  # fmt: skip
    finally:
        worker.terminate()
        worker.wait(timeout=60)
        subprocess.run(["dropdb", *postgres, "--if-exists", COPY], check=True)
    figures = json.loads(out.strip().splitlines()[-1])
    print(
        f"{figures['done']:,} moved, {figures['refused']} refused of {figures['total']:,} "
        f"({args.source}): first progress after {figures['first']:.1f} s, "
        f"finished after {figures['seconds']:.1f} s, "
        f"{figures['done'] / figures['seconds']:.0f} applications/s"
    )


def measure_here(rows: int) -> None:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rms.settings")
    django.setup()
    from django.contrib.auth import get_user_model
    from django.db.models import Count

    from recruitment import services
    from recruitment.models import Application, BulkJob, Stage
    from recruitment.services.bulk import BulkAction

    fullest = (
        Application.objects.filter(closed_at__isnull=True)
        .exclude(stage=Stage.EMPLOYMENT)
        .values("stage")
        .annotate(n=Count("id"))
        .order_by("-n")[0]["stage"]
    )
    ids = Application.objects.filter(closed_at__isnull=True, stage=fullest).order_by("id")
    selected = dict.fromkeys(ids.values_list("pk", flat=True)[:rows], fullest)
    started = time.perf_counter()
    job = services.bulk_job_create(
        owner=get_user_model().objects.get(username="demo"),
        action=BulkAction.MOVE,
        total=len(selected),
        selected=selected,
        stage=Stage.after(fullest),
    )
    first = None
    while True:
        job.refresh_from_db()
        if first is None and job.done + job.refused:
            first = time.perf_counter() - started
        if job.finished:
            break
        time.sleep(0.2)
    seconds = time.perf_counter() - started
    assert job.status == BulkJob.Status.DONE, job.error
    print(json.dumps({"done": job.done, "refused": job.refused, "total": job.total,
                      "first": first, "seconds": seconds}))  # fmt: skip


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--measure":
        measure_here(int(sys.argv[2]))
    else:
        main()
