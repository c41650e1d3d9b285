"""What users do during a deploy: 8 clients reading, one writer inserting rows.

A fault test then asserts what they would notice: refused connections, and writes that
went missing.
"""

import threading
import time
from dataclasses import dataclass, field

import psycopg

from tests.deploy.load import Load
from tests.deploy.sandbox import PG_URL, psql

INTERVAL = 0.05
# Each reader's think time: 8 readers then ask up to ~100 times a second, so a gap in
# service of a tenth of a second is seen, and the deploy under test keeps its CPU.
READER_PAUSE = 0.05


@dataclass
class Writer:
    """Inserts cities named `<prefix>-<n>` until stopped; `written` are the committed ones."""

    database: str
    prefix: str
    written: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    stopping: threading.Event = field(default_factory=threading.Event)
    thread: threading.Thread | None = None

    def run(self) -> None:
        number = 0
        connection = None
        while not self.stopping.is_set():
            number += 1
            name = f"{self.prefix}-{number}"
            try:
                connection = connection or psycopg.connect(
                    f"{PG_URL}/{self.database}", autocommit=True
                )
                connection.execute("INSERT INTO recruitment_city (name) VALUES (%s)", (name,))
                self.written.append(name)
            except psycopg.Error as exc:
                # A restore drops the table under a waiting insert: that row was refused,
                # not written, and the writer goes on with a fresh connection.
                self.errors.append(str(exc).splitlines()[0])
                if connection is not None:
                    connection.close()
                connection = None
            time.sleep(INTERVAL)
        if connection is not None:
            connection.close()

    def present(self) -> int:
        like = f"{self.prefix}-%"
        sql = f"SELECT count(*) FROM recruitment_city WHERE name LIKE '{like}'"  # noqa: S608
        return int(psql(self.database, sql))


class Traffic:
    """Load on /health/ and a writer, for the length of a `with` block."""

    def __init__(self, port: int, database: str, prefix: str) -> None:
        self.load = Load(f"http://127.0.0.1:{port}/health/", clients=8, pause=READER_PAUSE)
        self.writer = Writer(database, prefix)

    def __enter__(self) -> "Traffic":
        self.load.__enter__()
        self.writer.thread = threading.Thread(target=self.writer.run)
        self.writer.thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.writer.stopping.set()
        self.writer.thread.join()
        self.load.__exit__(*exc_info)

    @property
    def refused(self) -> list[str]:
        return [failure for failure in self.load.failures if "refused" in failure.lower()]
