"""The findings table's data: embedded once in the page as JSON and drawn by the page's script.

Check metadata is shared by the check's rows, not repeated per row, so 10,000 findings stay a few
MB. Rows come in the order the table shows them: what is new since the baseline first, then the
most severe, the most urgent status first.
"""

from __future__ import annotations

from typing import Any

from pydantic_core import to_jsonable_python

from wa_audit.models import CheckSpec, Finding, Pillar, Report, Status

STATUS_ORDER = (Status.FAIL, Status.WARN, Status.ERROR, Status.NOT_APPLICABLE, Status.PASS)
STATUS_LABEL = {
    Status.FAIL: "Fail",
    Status.WARN: "Warn",
    Status.ERROR: "Error",
    Status.NOT_APPLICABLE: "N/A",
    Status.PASS: "Pass",
}
WEB_SCHEMES = ("https://", "http://")


def safe_url(url: str | None) -> str | None:
    """Only web links become links: a plugin's ``javascript:`` docs_url stays text."""
    return url if url and url.lower().startswith(WEB_SCHEMES) else None


def finding_order(finding: Finding) -> tuple[bool, int, int, str, str, str]:
    return (
        not finding.new_failure,
        -finding.severity.rank,
        STATUS_ORDER.index(finding.status),
        finding.check_id,
        finding.region,
        finding.resource,
    )


def _check_entry(spec: CheckSpec) -> dict[str, Any]:
    return {
        "title": spec.title,
        "fail_title": spec.failure_title,
        "pillar": spec.pillar.value,
        "remediation": spec.remediation,
        "docs": safe_url(spec.docs_url),
        "bps": list(spec.best_practices),
    }


def _unknown_check(finding: Finding) -> dict[str, Any]:
    """A finding whose check is not in ``report.checks`` (a hand-edited results.json, say)."""
    return {
        "title": finding.check_id,
        "fail_title": finding.check_id,
        "pillar": finding.pillar.value,
        "remediation": "",
        "docs": None,
        "bps": list(finding.best_practices),
    }


def _jsonable(value: Any) -> Any:
    """Evidence and markers as JSON types (dates as ISO text), as results.json has them."""
    return to_jsonable_python(value)


def _row(finding: Finding, check: dict[str, Any]) -> dict[str, Any]:
    """One finding; optional keys appear only when they say something."""
    row: dict[str, Any] = {
        "check": finding.check_id,
        "severity": finding.severity.value,
        "status": finding.status.value,
        "region": finding.region,
        "resource": finding.resource,
        "message": finding.message,
        "evidence": _jsonable(finding.evidence),
    }
    if list(finding.best_practices) != check["bps"]:
        row["bps"] = list(finding.best_practices)
    if finding.change is not None:
        row["change"] = _jsonable(finding.change.model_dump(exclude_none=True))
        row["new_failure"] = finding.new_failure
    if finding.suppression is not None:
        row["suppression"] = _jsonable(finding.suppression.model_dump())
    return row


def findings_data(report: Report) -> dict[str, Any]:
    checks = {spec.id: _check_entry(spec) for spec in report.checks}
    rows = []
    for finding in sorted(report.findings, key=finding_order):
        check = checks.setdefault(finding.check_id, _unknown_check(finding))
        rows.append(_row(finding, check))
    return {
        "pillars": {p.value: p.label for p in Pillar},
        "statuses": {s.value: STATUS_LABEL[s] for s in STATUS_ORDER},
        "checks": checks,
        "findings": rows,
    }
