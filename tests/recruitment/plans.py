"""The plans PostgreSQL made for the queries a test captured, for the tests of which
index a read uses."""

from django.db import connection


def captured_plans(captured) -> dict[str, list[str]]:
    """Each captured SELECT's plan (EXPLAIN's lines), by its SQL, planned under the
    settings the captured statements set before it (a `SET LOCAL` of the code's)."""
    plans = {}
    with connection.cursor() as cursor:
        for query in captured:
            sql = query["sql"]
            if sql.startswith("SET"):
                cursor.execute(sql)
            elif sql.startswith("SELECT"):
                cursor.execute(f"EXPLAIN {sql}")
                plans[sql] = [row[0] for row in cursor.fetchall()]
    return plans
