"""CSV: one row per finding, for spreadsheets and ``pandas.read_csv``.

The columns are a contract; their order never changes and new columns are only ever appended:

    account_id, check_id, title, pillar, severity, status, region, resource, message,
    best_practices (``;``-separated), suppressed (``true``/``false``), suppression_reason,
    suppression_expires (ISO date), change (``new``/``changed``/``unchanged``, empty without a
    baseline), previous_status, evidence (compact JSON)

Rows come in the Report's order. A cell that starts with ``= + - @``, tab or carriage return is
written with a leading ``'`` (OWASP's advice against CSV injection): account text such as a tag
value ``=HYPERLINK(...)`` must not become a formula when the file is opened in a spreadsheet.
Every other cell is written exactly as it is.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass

from wa_audit.escaping import csv_cell
from wa_audit.models import Finding, Report

COLUMNS = (
    "account_id",
    "check_id",
    "title",
    "pillar",
    "severity",
    "status",
    "region",
    "resource",
    "message",
    "best_practices",
    "suppressed",
    "suppression_reason",
    "suppression_expires",
    "change",
    "previous_status",
    "evidence",
)


def row(report: Report, finding: Finding) -> dict[str, str]:
    spec = report.check_spec(finding.check_id)
    suppression = finding.suppression
    change = finding.change
    return {
        "account_id": report.account_id,
        "check_id": finding.check_id,
        "title": spec.title_for(finding.status) if spec else "",
        "pillar": finding.pillar.value,
        "severity": finding.severity.value,
        "status": finding.status.value,
        "region": finding.region,
        "resource": finding.resource,
        "message": finding.message,
        "best_practices": ";".join(finding.best_practices),
        "suppressed": "true" if suppression else "false",
        "suppression_reason": suppression.reason if suppression else "",
        "suppression_expires": suppression.expires.isoformat() if suppression else "",
        "change": change.kind.value if change else "",
        "previous_status": (change.previous_status or "") if change else "",
        "evidence": json.dumps(finding.evidence, sort_keys=True, default=str),
    }


@dataclass(frozen=True)
class CsvFormat:
    name: str = "csv"
    suffix: str = "csv"
    description: str = "One row per finding, in a fixed column order."

    def render(self, report: Report) -> str:
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(
            {key: csv_cell(value) for key, value in row(report, finding).items()}
            for finding in report.findings
        )
        return buffer.getvalue()


FORMAT = CsvFormat()
