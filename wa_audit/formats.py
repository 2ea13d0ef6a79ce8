"""Report formats: found through the ``wa_audit.formats`` entry-point group, never by name."""

from __future__ import annotations

import difflib
import os
import tempfile
from collections.abc import Iterable, Sequence
from importlib.metadata import entry_points
from pathlib import Path
from typing import Protocol, runtime_checkable

from wa_audit.errors import RegistryError, UsageError
from wa_audit.interrupts import removed_if_killed
from wa_audit.models import Report

ENTRY_POINT_GROUP = "wa_audit.formats"


@runtime_checkable
class ReportFormat(Protocol):
    """A renderer: sees only the Report, returns the file's text."""

    name: str
    suffix: str
    description: str

    def render(self, report: Report) -> str: ...


def available_formats() -> dict[str, ReportFormat]:
    formats: dict[str, ReportFormat] = {}
    for entry_point in sorted(entry_points(group=ENTRY_POINT_GROUP), key=lambda ep: ep.name):
        try:
            loaded = entry_point.load()
        except Exception as error:  # a broken plugin must be named, whatever it raised
            dist = entry_point.dist.name if entry_point.dist else "unknown distribution"
            raise RegistryError(
                f"format plugin {entry_point.name!r} from {dist} failed to load: {error}"
            ) from error
        if not isinstance(loaded, ReportFormat):
            raise RegistryError(f"format plugin {entry_point.name!r} is not a ReportFormat")
        formats[loaded.name] = loaded
    return formats


def parse_format_list(values: Iterable[str]) -> tuple[str, ...]:
    """``--format json,html --format csv`` → ('json', 'html', 'csv'), order kept, no repeats."""
    names = [part.strip().lower() for value in values for part in value.split(",")]
    return tuple(dict.fromkeys(name for name in names if name))


def resolve_formats(names: Sequence[str]) -> list[ReportFormat]:
    formats = available_formats()
    chosen = []
    for name in names:
        if name not in formats:
            close = difflib.get_close_matches(name, list(formats), n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            known = ", ".join(formats)
            raise UsageError(f"unknown format {name!r}{hint}; available: {known}")
        chosen.append(formats[name])
    return chosen


def _file_mode() -> int:
    """0666 less the process umask, as an ordinary ``open()`` would create the file."""
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def write_atomically(path: Path, text: str) -> None:
    """Readers (a cron job's next step, a browser) never see a half-written file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with removed_if_killed(temporary):
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                handle.write(text)
            os.chmod(temporary, _file_mode())  # mkstemp makes 0600; a report is for sharing
            os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def write_reports(report: Report, formats: Sequence[ReportFormat], output_dir: Path) -> list[Path]:
    written = []
    for report_format in formats:
        path = output_dir / f"results.{report_format.suffix}"
        write_atomically(path, report_format.render(report))
        written.append(path)
    return written
