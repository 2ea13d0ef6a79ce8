"""Asking before a write: only on a terminal; without one, refuse (exit 2) unless ``--yes``."""

from __future__ import annotations

import sys

import click

from wa_audit.errors import UsageError


def stdin_is_interactive() -> bool:
    return sys.stdin.isatty()


def confirm_write(question: str, what: str, *, interactive: bool | None = None) -> bool:
    """True when the user agrees; a UsageError when there is no terminal to ask on.

    ``what`` completes "refusing to ..." (e.g. "file 3 request(s)").
    """
    if not (stdin_is_interactive() if interactive is None else interactive):
        raise UsageError(
            f"refusing to {what} without confirmation: no terminal to ask on; "
            "rerun with --yes (or --dry-run to see the plan)"
        )
    return click.confirm(question, default=False)
