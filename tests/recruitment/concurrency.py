"""Two writers at once, for the tests of what the database keeps by triggers."""

import threading
from dataclasses import dataclass, field

from django.db import connections, transaction


@dataclass
class Overlap:
    # What the first writer raised, and whether its thread ended in time.
    failures: list[Exception] = field(default_factory=list)
    first_finished: bool = False


def write_while_open(first, second, *, hold: float = 0.5) -> Overlap:
    """Runs `first` in a transaction on another thread and, once it has written,
    `second` here while that transaction stays open `hold` seconds more."""
    written, overlap = threading.Event(), Overlap()

    def hold_open():
        try:
            with transaction.atomic():
                first()
                written.set()
                threading.Event().wait(hold)
        except Exception as error:  # reported to the caller
            overlap.failures.append(error)
            written.set()
        finally:
            connections.close_all()

    holder = threading.Thread(target=hold_open)
    holder.start()
    written.wait(10)
    second()
    holder.join(10)
    overlap.first_finished = not holder.is_alive()
    return overlap
