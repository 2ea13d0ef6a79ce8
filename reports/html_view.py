"""What the scorecard shows, computed from the Report alone: the template only lays it out."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from wa_audit.exitcodes import ExitCode
from wa_audit.models import (
    QUOTA_CHECK_ID,
    Change,
    Coverage,
    Finding,
    Pillar,
    PillarScore,
    QuotaUsage,
    RegionNote,
    Report,
    Severity,
    Status,
)

from .html_charts import Gauge, MonthChart, Segment, coverage_segments, month_chart
from .html_data import STATUS_LABEL, STATUS_ORDER, finding_order, findings_data
from .html_failures import ListedGroup, listed_groups
from .html_questions import QuestionGroup, question_groups
from .verdict import verdict_sentence

SEVERITY_ORDER = tuple(sorted(Severity, key=lambda s: -s.rank))
TOP_FAILURES = 10  # groups shown unfolded: a check failing in 17 regions is one line
QUOTAS_SHOWN = 10  # at least; every quota at or above its warning level is shown too
ROUTINE_SKIP = "opt-in region not enabled"  # said of every opt-in region an account has not enabled


@dataclass(frozen=True)
class ExitSummary:
    code: int
    name: str
    sentence: str


def exit_summary(report: Report) -> ExitSummary:
    try:
        name = ExitCode(report.exit_code).name.lower().replace("_", " ")
    except ValueError:
        name = "unknown"
    return ExitSummary(report.exit_code, name, verdict_sentence(report))


@dataclass(frozen=True)
class PillarRow:
    pillar: Pillar
    score: PillarScore | None
    gauge: Gauge
    counts: Counter[Status]
    coverage: list[Segment]


@dataclass(frozen=True)
class Changes:
    """This run against its baseline; None when the run had no baseline."""

    new_failures: int
    new_groups: tuple[ListedGroup, ...]
    changed: int
    resolved: int
    resolved_groups: tuple[ListedGroup, ...]


@dataclass(frozen=True)
class FilterOption:
    value: str
    label: str


@dataclass(frozen=True)
class Filter:
    name: str
    all_label: str
    options: tuple[FilterOption, ...]


@dataclass(frozen=True)
class ScorecardView:
    account_alias: str | None
    exit: ExitSummary
    unassessed_checks: tuple[str, ...]
    skipped_regions: tuple[RegionNote, ...]
    routine_skips: int
    status_counts: dict[Status, int]
    suppressed: int
    overall: Gauge
    high_risks: int
    medium_risks: int
    pillars: tuple[PillarRow, ...]
    coverage_total: list[Segment]
    changes: Changes | None
    question_groups: tuple[QuestionGroup, ...]
    top_failures: tuple[ListedGroup, ...]
    more_failures: tuple[ListedGroup, ...]
    """Every group after the first ten, folded under them."""
    open_failures: int
    failure_groups: int
    quotas: tuple[QuotaUsage, ...]
    quotas_shown: int
    quota_levels: tuple[float, float] | None
    quotas_judged: bool
    """Whether rel.service-quotas ran: otherwise the levels are only configured, not applied."""
    spend_chart: MonthChart | None
    permissions_to_grant: tuple[str, ...]
    filters: tuple[Filter, ...]
    findings_data: dict[str, Any]
    api_call_total: int


def build_view(report: Report) -> ScorecardView:
    scores = {p.pillar: p for p in report.scores.pillars} if report.scores else {}
    counted = [f for f in report.findings if not f.suppressed]
    counts_by_pillar: dict[Pillar, Counter[Status]] = {p: Counter() for p in Pillar}
    for finding in counted:
        counts_by_pillar[finding.pillar][finding.status] += 1
    failures = sorted((f for f in report.findings if f.open_failure), key=finding_order)
    failure_groups = listed_groups(report, failures)
    alias = getattr(report, "account_alias", None)  # shown once the Report carries it
    return ScorecardView(
        account_alias=alias if isinstance(alias, str) and alias else None,
        exit=exit_summary(report),
        unassessed_checks=tuple(
            sorted({f.check_id for f in report.findings if f.status is Status.ERROR})
        ),
        skipped_regions=tuple(n for n in report.skipped_regions if n.reason != ROUTINE_SKIP),
        routine_skips=sum(n.reason == ROUTINE_SKIP for n in report.skipped_regions),
        status_counts=_status_counts(counted),
        suppressed=len(report.findings) - len(counted),
        overall=Gauge("Overall", report.scores.overall if report.scores else None, "scorecard"),
        high_risks=sum(p.high_risks for p in scores.values()),
        medium_risks=sum(p.medium_risks for p in scores.values()),
        pillars=tuple(
            _pillar_row(pillar, scores.get(pillar), counts_by_pillar[pillar]) for pillar in Pillar
        ),
        coverage_total=_total_coverage(scores.values()),
        changes=_changes(report),
        question_groups=question_groups(report.questions),
        top_failures=failure_groups[:TOP_FAILURES],
        more_failures=failure_groups[TOP_FAILURES:],
        open_failures=len(failures),
        failure_groups=len(failure_groups),
        quotas=tuple(sorted(report.quotas, key=_fullest_first)),
        quotas_shown=max(QUOTAS_SHOWN, sum(1 for q in report.quotas if q.level != "ok")),
        quota_levels=_shared_levels(report.quotas),
        quotas_judged=any(spec.id == QUOTA_CHECK_ID for spec in report.checks),
        spend_chart=month_chart(report.spend.last_months) if report.spend else None,
        permissions_to_grant=tuple(
            sorted({e.missing_permission for e in report.errors if e.missing_permission})
        ),
        filters=_filters(report),
        findings_data=findings_data(report),
        api_call_total=sum(report.api_calls.values()),
    )


def _status_counts(findings: Iterable[Finding]) -> dict[Status, int]:
    counts = Counter(f.status for f in findings)
    return {status: counts[status] for status in STATUS_ORDER}


def _fullest_first(quota: QuotaUsage) -> tuple[float, str, str]:
    return (-(quota.percent if quota.percent is not None else -1.0), quota.quota_name, quota.region)


def _pillar_row(pillar: Pillar, score: PillarScore | None, counts: Counter[Status]) -> PillarRow:
    return PillarRow(
        pillar=pillar,
        score=score,
        gauge=Gauge(pillar.label, score.score if score else None, f"pillar-{pillar.check_prefix}"),
        counts=counts,
        coverage=coverage_segments(score.coverage) if score else [],
    )


def _total_coverage(scores: Iterable[PillarScore]) -> list[Segment]:
    listed = list(scores)
    if not listed:
        return []
    return coverage_segments(
        Coverage(
            automated=sum(s.coverage.automated for s in listed),
            answered=sum(s.coverage.answered for s in listed),
            unassessed=sum(s.coverage.unassessed for s in listed),
        )
    )


def _shared_levels(quotas: Iterable[QuotaUsage]) -> tuple[float, float] | None:
    """The warning and critical levels when every quota has the same ones (None: they differ)."""
    levels = {(q.warn_level, q.critical_level) for q in quotas}
    return levels.pop() if len(levels) == 1 else None


def _changes(report: Report) -> Changes | None:
    if report.baseline is None:
        return None
    new = sorted((f for f in report.findings if f.new_failure), key=finding_order)
    resolved = sorted(report.baseline.resolved, key=finding_order)
    return Changes(
        new_failures=len(new),
        new_groups=listed_groups(report, new),
        changed=sum(1 for f in report.findings if f.change and f.change.kind is Change.CHANGED),
        resolved=len(resolved),
        resolved_groups=listed_groups(report, resolved),
    )


def _filters(report: Report) -> tuple[Filter, ...]:
    """The findings table's drop-downs; 'change' only when the run had a baseline."""
    known = [spec.id for spec in report.checks]
    check_ids = known + sorted({f.check_id for f in report.findings} - set(known))
    titles = {spec.id: spec.title for spec in report.checks}
    filters = [
        Filter("pillar", "All pillars", tuple(FilterOption(p.value, p.label) for p in Pillar)),
        Filter(
            "severity",
            "All severities",
            tuple(FilterOption(s.value, s.value.capitalize()) for s in SEVERITY_ORDER),
        ),
        Filter(
            "status",
            "All statuses",
            tuple(FilterOption(s.value, STATUS_LABEL[s]) for s in STATUS_ORDER),
        ),
        Filter(
            "region",
            "All regions",
            tuple(FilterOption(r, r) for r in sorted({f.region for f in report.findings})),
        ),
        Filter(
            "check",
            "All checks",
            tuple(FilterOption(c, f"{c} · {titles[c]}" if c in titles else c) for c in check_ids),
        ),
    ]
    if report.baseline is not None:
        kinds = (
            FilterOption("new-failure", "New failures"),
            *(FilterOption(kind.value, kind.value.capitalize()) for kind in Change),
        )
        filters.append(Filter("change", "Any change", kinds))
    return tuple(filters)
