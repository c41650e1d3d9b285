"""Queue figures: what moving mail and exports out of the request buys, in one run.

    bin/python-tests bench/queue_figures.py [--moves 15] [--tasks 500] [--rows 100000]

Uses its own PostgreSQL database (rms_queuebench, its 100,000 export rows kept for the
next run), Redis database 13, an SMTP sink on loopback that answers each message after
500 ms, and one real `bin/celery worker` (prefork, one child) on the production settings.
Prints:
- a stage move with a stage e-mail, request time (median): the mail sent inside the
  request (tasks run in-process, as before the queue) vs. queued for the worker;
- tasks per second through the worker (e-mails to a sink that answers at once);
- the worker's resident memory (main process + child) idle and after those tasks;
- an export of --rows rows as a job (CSV and XLSX): seconds, and the child's peak memory.
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

from tests.deploy.sandbox import free_port  # noqa: E402
from tests.queue.smtp_sink import SmtpSink  # noqa: E402
from tests.queue.worker import Worker  # noqa: E402

DATABASE = "rms_queuebench"
BROKER = "redis://127.0.0.1:6379/13"


def arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--moves", type=int, default=15)
    parser.add_argument("--tasks", type=int, default=500)
    parser.add_argument("--rows", type=int, default=100_000)
    return parser.parse_args()


def environment(sink_port: int, private: str) -> dict[str, str]:
    return {
        "DJANGO_SETTINGS_MODULE": "rms.settings",
        "SECRET_KEY": "benchmark-only-not-secret",
        "DEBUG": "0",
        "HTTPS": "0",
        "ALLOWED_HOSTS": "testserver",
        "LOG_LEVEL": "WARNING",
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{DATABASE}",
        "CELERY_BROKER_URL": BROKER,
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(sink_port),
        "RMS_PRIVATE_DIR": private,
    }


def database_prepare(env: dict[str, str]) -> None:
    exists = subprocess.run(
        ["psql", "-h", "127.0.0.1", "-U", "postgres", "-tAc",
         "SELECT 1 FROM pg_database WHERE datname = 'rms_queuebench'"],
        capture_output=True, text=True, check=True,
    ).stdout.strip()  # fmt: skip
    if not exists:
        subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", DATABASE], check=True)
    subprocess.run(
        [str(ROOT / "bin" / "django"), "migrate", "--no-input", "-v", "0"],
        env={**os.environ, **env}, check=True,
    )  # fmt: skip


def rss_kib(pid: int, field: str = "VmRSS") -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1])
    return 0


def children(pid: int) -> list[int]:
    text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    return [int(child) for child in text.split()]


def worker_memory(worker: Worker, field: str = "VmRSS") -> int:
    main = worker.process.pid
    return rss_kib(main, field) + sum(rss_kib(child, field) for child in children(main))


def wait(predicate, timeout: float = 600) -> float:
    started = time.monotonic()
    while not predicate():
        if time.monotonic() - started > timeout:
            raise SystemExit(f"gave up after {timeout} s")
        time.sleep(0.02)
    return time.monotonic() - started


def move_times(client, application, moves: int) -> list[float]:
    from recruitment.models import Stage

    times = []
    for _ in range(moves):
        application.refresh_from_db()
        seen = application.stage
        target = Stage.INTERVIEW if seen == Stage.VERIFICATION else Stage.VERIFICATION
        started = time.perf_counter()
        response = client.post(
            f"/applications/{application.pk}/move/",
            {"stage": target, "expected_stage": seen, "send_email": "on"},
        )
        times.append(time.perf_counter() - started)
        assert response.status_code == 302, response.status_code
    return times


def stage_move_figures(sink, moves: int) -> tuple[float, float]:
    from django.test import Client

    from recruitment.factories import ApplicantFactory, ApplicationFactory, UserFactory
    from recruitment.models import OutgoingEmail, Stage, StageEmailTemplate
    from rms.celery import app
    from tests.conftest import role

    for stage in (Stage.INTERVIEW, Stage.VERIFICATION):
        StageEmailTemplate.objects.update_or_create(
            stage=stage, defaults={"subject": "About $vacancy", "body": "Hello", "is_active": True}
        )
    run = time.time_ns()  # the database is kept between runs: names of this run's own
    user = UserFactory(username=f"bench-{run}")
    user.groups.add(role("recruiters"))
    client = Client()
    client.force_login(user)
    application = ApplicationFactory(
        applicant=ApplicantFactory(email=f"mover-{run}@example.com"), stage=Stage.VERIFICATION
    )
    sink.data_delay = 0.5

    app.conf.task_always_eager = True
    inline = move_times(client, application, moves)
    app.conf.task_always_eager = False
    queued = move_times(client, application, moves)
    wait(lambda: not OutgoingEmail.objects.filter(status="queued").exists())
    sink.data_delay = 0
    return statistics.median(inline), statistics.median(queued)


def throughput(count: int) -> float:
    from recruitment.models import OutgoingEmail
    from recruitment.tasks import email_deliver

    rows = OutgoingEmail.objects.bulk_create(
        OutgoingEmail(message_id=f"<bench-{time.time_ns()}-{n}@rms>", to="x@example.com",
                      subject="bench", body="bench")
        for n in range(count)
    )  # fmt: skip
    pks = [row.pk for row in rows]
    started = time.monotonic()
    for pk in pks:
        email_deliver.delay(pk)
    wait(lambda: not OutgoingEmail.objects.filter(pk__in=pks, status="queued").exists())
    return count / (time.monotonic() - started)


def rows_ensure(count: int) -> None:
    from recruitment.models import Applicant, Application, City, Stage, Vacancy

    have = Application.objects.filter(vacancy__title="Export bench").count()
    if have >= count:
        return
    vacancy = Vacancy.objects.create(title="Export bench")
    city = City.objects.get_or_create(name="Benchville")[0]
    for start in range(have, count, 10_000):
        applicants = Applicant.objects.bulk_create(
            Applicant(first_name="Bench", last_name=f"Row{n}", email=f"bench{n}@x.io", city=city)
            for n in range(start, min(start + 10_000, count))
        )
        Application.objects.bulk_create(
            Application(applicant=a, vacancy=vacancy, stage=Stage.APPLICATION) for a in applicants
        )


def export_figure(worker: Worker, fmt: str, count: int) -> tuple[float, int]:
    from django.contrib.auth import get_user_model
    from django.db import transaction

    from recruitment import services
    from recruitment.models import ExportJob

    owner = get_user_model().objects.filter(groups__name="recruiters").first()
    with transaction.atomic():
        job = services.export_job_create(owner=owner, query="q=Bench", fmt=fmt, total=count)
    seconds = wait(lambda: ExportJob.objects.get(pk=job.pk).finished)
    job.refresh_from_db()
    assert job.status == "done", job.error
    (child,) = children(worker.process.pid)
    return seconds, rss_kib(child, "VmHWM")


def main() -> None:
    args = arguments()
    private = tempfile.mkdtemp(prefix="rms-queuebench-")
    with SmtpSink(free_port()) as sink:
        env = environment(sink.port, private)
        os.environ.update(env)
        database_prepare(env)
        import django

        django.setup()
        import redis

        redis.Redis.from_url(BROKER).flushdb()
        worker = Worker({**os.environ}, Path(private) / "worker.log", name="bench")
        worker.start()
        try:
            idle = worker_memory(worker)
            inline, queued = stage_move_figures(sink.handler, args.moves)
            rate = throughput(args.tasks)
            busy = worker_memory(worker)
            rows_ensure(args.rows)
            exports = {}
            for fmt in ("csv", "xlsx"):
                worker.stop()
                worker.start()  # a fresh child, so its peak is this export's
                exports[fmt] = export_figure(worker, fmt, args.rows)
        finally:
            worker.stop()
    report(args, inline, queued, rate, idle, busy, exports)


def report(args, inline, queued, rate, idle, busy, exports) -> None:
    print(f"stage move with a mail, SMTP answering in 500 ms (median of {args.moves}):")
    print(f"  mail sent in the request: {inline * 1000:8.1f} ms")
    print(f"  mail queued:              {queued * 1000:8.1f} ms   ({inline / queued:.0f}x faster)")
    print(f"tasks through one worker (concurrency 1): {rate:.0f} e-mails/s ({args.tasks} tasks)")
    print(f"worker RSS (main + child): idle {idle / 1024:.0f} MiB, ", end="")
    print(f"after the tasks {busy / 1024:.0f} MiB")
    for fmt, (seconds, peak) in exports.items():
        print(
            f"export of {args.rows:,} rows as a job, {fmt.upper()}: {seconds:.1f} s, "
            f"peak worker child memory {peak / 1024:.0f} MiB"
        )


if __name__ == "__main__":
    main()
