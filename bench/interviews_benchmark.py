"""'My interviews' and the recruiters' calendar week with 10,000 interviews on PostgreSQL.

    bin/python bench/interviews_benchmark.py [--database-url URL] [--interviews 10000]
                                             [--requests 50] [--fresh]

The database is --database-url, else $DATABASE_URL, else rms_bench_interviews on the
local PostgreSQL; it is made, migrated and filled on first use and kept for the next run
(--fresh refills it). The data: 40 interviewers on 20 vacancies, 4,000 applications, the
interviews spread over the last two years and the next month, two or three interviewers
each, the past ones with their scorecards. Requests go through Django's test client, so
the figures are the application's own time (routing, middleware, queries, templates).
Prints median and p95 per page in milliseconds and the queries each page made.
"""

import argparse
import os
import random
import statistics
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/rms_bench_interviews"
INTERVIEWERS = 40
VACANCIES = 20
APPLICATIONS = 4000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL") or DEFAULT_URL)
    parser.add_argument("--interviews", type=int, default=10_000)
    parser.add_argument("--requests", type=int, default=50)
    parser.add_argument("--fresh", action="store_true", help="empty and refill the database")
    args = parser.parse_args()
    if not args.database_url.startswith("postgres"):
        sys.exit("interviews_benchmark: give a PostgreSQL --database-url")
    name = urlsplit(args.database_url).path.lstrip("/")
    if args.fresh:
        subprocess.run(["dropdb", "-h", "127.0.0.1", "-U", "postgres", "--if-exists", name])
    subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", name], capture_output=True)
    os.environ.update(
        {
            "DATABASE_URL": args.database_url,
            "SECRET_KEY": "benchmark-only",
            "DEBUG": "0",
            "HTTPS": "0",
            "ALLOWED_HOSTS": "testserver",
            "DJANGO_SETTINGS_MODULE": "rms.settings",
        }
    )
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", "--no-input", verbosity=0)
    # With DEBUG off, pages name the static files by their hashed names: collect them.
    call_command("collectstatic", "--no-input", verbosity=0)
    fill(args.interviews)
    report(args.interviews, args.requests)


def fill(total: int) -> None:
    from interviews.models import Interview

    if Interview.objects.count() >= total:
        return
    print(f"filling {total} interviews (kept for the next run)", flush=True)
    rng = random.Random(15)  # noqa: S311 (made-up data, the same on every run)
    panels, vacancies = _people_and_vacancies()
    applications = _applications(rng, vacancies)
    interviews = _interviews(rng, total, applications)
    _panels_and_scorecards(rng, interviews, panels)
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")


def _people_and_vacancies():
    from django.contrib.auth.models import Group

    from recruitment.factories import UserFactory, VacancyFactory

    group, _ = Group.objects.get_or_create(name="interviewers")
    recruiters, _ = Group.objects.get_or_create(name="recruiters")
    UserFactory(username="bench-recruiter").groups.add(recruiters)
    people = []
    for number in range(INTERVIEWERS):
        person = UserFactory(username=f"bench-interviewer-{number}")
        person.groups.add(group)
        people.append(person)
    vacancies = [VacancyFactory() for _ in range(VACANCIES)]
    panels = {}
    for index, vacancy in enumerate(vacancies):
        panels[vacancy.pk] = [people[(index * 2 + k) % INTERVIEWERS] for k in range(6)]
        vacancy.interviewers.set(panels[vacancy.pk])
    return panels, vacancies


def _applications(rng, vacancies):
    from recruitment.models import Applicant, Application, Stage

    applicants = Applicant.objects.bulk_create(
        Applicant(first_name=f"Łucja{n}", last_name=f"Śliwińska{n}", email=f"bench{n}@example.com")
        for n in range(APPLICATIONS)
    )
    return Application.objects.bulk_create(
        Application(applicant=applicant, vacancy=rng.choice(vacancies), stage=Stage.INTERVIEW)
        for applicant in applicants
    )


def _interviews(rng, total: int, applications):
    from django.utils import timezone

    from interviews.models import Interview, InterviewKind

    kinds = list(InterviewKind.objects.all())
    now = timezone.now().replace(minute=0, second=0, microsecond=0)
    rows = []
    for _ in range(total):
        start = now + timedelta(hours=rng.randint(-2 * 365 * 24, 30 * 24))
        past = start < now
        status = (
            rng.choice(["done", "done", "done", "no_show", "cancelled"]) if past else "scheduled"
        )
        rows.append(
            Interview(
                application=rng.choice(applications),
                kind=rng.choice(kinds),
                starts_at=start,
                ends_at=start + timedelta(hours=1),
                location="Poznań",
                status=status,
            )
        )
    return Interview.objects.bulk_create(rows, batch_size=2000)


def _panels_and_scorecards(rng, interviews, panels) -> None:
    from interviews.models import Interview, Scorecard, ScorecardRating

    panel = Interview.interviewers.through
    links, cards = [], []
    for interview in interviews:
        chosen = rng.sample(panels[interview.application.vacancy_id], rng.choice([2, 3]))
        links += [panel(interview_id=interview.pk, user_id=person.pk) for person in chosen]
        if interview.status == "done":
            # Most panels scored; a few scorecards are still owed.
            cards += [
                Scorecard(interview=interview, interviewer=person, recommendation=rng.randint(1, 4))
                for person in chosen
                if rng.random() < 0.9
            ]
    panel.objects.bulk_create(links, batch_size=5000)
    cards = Scorecard.objects.bulk_create(cards, batch_size=5000)
    ScorecardRating.objects.bulk_create(
        (
            ScorecardRating(scorecard=card, criterion=criterion, rating=rng.randint(1, 5))
            for card in cards
            for criterion in ("technical", "communication", "team_fit")
        ),
        batch_size=5000,
    )


def cases() -> list[tuple[str, str, str, dict]]:
    """(name, who, path, query): the busiest interviewer, and this week's calendar."""
    from django.db.models import Count
    from django.utils import timezone

    from interviews.models import Interview
    from recruitment.models import Vacancy

    busiest = (
        Interview.interviewers.through.objects.values("user__username")
        .annotate(n=Count("id"))
        .order_by("-n")
        .first()["user__username"]
    )
    user_id = Interview.interviewers.through.objects.filter(user__username=busiest).first().user_id
    vacancy = Vacancy.objects.order_by("id").first()
    week = timezone.localdate().isoformat()
    return [
        ("My interviews (busiest interviewer)", busiest, "/interviews/", {}),
        ("calendar week, everyone", "bench-recruiter", "/interviews/calendar/", {"week": week}),
        (
            "calendar week, one interviewer",
            "bench-recruiter",
            "/interviews/calendar/",
            {"week": week, "interviewer": user_id},
        ),
        (
            "calendar week, one vacancy",
            "bench-recruiter",
            "/interviews/calendar/",
            {"week": week, "vacancy": vacancy.pk},
        ),
    ]


def report(total: int, requests: int) -> None:
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client

    from interviews.models import Interview

    print(f"{Interview.objects.count()} interviews; {requests} requests per page\n")
    print("| page | median ms | p95 ms | queries |\n|---|---|---|---|")
    for name, username, path, query in cases():
        client = Client()
        client.force_login(get_user_model().objects.get(username=username))
        for _ in range(3):
            client.get(path, query)
        queries = []

        def counted(execute, sql, params, many, context, queries=queries):
            queries.append(sql)
            return execute(sql, params, many, context)

        with connection.execute_wrapper(counted):
            client.get(path, query)
        samples = []
        for _ in range(requests):
            started = time.perf_counter()
            response = client.get(path, query)
            samples.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, (path, response.status_code)
        samples.sort()
        p95 = samples[max(0, round(0.95 * len(samples)) - 1)]
        median = statistics.median(samples)
        print(f"| {name} | {median:.1f} | {p95:.1f} | {len(queries)} |", flush=True)


if __name__ == "__main__":
    main()
