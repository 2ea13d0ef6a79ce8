"""Where a run's files go: the output directory, or a dated folder in it plus ``latest``.

``--timestamped`` keeps every run (``<dir>/2026-11-29T211500Z/results.*``) and refreshes
``<dir>/latest/`` with copies of the newest run's files. Copies, not a symlink: a symlink needs a
privilege on Windows, is not followed the same way by every CI artifact uploader or sync tool, and
cannot be swapped atomically on every platform. Each copy is written atomically, so a reader of
``latest/results.json`` sees either the previous run's file or this one's, never half of one.

Everything that would stop the files being written is found before the audit starts (an hour of
API calls should not end in "permission denied"): :func:`prepare_run_directory` and
:func:`check_output_file` raise a one-line usage error (exit 2).
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from wa_audit import interrupts
from wa_audit.errors import UsageError
from wa_audit.formats import ReportFormat, write_atomically, write_reports
from wa_audit.models import Report
from wa_audit.output_lock import output_lock

URL_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*://")
LOCAL_ONLY = (
    "wa-audit writes local files only; write to a folder and copy it (the container task in "
    "deploy/aws uploads its results to S3)"
)
TIMESTAMP_FORMAT = "%Y-%m-%dT%H%M%SZ"
LATEST = "latest"
RESULTS_PREFIX = "results."


def remote_location(text: str) -> str | None:
    """Why ``text`` (s3://…, https://…) is no output folder; None for a local path, which a
    ``Path`` would otherwise take as ``./s3:/…``."""
    return LOCAL_ONLY if URL_SCHEME.match(text) else None


def run_directory(base: Path, *, timestamped: bool, started: datetime) -> Path:
    """``base`` itself, or a new ``base/<UTC start time>`` created here, for this run only.

    The folder is made with an exclusive ``mkdir``: two runs started in the same second (two cron
    jobs, a retry) get ``<stamp>`` and ``<stamp>-2``, never one folder between them.
    """
    if not timestamped:
        return base
    stamp = started.astimezone(UTC).strftime(TIMESTAMP_FORMAT)
    candidate = base / stamp
    suffix = 2
    while True:
        try:
            candidate.mkdir(parents=True)  # exist_ok=False: the folder is this run's alone
        except FileExistsError:
            candidate = base / f"{stamp}-{suffix}"
            suffix += 1
            continue
        except OSError as error:
            raise UsageError(f"cannot create {candidate}: {error.strerror}") from error
        return candidate


def ensure_directory(path: Path, what: str = "output directory") -> None:
    """Create ``path`` if needed; anything in the way is a one-line usage error naming it."""
    existing = next(a for a in (path, *path.parents, Path(".")) if a.exists())
    if not existing.is_dir():
        if existing == path:
            raise UsageError(f"{what} {path} is a file, not a directory")
        raise UsageError(f"cannot create {what} {path}: {existing} is a file")
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise UsageError(f"cannot create {what} {path}: {error.strerror}") from error
    if not os.access(path, os.W_OK | os.X_OK):
        raise UsageError(f"{what} {path} is not writable")


def check_output_file(path: Path) -> None:
    """``report --output FILE``: its folder must exist (a typo is not a new folder)."""
    folder = path.parent
    if path.is_dir():
        raise UsageError(f"cannot write {path}: it is a directory")
    if not folder.exists():
        raise UsageError(f"cannot write {path}: folder {folder} does not exist")
    if not folder.is_dir():
        raise UsageError(f"cannot write {path}: {folder} is not a directory")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise UsageError(f"cannot write {path}: folder {folder} is not writable")


def check_result_files(folder: Path, suffixes: Iterable[str]) -> None:
    """No ``results.<suffix>`` that this run will replace may be a directory."""
    for suffix in suffixes:
        target = folder / f"{RESULTS_PREFIX}{suffix}"
        if target.is_dir():
            raise UsageError(f"cannot write {target}: it is a directory")


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


@contextmanager
def claimed_output(base: Path, suffixes: Sequence[str], *, timestamped: bool) -> Iterator[Path]:
    """The folder this run will write to, checked (and locked, or made new) before the audit.

    A folder made here that ends up empty (the run was interrupted or refused) is removed again.
    """
    made = _missing_ancestors(base)
    ensure_directory(base)
    try:
        if not timestamped:
            with output_lock(base):
                check_result_files(base, suffixes)
                yield base
            return
        latest = base / LATEST
        if latest.exists() and not latest.is_dir():
            raise UsageError(f"cannot refresh {latest}: it is a file, not a directory")
        check_result_files(latest, suffixes)
        folder = run_directory(base, timestamped=True, started=datetime.now(UTC))
        made.insert(0, folder)
        yield folder
    finally:
        for path in made:  # innermost first; stops at the first folder with something in it
            if any(path.iterdir()):
                break
            path.rmdir()


def _missing_ancestors(path: Path) -> list[Path]:
    """``path`` and its parents that do not exist yet, innermost first."""
    return [p for p in (path, *path.parents) if not p.exists()]


def publish(
    report: Report, formats: Sequence[ReportFormat], folder: Path, base: Path
) -> list[Path]:
    """Write every format into ``folder`` (and ``base/latest`` when it is a dated folder).

    A Ctrl-C meanwhile is honoured once the set is complete, so the files never mix two runs.
    """
    with interrupts.held():
        written = write_reports(report, formats, folder)
        if folder != base:
            with output_lock(base, wait=True):
                publish_latest(base, written)
    return written
