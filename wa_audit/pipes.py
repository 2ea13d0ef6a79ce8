"""Standard output whose reader may leave (``wa-audit run | head``) without changing the verdict.

When the reader closes the pipe, what is left to print is dropped and the command carries on: the
exit code still says what the results say (``wa-audit run | true`` exits 1 on a FAIL). Standard
output is pointed at the null device, so Python's flush at exit cannot fail a second time.
"""

from __future__ import annotations

import os
import sys

import click


def reader_left() -> None:
    """Send the rest of standard output nowhere (the reader closed the pipe)."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):  # not a real file (click's test runner)
        sys.stdout = open(os.devnull, "w")  # noqa: SIM115 (stays open until exit)
    finally:
        os.close(devnull)


def echo(text: str, *, err: bool = False) -> None:
    """``click.echo`` that a closed pipe cannot turn into an error or a different exit code."""
    try:
        click.echo(text, err=err)
    except BrokenPipeError:
        if not err:
            reader_left()
