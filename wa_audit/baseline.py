"""Comparing a run with an earlier one: what is new, what changed, what was resolved.

Two runs' findings are the same finding when their key matches: (check id, region, resource).
With the same key, a different status or severity is a change. Only what both runs audited is
compared: a finding whose check or region the other run did not audit is *not compared*, never
"new" or "resolved", so narrowing a run to a few checks or regions does not "resolve" everything
left out, and a check added since the baseline does not bring a wave of "new" failures. A
baseline FAIL that is now ERROR is not compared either: nobody knows whether it still fails.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from pydantic import Field

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
from wa_audit.suppressions import SUPPRESSION_EXPIRED


@dataclass(frozen=True)
class Baseline:
    """An earlier Report and where it came from (the path, as the user wrote it)."""

    report: Report
    source: str


@dataclass(frozen=True)
class Scope:
    """What one run audited: its checks and regions ('global' findings are in every scope)."""

    checks: frozenset[str]
    regions: frozenset[str]

    def covers(self, finding: Finding) -> bool:
        in_region = finding.region == GLOBAL_REGION or finding.region in self.regions
        return finding.check_id in self.checks and in_region


ALWAYS_JUDGED = frozenset({SUPPRESSION_EXPIRED.id})
"""Checks every run judges, listed in a Report only when they found something."""


def scope_of(report: Report) -> Scope:
    checks = frozenset(spec.id for spec in report.checks) | ALWAYS_JUDGED
    return Scope(checks, frozenset(report.regions))


class NotCompared(Frozen):
    """What only one of two runs audited, and how many findings that leaves out of the diff."""

    checks_only_before: tuple[str, ...] = ()
    checks_only_after: tuple[str, ...] = ()
    regions_only_before: tuple[str, ...] = ()
    regions_only_after: tuple[str, ...] = ()
    findings_before: int = Field(
        default=0,
        description="Earlier FAILs left out: outside the later run's scope, or ERROR in it.",
    )
    findings_after: int = Field(default=0, description="Later findings outside the earlier scope.")

    @property
    def total(self) -> int:
        return self.findings_before + self.findings_after


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
    not_compared: NotCompared = NotCompared()


def by_key(findings: Iterable[Finding]) -> dict[FindingKey, Finding]:
    return {finding.key: finding for finding in findings}


def mark_changes(
    findings: Sequence[Finding], previous: Sequence[Finding], previous_scope: Scope | None = None
) -> tuple[Finding, ...]:
    """Each finding with its ``change`` against ``previous`` (replacing any earlier mark)."""
    earlier = by_key(previous)
    marked = []
    for finding in findings:
        before = earlier.get(finding.key)
        if before is None and previous_scope is not None and not previous_scope.covers(finding):
            change = FindingChange(kind=Change.NOT_COMPARED)
        elif before is None:
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
    return _split_previous(previous, current, Scope(frozenset(checks_run), frozenset(regions)))[0]


def _split_previous(
    previous: Sequence[Finding], current: Sequence[Finding], scope: Scope
) -> tuple[tuple[Finding, ...], int]:
    """Baseline FAILs resolved now, and how many could not be compared (out of scope, ERROR)."""
    now = by_key(current)
    resolved, not_compared = [], 0
    for before in previous:
        if before.status is not Status.FAIL:
            continue
        after = now.get(before.key)
        if not scope.covers(before) or (after is not None and after.status is Status.ERROR):
            not_compared += 1
        elif after is None or after.status is not Status.FAIL:
            resolved.append(before)
    return tuple(resolved), not_compared


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
    return mark_changes(findings, previous, scope_of(baseline.report)), info


def compare_reports(old: Baseline, new: Baseline) -> Comparison:
    """``wa-audit diff OLD NEW``: new, changed and resolved findings, as the later run sees them."""
    before, after = scope_of(old.report), scope_of(new.report)
    marked = mark_changes(new.report.findings, old.report.findings, before)
    kinds = [f.change.kind if f.change else None for f in marked]
    resolved, old_left_out = _split_previous(old.report.findings, marked, after)
    return Comparison(
        old=_ref(old),
        new=_ref(new),
        new_findings=tuple(f for f, kind in zip(marked, kinds, strict=True) if kind is Change.NEW),
        changed=tuple(f for f, kind in zip(marked, kinds, strict=True) if kind is Change.CHANGED),
        resolved=resolved,
        unchanged=kinds.count(Change.UNCHANGED),
        not_compared=NotCompared(
            checks_only_before=tuple(sorted(before.checks - after.checks)),
            checks_only_after=tuple(sorted(after.checks - before.checks)),
            regions_only_before=tuple(sorted(before.regions - after.regions)),
            regions_only_after=tuple(sorted(after.regions - before.regions)),
            findings_before=old_left_out,
            findings_after=kinds.count(Change.NOT_COMPARED),
        ),
    )


def _ref(run: Baseline) -> RunRef:
    return RunRef(
        source=run.source,
        account_id=run.report.account_id,
        started_at=run.report.started_at,
        tool_version=run.report.tool_version,
    )
