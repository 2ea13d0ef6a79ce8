"""Comparing a run with an earlier one: what is new, what changed, what was resolved.

Two runs' findings are the same finding when their key matches: (check id, region, resource).
With the same key, a different status or severity is a change. Only what both runs audited is
compared: a finding whose check or region the other run did not audit is *not compared*, never
"new" or "resolved", so narrowing a run to a few checks or regions does not "resolve" everything
left out, and a check added since the baseline does not bring a wave of "new" failures.

An ERROR says nothing about the resources it would have judged: when the later run has an ERROR for
a check in a region (a fact it could not read, reported once as ``<account>/<region>``), an earlier
FAIL there that the later run did not judge again is not compared, not "resolved", whatever its
resource; and a later ERROR with no finding of its key in the earlier run is not compared, not "new".
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
        if finding.region == GLOBAL_REGION:
            # An account-wide check still judges regional resources (tags on an eu-west-1
            # volume, a billing alarm kept in us-east-1): one in a region the run did not audit
            # was not looked at, so it cannot have been resolved.
            home = arn_region(finding.resource)
            in_region = home is None or home in self.regions
        else:
            in_region = finding.region in self.regions
        return finding.check_id in self.checks and in_region


def arn_region(resource: str) -> str | None:
    """The region field of an ARN (``arn:partition:service:region:account:…``); None for
    anything else and for global resources (an empty field: IAM, S3 buckets, CloudFront)."""
    parts = resource.split(":", 5)
    if len(parts) < 6 or parts[0] != "arn":
        return None
    return parts[3] or None


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
    findings_after: int = Field(
        default=0,
        description="Later findings left out: outside the earlier scope, or an ERROR with no "
        "earlier finding of its key.",
    )


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
    still_failing: int = Field(
        default=0,
        description="Earlier FAILs that still FAIL: with resolved and not compared, "
        "every earlier FAIL once.",
    )
    not_compared: NotCompared = NotCompared()

    @property
    def findings_now(self) -> int:
        """The later run's findings: each is new, changed, unchanged or not compared."""
        return (
            len(self.new_findings)
            + len(self.changed)
            + self.unchanged
            + self.not_compared.findings_after
        )

    @property
    def failures_before(self) -> int:
        """The earlier run's FAILs: each is resolved, still failing or not compared."""
        return len(self.resolved) + self.still_failing + self.not_compared.findings_before


def by_key(findings: Iterable[Finding]) -> dict[FindingKey, Finding]:
    return {finding.key: finding for finding in findings}


def errored_places(findings: Iterable[Finding]) -> frozenset[tuple[str, str]]:
    """(check id, region) of every ERROR: where that check judged nothing, whatever the resource."""
    return frozenset((f.check_id, f.region) for f in findings if f.status is Status.ERROR)


def _not_assessed(finding: Finding, errored: frozenset[tuple[str, str]]) -> bool:
    """Its check reported ERROR in its region, or account-wide ('global')."""
    return (finding.check_id, finding.region) in errored or (
        finding.check_id,
        GLOBAL_REGION,
    ) in errored


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
        elif before is None and finding.status is Status.ERROR:
            change = FindingChange(kind=Change.NOT_COMPARED)  # judged nothing: not "new"
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
    scope = Scope(frozenset(checks_run), frozenset(regions))
    return split_previous(previous, current, scope).resolved


@dataclass(frozen=True)
class EarlierFailures:
    """Every earlier FAIL exactly once: resolved, still failing, or not compared."""

    resolved: tuple[Finding, ...]
    still_failing: int
    not_compared: int


def split_previous(
    previous: Sequence[Finding], current: Sequence[Finding], scope: Scope
) -> EarlierFailures:
    """Baseline FAILs resolved now, still failing, or not compared (out of scope, or not judged:
    ERROR under its key, or gone where its check reported ERROR in the later run)."""
    now = by_key(current)
    errored = errored_places(current)
    resolved, still_failing, not_compared = [], 0, 0
    for before in previous:
        if before.status is not Status.FAIL:
            continue
        after = now.get(before.key)
        judged = after is not None and after.status is not Status.ERROR
        if not scope.covers(before) or (not judged and _not_assessed(before, errored)):
            not_compared += 1
        elif after is not None and after.status is Status.FAIL:
            still_failing += 1
        else:
            resolved.append(before)
    return EarlierFailures(tuple(resolved), still_failing, not_compared)


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
    earlier = split_previous(old.report.findings, marked, after)
    return Comparison(
        old=_ref(old),
        new=_ref(new),
        new_findings=tuple(f for f, kind in zip(marked, kinds, strict=True) if kind is Change.NEW),
        changed=tuple(f for f, kind in zip(marked, kinds, strict=True) if kind is Change.CHANGED),
        resolved=earlier.resolved,
        unchanged=kinds.count(Change.UNCHANGED),
        still_failing=earlier.still_failing,
        not_compared=NotCompared(
            checks_only_before=tuple(sorted(before.checks - after.checks)),
            checks_only_after=tuple(sorted(after.checks - before.checks)),
            regions_only_before=tuple(sorted(before.regions - after.regions)),
            regions_only_after=tuple(sorted(after.regions - before.regions)),
            findings_before=earlier.not_compared,
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
