"""The plans behind one applicant-list (or typeahead) request, on PostgreSQL.

    DATABASE_URL=postgres://…/rms_bench_1000000 bin/python bench/list_explain.py \\
        '/applicants/?tags=python&city=3&experience_min=3' [--all]

Makes the request as the demo recruiter through Django's test client, then runs
EXPLAIN (ANALYZE, BUFFERS) on each query it made that reads the list's tables, and
prints each plan with its execution time (the session, user and pickers' queries are
left out unless --all).
"""

import argparse
import os
import re
from pathlib import Path

LIST_TABLES = re.compile(
    r'FROM "recruitment_(application|applicant|applicationcount|tagstagecount|stagestay)"'
)
# As bench/list_benchmark.py: with DEBUG off, pages name the hashed static files.
STATIC_ROOT = Path(__file__).resolve().parent.parent / "var" / "bench-static"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("url")
    parser.add_argument("--all", action="store_true", help="explain every query")
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rms.settings")
    for name, value in (("SECRET_KEY", "explain-only"), ("DEBUG", "0"), ("HTTPS", "0")):
        os.environ.setdefault(name, value)
    os.environ.setdefault("ALLOWED_HOSTS", "testserver")
    os.environ.setdefault("STATIC_ROOT", str(STATIC_ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    if not (Path(os.environ["STATIC_ROOT"]) / "staticfiles.json").exists():
        call_command("collectstatic", interactive=False, verbosity=0)
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    client.force_login(get_user_model().objects.get(username="demo"))
    client.get(args.url)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(args.url)
    print(f"{args.url}: HTTP {response.status_code}, {len(captured)} queries")
    for query in captured:
        sql = query["sql"]
        if not sql.startswith("SELECT") or not (args.all or LIST_TABLES.search(sql)):
            continue
        with connection.cursor() as cursor:
            cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}")
            plan = [row[0] for row in cursor.fetchall()]
        print(f"\n-- {query['time']} s in the request\n{sql}\n")
        print("\n".join(plan))


if __name__ == "__main__":
    main()
