"""The Report as JSON: the canonical output that every other format can be re-rendered from."""

from __future__ import annotations

from dataclasses import dataclass

from wa_audit.models import Report


@dataclass(frozen=True)
class JsonFormat:
    name: str = "json"
    suffix: str = "json"
    description: str = "The Report, valid against 'wa-audit schema'."

    def render(self, report: Report) -> str:
        return report.model_dump_json(indent=2) + "\n"


FORMAT = JsonFormat()
