"""Webhook deliveries appended to a spool file before the 200; the worker moves them into
the deliveries table.

Meta needs a 200 within moments and retries for a week without one, so the web request does
the least that keeps a delivery safe: one `write` of the signed raw body to an append-only
file of its own process (with FSYNC, opened `O_DSYNC`: on disk when the write returns). No
transaction, no lock shared with another process, no waiting for another thread's commit:
under load the web threads handed the database lock back and forth more than they worked
(bench/README.md, Webhook).

    web process ──append──► var/webhook-spool/<host>-<pid>-<ns>.open ──(64 MB)──► .done
    worker: ingest() ──► WebhookDelivery rows + SpoolCursor.offset, in one transaction

A record is a 20-byte header (magic, body length, received time in µs, CRC-32) and the
body. The cursor row and the rows it covers commit together, so a worker killed mid-way
ingests the same records again from the same offset, never twice. A record that does not
check out (a torn tail left by a crash, a bad checksum) is stored flagged with a note, so
an operator sees it; nothing is dropped silently.

The spool lives on the web server's disk: the worker that ingests it must see the same
directory (one host, or a shared volume). With WHATSAPP_WEBHOOK_SPOOL off, the web
process writes to the table itself (group commit, `deliveries`).
"""

from __future__ import annotations

import logging
import os
import socket
import struct
import threading
import time
import zlib
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings
from django.db import connection, transaction

from wadul.core.db import one_writer
from wadul.whatsapp.models import SpoolCursor, WebhookDelivery

log = logging.getLogger(__name__)

MAGIC = b"WSP1"
HEADER = struct.Struct("<4sIqI")  # magic, body length, received (µs since epoch), crc32
SUFFIX = ".spool"
ROTATE_BYTES = 64 * 1024 * 1024
# Bytes read per ingest transaction (a record larger than this is read whole).
INGEST_BYTES = 4 * 1024 * 1024
# No body is larger (the view answers 413 above 3 MB): a header claiming more is damage.
MAX_BODY = 3 * 1024 * 1024
# The web process nudges the worker at most this often (one queue query each), and always
# once after the last append.
KICK_INTERVAL = 0.05
# A file is finished (its writer moved on to a newer file, or died) once nothing was
# appended to it for this long: a thread that took the old descriptor just before a
# rotation may still be writing to it.
GRACE_SECONDS = 10.0


class SpoolError(Exception):
    """The body may not be on disk: the webhook must not be acknowledged."""


def directory() -> Path:
    return Path(settings.WHATSAPP_WEBHOOK_SPOOL_DIR)


def encode(body: bytes, received: datetime | None = None) -> bytes:
    """One record: header and body; received now unless given (the clock read directly: a
    datetime per request is measurable on the webhook's path)."""
    micros = time.time_ns() // 1000 if received is None else int(received.timestamp() * 1e6)
    return HEADER.pack(MAGIC, len(body), micros, zlib.crc32(body)) + body


class _Writer:
    """This process's spool file. Appends take no lock: the file is opened O_APPEND, so
    each `write` lands whole after the previous one (a lock held across the system call
    made the web threads queue for the interpreter and each other). The lock is taken only
    to open a file: the first time, after a fork, and every ROTATE_BYTES."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._fd: int | None = None
        self._path: Path | None = None
        self._pid = 0
        self._size = 0  # approximate under concurrent appends: it only decides rotation
        self._setting: object = None
        # The file before the last rotation stays open until the next one: a thread may
        # still be appending to it or syncing it.
        self._retired: int | None = None

    def append(self, body: bytes, received: datetime | None = None) -> None:
        record = encode(body, received)
        try:
            fd = self._current()
            written = os.write(fd, record)
        except OSError as exc:  # no directory, no space, no permission …
            raise SpoolError(str(exc)) from exc
        self._size += written
        if written != len(record):
            # A torn record: the worker stores it flagged and finds the next one after it.
            raise SpoolError(f"short write: {written} of {len(record)} bytes")

    def _current(self) -> int:
        fd = self._fd
        if (
            fd is not None
            and self._pid == os.getpid()
            and self._setting is settings.WHATSAPP_WEBHOOK_SPOOL_DIR
            and self._size < ROTATE_BYTES
        ):
            return fd
        with self._lock:
            if self._pid != os.getpid():
                # After a fork the parent's descriptors are not ours to write to.
                self._fd = self._retired = None
            if (
                self._fd is None
                or self._setting is not settings.WHATSAPP_WEBHOOK_SPOOL_DIR
                or self._size >= ROTATE_BYTES
            ):
                self._open()
            assert self._fd is not None
            return self._fd

    def _open(self) -> None:
        setting = settings.WHATSAPP_WEBHOOK_SPOOL_DIR
        folder = Path(setting)
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        pid = os.getpid()
        path = folder / f"{socket.gethostname()}-{pid}-{time.time_ns()}{SUFFIX}"
        flags = os.O_WRONLY | os.O_CREAT | os.O_APPEND
        if settings.WHATSAPP_WEBHOOK_SPOOL_FSYNC:
            # Each write returns once its data is on disk: one system call per body. A
            # thread of our own syncing batches, or the web threads batching their writes
            # behind a leader, measured no faster: the cost is the web thread giving up the
            # interpreter lock while it waits, whoever syncs (bench/README.md, Webhook).
            flags |= os.O_DSYNC
        fd = os.open(path, flags, 0o600)
        if self._retired is not None:
            os.close(self._retired)
        self._retired = self._fd
        self._fd, self._path, self._pid, self._size, self._setting = fd, path, pid, 0, setting

    def close(self) -> None:
        """Close this process's files (tests; a process's files are also finished when it
        exits)."""
        with self._lock:
            if self._pid == os.getpid():
                for fd in (self._fd, self._retired):
                    if fd is not None:
                        os.close(fd)
            self._fd = self._retired = self._path = None
            self._setting = None


class _Kicker:
    """Nudges the worker after appends, at most once per KICK_INTERVAL per process. The
    first append after a quiet spell nudges at once, on its own thread (a lone webhook is
    picked up as soon as before); appends within the interval after a nudge only set an
    event, and a thread of our own nudges once more when the interval is over: the nudge
    before them may have looked at the queue before they were written."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._last = -KICK_INTERVAL
        self._event = threading.Event()
        self._thread: threading.Thread | None = None
        self._pid = 0

    def nudge(self) -> None:
        if time.monotonic() - self._last >= KICK_INTERVAL and self._lock.acquire(blocking=False):
            try:
                if time.monotonic() - self._last >= KICK_INTERVAL:
                    self._kick()
                    return
            finally:
                self._lock.release()
        if not self._event.is_set():
            self._event.set()
        if self._pid != os.getpid() or self._thread is None:
            self._start()

    def _kick(self) -> None:
        from wadul.whatsapp import tasks

        self._last = time.monotonic()
        try:
            tasks.kick(tasks.process_webhooks)
        except Exception:  # noqa: BLE001 (on disk already; the scheduler nudges every minute)
            log.exception("could not nudge the webhook processor; the scheduler will")
            connection.close()

    def _start(self) -> None:
        with self._lock:
            if self._pid != os.getpid() or self._thread is None:
                self._pid = os.getpid()
                self._thread = threading.Thread(
                    target=self._run, name="whatsapp-spool-kicker", daemon=True
                )
                self._thread.start()

    def _run(self) -> None:
        while True:
            if not self._event.is_set():
                # Idle: give the database connection back (PostgreSQL counts it).
                connection.close()
            self._event.wait()
            time.sleep(max(0.0, self._last + KICK_INTERVAL - time.monotonic()))
            with self._lock:
                # Cleared before the nudge: an append after this point sets it again.
                self._event.clear()
                self._kick()


_writer = _Writer()
_kicker = _Kicker()


def append(body: bytes, received: datetime | None = None) -> None:
    """Put one delivery on disk and make sure a worker will ingest it; raises `SpoolError`
    when it may not be on disk."""
    _writer.append(body, received)
    _kicker.nudge()


def close() -> None:
    """Close this process's spool files once a nudge still due has been sent (a clean
    shutdown; tests)."""
    deadline = time.monotonic() + 1.0
    while _kicker._event.is_set() and time.monotonic() < deadline:
        time.sleep(0.005)
    with _kicker._lock:
        _kicker._last = -KICK_INTERVAL
    _writer.close()


# --- the worker side ---------------------------------------------------------------------------


@dataclass
class Record:
    received_at: datetime
    body: str
    notes: str = ""  # set when the record did not check out: stored flagged


def parse(data: bytes, final: bool) -> tuple[list[Record], int]:
    """The records at the start of `data` and how many bytes they take. Damage (a torn
    write, a bad checksum) becomes one flagged record reaching to the next good header.
    Without `final` an incomplete last record is left for later; with it (nobody will append
    any more) it is returned flagged too."""
    records: list[Record] = []
    at = 0
    while at < len(data):
        state = _record_at(data, at)
        if state == "partial" and not final:
            break
        if state == "ok":
            _, length, micros, _ = HEADER.unpack_from(data, at)
            end = at + HEADER.size + length
            raw = bytes(data[at + HEADER.size : end])
            try:
                records.append(Record(_time(micros), raw.decode("utf-8")))
            except UnicodeDecodeError:
                records.append(_damaged(raw, "spool record that is not UTF-8"))
            at = end
            continue
        # Damage: skip to the next position where a record begins.
        after = data.find(MAGIC, at + 1)
        while after != -1 and _record_at(data, after) == "bad":
            after = data.find(MAGIC, after + 1)
        if after == -1:
            if not final:
                break  # the next record may still be on its way
            after = len(data)
        records.append(_damaged(data[at:after], "damaged spool record (not acknowledged)"))
        at = after
    return records, at


def _record_at(data: bytes, at: int) -> str:
    """'ok', 'partial' (may be a record still being read or written) or 'bad'."""
    if len(data) - at < HEADER.size:
        return "partial" if MAGIC.startswith(bytes(data[at : at + len(MAGIC)])) else "bad"
    magic, length, _micros, crc = HEADER.unpack_from(data, at)
    if magic != MAGIC or length > MAX_BODY:
        return "bad"
    end = at + HEADER.size + length
    if end > len(data):
        return "partial"
    return "ok" if zlib.crc32(data[at + HEADER.size : end]) == crc else "bad"


def _time(micros: int) -> datetime:
    return datetime.fromtimestamp(micros / 1_000_000, tz=UTC)


def _damaged(raw: bytes, note: str) -> Record:
    text = bytes(raw).decode("utf-8", errors="replace").replace("\x00", "\ufffd")
    return Record(datetime.now(tz=UTC), text, note)


def _finished(path: Path, files: list[Path]) -> bool:
    """Whether nobody will append to `path` any more: its writer moved on to a newer file,
    or died (on this host), and nothing was appended for GRACE_SECONDS."""
    if path == _writer._path:
        return False
    if time.time() - path.stat().st_mtime < GRACE_SECONDS:
        return False
    writer, _sep, started = path.stem.rpartition("-")
    newer = any(
        f.stem.rpartition("-")[0] == writer and f.stem.rpartition("-")[2] > started
        for f in files
        if len(f.stem.rpartition("-")[2]) == len(started)
    )
    if newer:
        return True
    host, _sep, pid = writer.rpartition("-")
    if host != socket.gethostname() or not pid.isdigit():
        return False  # another host's writer: only it knows whether it will write again
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False


def ingest(max_bytes: int = INGEST_BYTES) -> int:
    """Move spooled deliveries into the table; returns how many were moved. Safe to run in
    several workers at once (each file's cursor row is locked while it is read)."""
    folder = directory()
    if not folder.is_dir():
        return 0
    files = sorted(p for p in folder.iterdir() if p.suffix == SUFFIX)
    moved = 0
    for path in files:
        try:
            moved += _ingest_file(path, _finished(path, files), max_bytes)
        except FileNotFoundError:
            continue  # finished by another worker meanwhile
    return moved


def _ingest_file(path: Path, final: bool, max_bytes: int) -> int:
    stem = path.stem
    moved = 0
    while True:
        size = path.stat().st_size
        SpoolCursor.objects.get_or_create(name=stem)
        with one_writer(), transaction.atomic():
            cursor = SpoolCursor.objects.select_for_update().get(name=stem)
            if cursor.offset >= size and not final:
                return moved
            with path.open("rb") as handle:
                handle.seek(cursor.offset)
                data = handle.read(max_bytes)
                if _record_at(data, 0) == "partial" and len(data) == max_bytes:
                    # One record larger than a chunk: read all of it.
                    length = HEADER.unpack_from(data, 0)[1]
                    data += handle.read(HEADER.size + length - len(data))
            last_chunk = cursor.offset + len(data) >= size
            records, used = parse(data, final=final and last_chunk)
            if records:
                _insert(records)
                moved += len(records)
            cursor.offset += used
            cursor.save(update_fields=["offset"])
            done = final and cursor.offset >= size
            if done:
                # The file goes first: a cursor row left by a crash is harmless, a file
                # without its cursor would be ingested again from the start.
                path.unlink(missing_ok=True)
                cursor.delete()
        if done or not records or last_chunk:
            return moved


def _insert(records: list[Record]) -> None:
    state = WebhookDelivery.State
    WebhookDelivery.insert_raw(
        [
            (r.received_at, r.body, state.FLAGGED if r.notes else state.PENDING, r.notes)
            for r in records
        ]
    )


def backlog() -> int:
    """Bytes spooled and not yet ingested (for tests, the admin and health checks)."""
    folder = directory()
    if not folder.is_dir():
        return 0
    offsets = dict(SpoolCursor.objects.values_list("name", "offset"))
    total = 0
    for path in folder.iterdir():
        if path.suffix == SUFFIX:
            try:
                total += path.stat().st_size - offsets.get(path.stem, 0)
            except FileNotFoundError:
                continue
    return total
