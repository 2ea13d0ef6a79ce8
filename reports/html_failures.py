"""Failures as the scorecard lists them: one line per check and verdict, headed by the fact.

"Root user has access keys — FAIL", with where it applies ("17 regions") and what to do about it;
every single finding stays in the findings table below.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from wa_audit.exitcodes import ExitCode
from wa_audit.models import Finding, FindingGroup, Report, group_findings

from .html_data import safe_url


@dataclass(frozen=True)
class ListedGroup:
    group: FindingGroup
    title: str
    remediation: str
    docs: str | None

    @property
    def new(self) -> bool:
        return any(f.new_failure for f in self.group.findings)


def listed_groups(report: Report, findings: Iterable[Finding]) -> tuple[ListedGroup, ...]:
    """``findings`` in their order, grouped by check, status and severity."""
    listed = []
    for group in group_findings(findings):
        spec = report.check_spec(group.check_id)
        listed.append(
            ListedGroup(
                group=group,
                title=spec.title_for(group.status) if spec else group.check_id,
                remediation=spec.remediation if spec else "",
                docs=safe_url(spec.docs_url) if spec else None,
            )
        )
    return tuple(listed)


def _failures(count: int) -> str:
    return f"{count} open failure{'s' if count != 1 else ''}"


def verdict_sentence(report: Report) -> str:
    """What the exit code says, in words for someone reading the file rather than a CI log."""
    threshold = report.fail_on.value if report.fail_on else None
    counted = [f for f in report.findings if f.open_failure]
    if report.fail_on_new:
        counted = [f for f in counted if f.new_failure]
    at_gate = [
        f for f in counted if report.fail_on is not None and f.severity.rank >= report.fail_on.rank
    ]
    newly = " new since the baseline" if report.fail_on_new else ""
    gate = f"{threshold} severity or above" if threshold else ""
    try:
        code = ExitCode(report.exit_code)
    except ValueError:
        return f"The run ended with code {report.exit_code}, which this version does not know."
    if code is ExitCode.FAILED:
        return f"Not passed: {_failures(len(at_gate))}{newly} of {gate}."
    if code is ExitCode.CANNOT_AUDIT:
        return "The audit could not finish, so nothing here is complete."
    if code is ExitCode.INCOMPLETE:
        return (
            "Incomplete: some checks could not be assessed, so the run cannot vouch for them; "
            + (f"no open failure{newly} of {gate}." if threshold else "failures never fail it.")
        )
    if threshold is None:
        return "Passed: this run was set never to fail on findings."
    return f"Passed: no open failure{newly} of {gate}."
