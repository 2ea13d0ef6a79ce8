"""Writing the organization Report in its formats (entry-point group ``wa_audit.org_formats``)."""

from __future__ import annotations

from collections.abc import Sequence
from importlib.metadata import entry_points
from pathlib import Path
from typing import Protocol

from wa_audit.errors import RegistryError
from wa_audit.formats import write_atomically
from wa_audit.org.models import OrgReport

ENTRY_POINT_GROUP = "wa_audit.org_formats"
ORG_RESULTS = "organization"


class OrgFormat(Protocol):
    name: str
    suffix: str

    def render(self, report: OrgReport) -> str: ...


def org_formats(names: Sequence[str]) -> list[OrgFormat]:
    """The org formats among ``names`` (json and html exist; others are per-account only)."""
    found: dict[str, OrgFormat] = {}
    for entry_point in entry_points(group=ENTRY_POINT_GROUP):
        try:
            found[entry_point.name] = entry_point.load()
        except Exception as error:  # a broken plugin must be named, whatever it raised
            raise RegistryError(
                f"org format {entry_point.name!r} failed to load: {error}"
            ) from error
    return [found[name] for name in names if name in found]


def write_org_reports(
    report: OrgReport, formats: Sequence[OrgFormat], output_dir: Path
) -> list[Path]:
    written = []
    for org_format in formats:
        path = output_dir / f"{ORG_RESULTS}.{org_format.suffix}"
        write_atomically(path, org_format.render(report))
        written.append(path)
    return written
