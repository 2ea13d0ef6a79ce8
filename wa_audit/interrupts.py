"""Ctrl-C: the first stops the run promptly, the second exits at once; both exit 130.

The first SIGINT raises KeyboardInterrupt in the main thread as Python's default handler does;
the fact store then cancels queued fetches and stops in-flight ones from making another call, and
the CLI exits 130 without writing anything. While result files are being written (a fraction of a
second) the interrupt is held back until the set is complete, so ``results.*`` are either all
from the earlier run or all from this one. A second SIGINT means "now": the process ends with
``os._exit``, never waiting for worker threads stuck in a socket read; it still removes the
temporary file being written and the output directory's lock file (:func:`removed_if_killed`).

130 is the shell's convention for a process ended by SIGINT (128 + 2).
"""

from __future__ import annotations

import os
import signal
import sys
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager, suppress
from types import FrameType

from wa_audit.exitcodes import ExitCode

AGAIN_MESSAGE = b"\nwa-audit: interrupted again: exiting now\n"


class _State:
    def __init__(self) -> None:
        self.count = 0
        self.holding = False
        self.pending = False
        self.leftovers: set[str] = set()
        """Files to remove if the process ends at once (a temporary file, our lock file)."""


_state = _State()


def _on_sigint(_signum: int, _frame: FrameType | None) -> None:
    _state.count += 1
    if _state.count > 1:
        exit_now(AGAIN_MESSAGE)
    if _state.holding:
        _state.pending = True
        return
    raise KeyboardInterrupt


def install() -> None:
    """Route SIGINT through our handler (the real process only: ``main()`` calls this)."""
    _state.count = 0
    signal.signal(signal.SIGINT, _on_sigint)


def exit_now(message: bytes = b"") -> None:
    """End the process with 130 now: no atexit joins of worker threads, no further output."""
    for stream in (sys.stdout, sys.stderr):
        with suppress(OSError, ValueError):
            stream.flush()
    for leftover in list(_state.leftovers):
        with suppress(OSError):
            os.unlink(leftover)
    if message:
        with suppress(OSError):
            os.write(2, message)
    os._exit(ExitCode.INTERRUPTED)


@contextmanager
def removed_if_killed(path: str) -> Iterator[None]:
    """While inside, ``path`` is removed should a second Ctrl-C end the process at once."""
    _state.leftovers.add(path)
    try:
        yield
    finally:
        _state.leftovers.discard(path)


@contextmanager
def held() -> Iterator[None]:
    """Finish what must not be left half done (writing the result files), then honour a Ctrl-C.

    Without our handler installed (the CLI run in-process by tests), this changes nothing.
    """
    if signal.getsignal(signal.SIGINT) is not _on_sigint:
        yield
        return
    _state.holding = True
    try:
        yield
    finally:
        _state.holding = False
    if _state.pending:
        _state.pending = False
        raise KeyboardInterrupt


@contextmanager
def worker_pool(
    workers: int, name: str, on_abandon: Callable[[], None] | None = None
) -> Iterator[ThreadPoolExecutor]:
    """A thread pool that, unlike ``with ThreadPoolExecutor()``, is not waited for on Ctrl-C.

    On any exception (KeyboardInterrupt above all) queued work is cancelled, ``on_abandon`` runs
    (to stop running work from starting more), and the exception goes up at once.
    """
    pool = ThreadPoolExecutor(max_workers=max(1, workers), thread_name_prefix=name)
    try:
        yield pool
    except BaseException:
        if on_abandon is not None:
            on_abandon()
        pool.shutdown(wait=False, cancel_futures=True)
        raise
    pool.shutdown()
