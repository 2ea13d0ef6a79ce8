"""Failures as the scorecard lists them: one line per check and verdict, headed by the fact.

"Root user has access keys — FAIL", with where it applies ("17 regions") and what to do about it;
every single finding stays in the findings table below.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

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
