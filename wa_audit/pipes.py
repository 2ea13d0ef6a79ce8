"""Output whose reader may leave (``wa-audit run | head``) without changing the verdict.

When the reader of standard output (or standard error) closes the pipe, what is left to print
there is dropped and the command carries on: the exit code still says what the results say
(``wa-audit run | true`` exits 1 on a FAIL, ``wa-audit run --region bad 2>&1 | true`` exits 2).
The stream is pointed at the null device, so Python's flush at exit cannot fail a second time
(a failed flush of standard output at exit would turn any exit code into 120).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable

import click


def stream_gone(*, err: bool = False) -> None:
    """Send the rest of standard output (or error) nowhere: its reader closed the pipe."""
    stream = sys.stderr if err else sys.stdout
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, stream.fileno())
    except (OSError, ValueError, AttributeError):  # not a real file (click's test runner)
        replacement = open(os.devnull, "w")  # noqa: SIM115 (stays open until exit)
        if err:
            sys.stderr = replacement
        else:
            sys.stdout = replacement
    finally:
        os.close(devnull)


def reader_left() -> None:
    """Send the rest of standard output nowhere (the reader closed the pipe)."""
    stream_gone(err=False)


def echo(text: str, *, err: bool = False, nl: bool = True) -> None:
    """``click.echo`` that a closed pipe cannot turn into an error or a different exit code."""
    shown(lambda: click.echo(text, err=err, nl=nl), err=err)


def shown(write: Callable[[], None], *, err: bool = True) -> None:
    """Run ``write`` (click's report of a usage error, say); a closed pipe drops its output."""
    try:
        write()
    except BrokenPipeError:
        stream_gone(err=err)
