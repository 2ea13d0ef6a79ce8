"""Comparing a run with an earlier one: what is new, what changed, what was resolved.

Two runs' findings are the same finding when their key matches: (check id, region, resource).
With the same key, a different status or severity is a change. A baseline FAIL whose key does not
FAIL any more is resolved; it is only judged when this run audited the same check in the same
region, so narrowing a run with ``--check`` or ``--region`` does not "resolve" everything left out.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from wa_audit.models import (
    GLOBAL_REGION,
    BaselineInfo,
    Change,
    Finding,
    FindingChange,
    FindingKey,
    Frozen,
    Report,
    Status,
)


@dataclass(frozen=True)
class Baseline:
    """An earlier Report and where it came from (the path, as the user wrote it)."""

    report: Report
    source: str


class RunRef(Frozen):
    source: str
    account_id: str
    started_at: datetime
    tool_version: str


class Comparison(Frozen):
    """``wa-audit diff``: the later run's findings set against the earlier run's."""

    old: RunRef
    new: RunRef
    new_findings: tuple[Finding, ...]
    changed: tuple[Finding, ...]
    resolved: tuple[Finding, ...]
    unchanged: int


def by_key(findings: Iterable[Finding]) -> dict[FindingKey, Finding]:
    return {finding.key: finding for finding in findings}


def mark_changes(findings: Sequence[Finding], previous: Sequence[Finding]) -> tuple[Finding, ...]:
    """Each finding with its ``change`` against ``previous`` (replacing any earlier mark)."""
    earlier = by_key(previous)
    marked = []
    for finding in findings:
        before = earlier.get(finding.key)
        if before is None:
            change = FindingChange(kind=Change.NEW)
        else:
            same = before.status is finding.status and before.severity is finding.severity
            change = FindingChange(
                kind=Change.UNCHANGED if same else Change.CHANGED,
                previous_status=before.status,
                previous_severity=before.severity,
            )
        marked.append(finding.model_copy(update={"change": change}))
    return tuple(marked)


def resolved_since(
    previous: Sequence[Finding],
    current: Sequence[Finding],
    *,
    checks_run: Collection[str],
    regions: Collection[str],
) -> tuple[Finding, ...]:
    """Baseline FAILs that no longer fail, among the checks and regions this run audited."""
    now = by_key(current)
    resolved = []
    for before in previous:
        if before.status is not Status.FAIL or before.check_id not in checks_run:
            continue
        if before.region != GLOBAL_REGION and before.region not in regions:
            continue
        after = now.get(before.key)
        if after is None or after.status is not Status.FAIL:
            resolved.append(before)
    return tuple(resolved)


def compare_with_baseline(
    findings: Sequence[Finding],
    baseline: Baseline,
    *,
    checks_run: Collection[str],
    regions: Collection[str],
) -> tuple[tuple[Finding, ...], BaselineInfo]:
    """What ``wa-audit run --baseline`` stores: marked findings and the baseline section."""
    previous = baseline.report.findings
    info = BaselineInfo(
        source=baseline.source,
        started_at=baseline.report.started_at,
        tool_version=baseline.report.tool_version,
        resolved=resolved_since(previous, findings, checks_run=checks_run, regions=regions),
    )
    return mark_changes(findings, previous), info


def compare_reports(old: Baseline, new: Baseline) -> Comparison:
    """``wa-audit diff OLD NEW``: new, changed and resolved findings, as the later run sees them."""
    marked = mark_changes(new.report.findings, old.report.findings)
    return Comparison(
        old=_ref(old),
        new=_ref(new),
        new_findings=tuple(f for f in marked if f.change and f.change.kind is Change.NEW),
        changed=tuple(f for f in marked if f.change and f.change.kind is Change.CHANGED),
        resolved=resolved_since(
            old.report.findings,
            marked,
            checks_run={spec.id for spec in new.report.checks},
            regions=new.report.regions,
        ),
        unchanged=sum(1 for f in marked if f.change and f.change.kind is Change.UNCHANGED),
    )


def _ref(run: Baseline) -> RunRef:
    return RunRef(
        source=run.source,
        account_id=run.report.account_id,
        started_at=run.report.started_at,
        tool_version=run.report.tool_version,
    )
