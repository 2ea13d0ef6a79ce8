"""OCSF 1.5 Compliance Finding events (class 2003), one JSON object per line.

This is what AWS Security Lake ingests and what Prowler users already pipe around. One event per
finding of the run, PASS included (a compliance record says what was assessed, not only what
failed), plus one ``Close`` event per resolved finding that is gone from this run:

- ``compliance``: the Well-Architected Framework as standard, the best-practice ids as
  requirements, the check as control and as its one ``checks`` entry; ``status_id`` is Pass 1 /
  Warning 2 (WARN) / Fail 3 / Unknown 0 (ERROR: not assessed) / Other 99 (NOT_APPLICABLE, which
  the check entry's ``status`` names).
- ``cloud`` (the cloud profile, declared in ``metadata.profiles``): provider, account, region.
- ``status_id`` (the finding's workflow state): Suppressed 3 for accepted findings, else New 1.
- ``activity_id``: Create 1 for a finding new since the baseline (or when there is none), Update 2
  for one the baseline had, Close 3 for a resolved one; ``type_uid`` = 2003 * 100 + activity.
- ``finding_info.uid`` is stable across runs (account and the finding key's hash), so a consumer
  can update or close the finding it stored the night before.

Events are built as plain dicts: the fields are few and fixed, and py-ocsf-models (used in the tests
to validate every line) is not needed at run time.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from wa_audit.models import Change, CheckSpec, Finding, Report, Severity, Status

OCSF_VERSION = "1.5.0"
CATEGORY_UID = 2  # Findings
CLASS_UID = 2003  # Compliance Finding
STANDARD = "AWS Well-Architected Framework"

ACTIVITY = {1: "Create", 2: "Update", 3: "Close"}
SEVERITY_ID = {
    Severity.INFO: (1, "Informational"),
    Severity.LOW: (2, "Low"),
    Severity.MEDIUM: (3, "Medium"),
    Severity.HIGH: (4, "High"),
    Severity.CRITICAL: (5, "Critical"),
}
COMPLIANCE_STATUS = {
    Status.PASS: (1, "Pass"),
    Status.WARN: (2, "Warning"),
    Status.FAIL: (3, "Fail"),
    Status.ERROR: (0, "Unknown"),
    Status.NOT_APPLICABLE: (99, "Not Applicable"),
}
NEW, SUPPRESSED, RESOLVED = (1, "New"), (3, "Suppressed"), (4, "Resolved")


def epoch_ms(moment: datetime) -> int:
    """OCSF ``timestamp_t``: milliseconds since the epoch."""
    return int(moment.timestamp() * 1000)


def finding_uid(report: Report, finding: Finding) -> str:
    return f"wa-audit-{report.account_id}-{finding.fingerprint[:32]}"


def activity_of(finding: Finding) -> int:
    if finding.change is None or finding.change.kind in (Change.NEW, Change.NOT_COMPARED):
        return 1
    return 2


def event(
    report: Report, finding: Finding, spec: CheckSpec | None, activity: int
) -> dict[str, Any]:
    severity_id, severity = SEVERITY_ID[finding.severity]
    compliance_id, compliance = COMPLIANCE_STATUS[finding.status]
    if activity == 3:
        status_id, status = RESOLVED
    else:
        status_id, status = SUPPRESSED if finding.suppressed else NEW
    title = spec.title if spec else finding.check_id
    data: dict[str, Any] = {
        "activity_id": activity,
        "activity_name": ACTIVITY[activity],
        "category_uid": CATEGORY_UID,
        "category_name": "Findings",
        "class_uid": CLASS_UID,
        "class_name": "Compliance Finding",
        "type_uid": CLASS_UID * 100 + activity,
        "type_name": f"Compliance Finding: {ACTIVITY[activity]}",
        "time": epoch_ms(report.started_at),
        "time_dt": report.started_at.isoformat(),
        "severity_id": severity_id,
        "severity": severity,
        "status_id": status_id,
        "status": status,
        "status_code": finding.status.value,
        "status_detail": finding.message,
        "message": finding.message,
        "metadata": {
            "product": {
                "name": "wa-audit",
                "uid": "wa-audit",
                "vendor_name": "wa-audit",
                "version": report.tool_version,
            },
            "version": OCSF_VERSION,
            "profiles": ["cloud", "datetime"],
            "event_code": finding.check_id,
        },
        "finding_info": {
            "uid": finding_uid(report, finding),
            "title": title,
            "desc": finding.message,
            "created_time": epoch_ms(report.started_at),
            "types": [finding.pillar.label],
        },
        "compliance": {
            "standards": [STANDARD],
            "requirements": list(finding.best_practices),
            "control": finding.check_id,
            "status_id": compliance_id,
            "checks": [
                {
                    "uid": finding.check_id,
                    "name": title,
                    "severity": severity,
                    "severity_id": severity_id,
                    "standards": [STANDARD],
                    "status": compliance,
                    "status_id": compliance_id,
                }
            ],
        },
        "cloud": {
            "provider": "AWS",
            "region": finding.region,
            "account": {
                "uid": report.account_id,
                "name": report.account_id,  # the alias is not read; consumers expect a name
                "type_id": 10,
                "type": "AWS Account",
            },
        },
        "resources": [
            {
                "uid": finding.resource,
                "region": finding.region,
                "cloud_partition": report.partition,
            }
        ],
        "unmapped": {
            "pillar": finding.pillar.value,
            "evidence": finding.evidence,
        },
    }
    if activity == 3:  # the baseline's FAIL no longer holds; this run has no status for it
        del data["compliance"]["status_id"]
        for check in data["compliance"]["checks"]:
            del check["status_id"], check["status"]
    if spec is not None:
        data["remediation"] = {"desc": spec.remediation, "references": [spec.docs_url]}
    if finding.suppression is not None:
        data["comment"] = (
            f"Suppressed until {finding.suppression.expires.isoformat()}: "
            f"{finding.suppression.reason}"
        )
    return data


def events(report: Report) -> list[dict[str, Any]]:
    current = {finding.key for finding in report.findings}
    out = [event(report, f, report.check_spec(f.check_id), activity_of(f)) for f in report.findings]
    if report.baseline is not None:
        out += [
            event(report, f, report.check_spec(f.check_id), 3)
            for f in report.baseline.resolved
            if f.key not in current
        ]
    return out


@dataclass(frozen=True)
class OcsfFormat:
    name: str = "ocsf"
    suffix: str = "ocsf.jsonl"
    description: str = "OCSF 1.5 Compliance Finding events (class 2003), one JSON per line."

    def render(self, report: Report) -> str:
        # default=str: evidence is whatever a check recorded (a date, say), rendered as text.
        lines = (json.dumps(e, separators=(",", ":"), default=str) for e in events(report))
        return "".join(line + "\n" for line in lines)


FORMAT = OcsfFormat()
