"""Whether the process running an import is still alive, without trusting a clock.

An import holds a lock for as long as it runs, and the operating system or the database
drops that lock the moment its process dies, however it dies (SIGKILL, out of memory, a lost
server). A batch that says "running" while nobody holds its lock is stale, at once and without
false alarms; a heartbeat would need a timeout longer than the longest silent step (a load
transaction on SQLite writes nothing visible for minutes) and would still guess.

- PostgreSQL: a session-level advisory lock (``pg_locks`` shows it to every session);
- SQLite (one machine): ``flock`` on a file in the temporary directory named after the
  database, so two databases on one machine never share a lock.

The portable loader's staging directory is named with the same prefix, so that what a dead
import left on disk can be found and removed.
"""

from __future__ import annotations

import contextlib
import fcntl
import glob
import hashlib
import os
import shutil
import tempfile
import zlib
from collections.abc import Iterator

from django.db import connection

_KIND = zlib.crc32(b"registry.import") & 0x7FFFFFFF  # the advisory lock's first key


def _database_tag() -> str:
    name = str(connection.settings_dict.get("NAME", ""))
    return hashlib.sha256(name.encode()).hexdigest()[:12]


def staging_prefix(batch_id: int) -> str:
    return f"opora-import-{_database_tag()}-{batch_id}-"


def _lock_path(batch_id: int) -> str:
    return os.path.join(tempfile.gettempdir(), f"{staging_prefix(batch_id)}lock")


@contextlib.contextmanager
def held(batch_id: int) -> Iterator[bool]:
    """Hold the batch's lock while the block runs; yields False if another process has it."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_try_advisory_lock(%s, %s)", [_KIND, batch_id])
            taken = bool(cursor.fetchone()[0])
        try:
            yield taken
        finally:
            if taken and connection.connection is not None:
                with contextlib.suppress(Exception), connection.cursor() as cursor:
                    cursor.execute("SELECT pg_advisory_unlock(%s, %s)", [_KIND, batch_id])
        return
    with open(_lock_path(batch_id), "a+b") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            yield False
            return
        try:
            yield True
        finally:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(handle.name)
            fcntl.flock(handle, fcntl.LOCK_UN)


def is_alive(batch_id: int) -> bool:
    """Whether some process holds the batch's lock now."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND granted "
                "AND classid = %s AND objid = %s",
                [_KIND, batch_id],
            )
            return cursor.fetchone() is not None
    path = _lock_path(batch_id)
    if not os.path.exists(path):
        return False
    with open(path, "a+b") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return True
        fcntl.flock(handle, fcntl.LOCK_UN)
        return False


def remove_leftovers(batch_id: int) -> int:
    """Remove what a dead import of the batch left in the temporary directory; how many."""
    pattern = f"{glob.escape(staging_prefix(batch_id))}*"
    found = glob.glob(os.path.join(tempfile.gettempdir(), pattern))
    for path in found:
        if os.path.isdir(path):
            shutil.rmtree(path, ignore_errors=True)
        else:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(path)
    return len(found)
