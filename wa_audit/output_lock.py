"""One run per output directory at a time: ``<dir>/.wa-audit.lock``, held with ``flock``.

A second run into the same directory does not wait (a scheduled job that piles up behind a slow
one helps nobody); it exits 2 at once, naming the pid of the run that holds the lock.
``--timestamped`` runs each write a folder of their own and take the lock (waiting for it) only
for the moment they refresh ``latest/``. The lock is
the kernel's, so it is released when its holder exits however it exits (even ``kill -9``); the
file is removed by the holder on the way out, and a file left behind by a killed run is simply
reused. Removal is race-free: a run that locked a file someone else has just removed notices the
path now names another file (or none) and locks again.

Where ``fcntl`` does not exist (Windows) runs are not locked.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from wa_audit.errors import UsageError
from wa_audit.interrupts import removed_if_killed

LOCK_NAME = ".wa-audit.lock"

try:
    import fcntl
except ImportError:  # pragma: no cover (Windows)
    fcntl = None  # type: ignore[assignment]


def _holder(path: Path) -> str:
    try:
        pid = path.read_text(encoding="ascii").strip()
    except (OSError, UnicodeDecodeError):
        pid = ""
    return f"pid {pid}" if pid.isdigit() else "a process that is starting"


def _acquire(path: Path, wait: bool) -> int:
    while True:
        try:
            fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as error:
            raise UsageError(f"cannot write in {path.parent}: {error.strerror}") from error
        try:
            fcntl.flock(fd, fcntl.LOCK_EX if wait else fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as error:
            os.close(fd)
            raise UsageError(
                f"another wa-audit run ({_holder(path)}) is writing to {path.parent}: "
                "wait for it to finish or choose another --output-dir"
            ) from error
        try:
            same = os.stat(path).st_ino == os.fstat(fd).st_ino
        except FileNotFoundError:
            same = False
        if same:
            return fd
        os.close(fd)  # the holder removed the file between our open and our lock: try again


@contextmanager
def output_lock(directory: Path, *, wait: bool = False) -> Iterator[None]:
    """Hold ``directory``'s lock; raises UsageError if another run holds it (unless ``wait``)."""
    if fcntl is None:  # pragma: no cover (Windows)
        yield
        return
    path = directory / LOCK_NAME
    fd = _acquire(path, wait)
    try:
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()}\n".encode("ascii"))
        with removed_if_killed(str(path)):
            yield
    finally:
        path.unlink(missing_ok=True)
        os.close(fd)
