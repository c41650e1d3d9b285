"""`CREATE INDEX CONCURRENTLY` for the migrations that build an index without holding
writers (0037, 0038, 0040), safe to run again after a deploy was killed mid-build.

An interrupted concurrent build (the process killed, the connection lost) leaves its
index behind, marked invalid: PostgreSQL keeps it up to date on every write but never
reads it. `IF NOT EXISTS` alone would skip such an index on the next run and record the
migration as applied, leaving the search it serves to scan. Not a migration: the loader
skips modules whose names start with an underscore.
"""

INVALID = """
SELECT 1 FROM pg_index JOIN pg_class ON pg_class.oid = pg_index.indexrelid
    WHERE pg_class.relname = %s AND NOT pg_index.indisvalid
"""


def create_index_concurrently(cursor, name: str, create: str) -> None:
    """Run `create` (a `CREATE INDEX CONCURRENTLY IF NOT EXISTS <name> …`), first dropping
    an invalid index of that name that an interrupted build left."""
    cursor.execute(INVALID, [name])
    if cursor.fetchone():
        cursor.execute(f"DROP INDEX CONCURRENTLY IF EXISTS {name}")
    cursor.execute(create)
