"""SARIF 2.1.0, as GitHub code scanning reads it: one rule per check, one result per problem.

- Rules: every check that ran, ``help`` = its remediation, ``helpUri`` = its documentation,
  ``properties`` = pillar and Well-Architected best-practice ids (also as tags). Security checks
  carry ``security-severity`` so GitHub ranks them critical/high/medium/low.
- Results: FAIL and WARN findings (PASS and NOT_APPLICABLE are not problems). ``level`` follows
  severity (critical/high → error, medium → warning, low/info → note; a WARN is at most a warning).
  A suppressed finding keeps its result with an accepted ``suppressions`` entry, so GitHub shows it
  as dismissed with the reason; ``baselineState`` tells new from unchanged when there is a baseline.
- Locations: the resource (ARN) is the logical location; GitHub also needs a physical one to show
  an alert, so ``aws/<account>/<region>/<resource>`` stands in as the artifact URI. It is stable
  across runs, and ``partialFingerprints`` carries the finding key's hash, so re-uploads update
  alerts instead of duplicating them.
- ERROR findings are the tool failing to assess, not a problem found: they become error
  notifications of the invocation, whose ``executionSuccessful`` is then false.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from wa_audit.models import Change, CheckSpec, Finding, Pillar, Report, Severity, Status

SARIF_SCHEMA = (
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
)
FINGERPRINT_NAME = "waAuditFindingKey/v1"

LEVEL = {
    Severity.CRITICAL: "error",
    Severity.HIGH: "error",
    Severity.MEDIUM: "warning",
    Severity.LOW: "note",
    Severity.INFO: "note",
}
# GitHub's bands: >= 9.0 critical, 7.0-8.9 high, 4.0-6.9 medium, 0.1-3.9 low.
SECURITY_SEVERITY = {
    Severity.CRITICAL: "9.5",
    Severity.HIGH: "8.0",
    Severity.MEDIUM: "5.5",
    Severity.LOW: "3.0",
    Severity.INFO: "0.1",
}
BASELINE_STATE = {Change.NEW: "new", Change.CHANGED: "updated", Change.UNCHANGED: "unchanged"}
RESULT_STATUSES = frozenset({Status.FAIL, Status.WARN})


def level_of(finding: Finding) -> str:
    level = LEVEL[finding.severity]
    if finding.status is Status.WARN and level == "error":
        return "warning"
    return level


def artifact_uri(report: Report, finding: Finding) -> str:
    resource = quote(finding.resource, safe="/:@!$&'()*+,;=-._~")
    return f"aws/{report.account_id}/{finding.region}/{resource}"


def rule(spec: CheckSpec) -> dict[str, Any]:
    tags = ["well-architected", spec.pillar.value, *spec.best_practices]
    properties: dict[str, Any] = {
        "pillar": spec.pillar.value,
        "bestPractices": list(spec.best_practices),
        "severity": spec.severity.value,
    }
    if spec.pillar is Pillar.SECURITY:
        tags.append("security")
        properties["security-severity"] = SECURITY_SEVERITY[spec.severity]
    properties["tags"] = list(dict.fromkeys(tags))  # SARIF tags are a set
    return {
        "id": spec.id,
        "name": spec.id,
        "shortDescription": {"text": spec.title},
        "fullDescription": {"text": f"{spec.title} ({spec.pillar.label} pillar)."},
        "help": {
            "text": spec.remediation,
            "markdown": f"{spec.remediation}\n\n[Documentation]({spec.docs_url})",
        },
        "helpUri": spec.docs_url,
        "defaultConfiguration": {"level": LEVEL[spec.severity]},
        "properties": properties,
    }


def result(report: Report, finding: Finding, rule_index: int) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "ruleId": finding.check_id,
        "ruleIndex": rule_index,
        "kind": "fail",
        "level": level_of(finding),
        "message": {"text": f"{finding.message} Resource: {finding.resource} ({finding.region})."},
        "locations": [
            {
                "physicalLocation": {
                    "artifactLocation": {"uri": artifact_uri(report, finding)},
                    "region": {"startLine": 1},
                },
                "logicalLocations": [{"fullyQualifiedName": finding.resource, "kind": "resource"}],
            }
        ],
        "partialFingerprints": {FINGERPRINT_NAME: finding.fingerprint},
        "properties": {
            "status": finding.status.value,
            "severity": finding.severity.value,
            "region": finding.region,
            "resource": finding.resource,
            "bestPractices": list(finding.best_practices),
        },
    }
    if finding.change is not None and finding.change.kind in BASELINE_STATE:
        entry["baselineState"] = BASELINE_STATE[finding.change.kind]
    if finding.suppression is not None:
        note = finding.suppression
        entry["suppressions"] = [
            {
                "kind": "external",
                "status": "accepted",
                "justification": f"{note.reason} (until {note.expires.isoformat()})",
            }
        ]
    return entry


def notification(finding: Finding) -> dict[str, Any]:
    return {
        "level": "error",
        "message": {"text": f"{finding.check_id} in {finding.region}: {finding.message}"},
        "descriptor": {"id": finding.check_id},
    }


def sarif_log(report: Report) -> dict[str, Any]:
    rules = [rule(spec) for spec in report.checks]
    index = {spec.id: position for position, spec in enumerate(report.checks)}
    results = [
        result(report, finding, index[finding.check_id])
        for finding in report.findings
        if finding.status in RESULT_STATUSES and finding.check_id in index
    ]
    errors = [notification(f) for f in report.findings if f.status is Status.ERROR]
    invocation: dict[str, Any] = {
        "executionSuccessful": not errors and report.aborted is None,
        "startTimeUtc": report.started_at.isoformat().replace("+00:00", "Z"),
        "endTimeUtc": report.finished_at.isoformat().replace("+00:00", "Z"),
        "exitCode": report.exit_code,
    }
    if errors:
        invocation["toolExecutionNotifications"] = errors
    return {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "wa-audit",
                        "version": report.tool_version,
                        "semanticVersion": report.tool_version,
                        "rules": rules,
                    }
                },
                # GitHub's alert category: one per account, so accounts do not close each other's.
                "automationDetails": {
                    "id": f"wa-audit/{report.account_id}/{report.started_at:%Y-%m-%dT%H%M%SZ}"
                },
                "invocations": [invocation],
                "results": results,
                "properties": {"accountId": report.account_id, "regions": list(report.regions)},
            }
        ],
    }


@dataclass(frozen=True)
class SarifFormat:
    name: str = "sarif"
    suffix: str = "sarif"
    description: str = (
        "SARIF 2.1.0 for GitHub code scanning: a rule per check, a result per FAIL and WARN."
    )

    def render(self, report: Report) -> str:
        return json.dumps(sarif_log(report), indent=2) + "\n"


FORMAT = SarifFormat()
