"""Database helpers shared by the apps."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connection

# SQLite has one writer, and a thread that finds it busy sleeps in SQLite's busy handler
# (1, 2, 5, 10 … ms, whoever frees the lock meanwhile). Threads of one process take turns on
# this lock instead, and are woken the moment it is free.
_sqlite_writer = threading.RLock()


@contextmanager
def one_writer() -> Iterator[None]:
    """Around a short write: on SQLite, one thread of this process at a time."""
    if connection.vendor == "sqlite":
        with _sqlite_writer:
            yield
    else:
        yield
