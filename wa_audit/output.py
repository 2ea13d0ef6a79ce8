"""Where a run's files go: the output directory, or a dated folder in it plus ``latest``.

``--timestamped`` keeps every run (``<dir>/2026-11-29T211500Z/results.*``) and refreshes
``<dir>/latest/`` with copies of the newest run's files. Copies, not a symlink: a symlink needs a
privilege on Windows, is not followed the same way by every CI artifact uploader or sync tool, and
cannot be swapped atomically on every platform. Each copy is written atomically, so a reader of
``latest/results.json`` sees either the previous run's file or this one's, never half of one.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

from wa_audit.formats import write_atomically

TIMESTAMP_FORMAT = "%Y-%m-%dT%H%M%SZ"
LATEST = "latest"
RESULTS_PREFIX = "results."


def run_directory(base: Path, *, timestamped: bool, started: datetime) -> Path:
    """``base`` itself, or a new ``base/<UTC start time>`` (``-2``, ``-3``… if that exists)."""
    if not timestamped:
        return base
    stamp = started.astimezone(UTC).strftime(TIMESTAMP_FORMAT)
    candidate = base / stamp
    suffix = 2
    while candidate.exists():
        candidate = base / f"{stamp}-{suffix}"
        suffix += 1
    return candidate


def publish_latest(base: Path, written: Sequence[Path]) -> Path:
    """Copy this run's files into ``base/latest`` and drop results files the run did not write."""
    latest = base / LATEST
    names = {path.name for path in written}
    for path in written:
        write_atomically(latest / path.name, path.read_text(encoding="utf-8"))
    for stale in latest.glob(RESULTS_PREFIX + "*"):
        if stale.name not in names:
            stale.unlink()
    return latest
