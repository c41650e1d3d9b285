"""PostgreSQL planner settings for the queries of one block, where the planner's model
of a query is known to be wrong (each caller says why)."""

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connection, transaction


@contextmanager
def planner_settings(**settings: str | int) -> Iterator[None]:
    """`SET LOCAL name = value` for each setting, in a transaction (a savepoint inside
    one), back to the defaults at the end. Nothing on other databases."""
    if connection.vendor != "postgresql":
        yield
        return
    nested = connection.in_atomic_block
    with transaction.atomic(), connection.cursor() as cursor:
        for name, value in settings.items():
            cursor.execute(f"SET LOCAL {name} = {value}")
        yield
        if nested:
            # Inside an outer transaction (a test, a caller's atomic block) the settings
            # would outlive this block; a failure's rollback undoes them anyway.
            for name in settings:
                cursor.execute(f"SET LOCAL {name} = DEFAULT")
