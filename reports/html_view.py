"""What the scorecard shows, computed from the Report alone: the template only lays it out."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from wa_audit.exitcodes import ExitCode
from wa_audit.models import (
    Change,
    Coverage,
    Finding,
    Pillar,
    PillarScore,
    QuestionResult,
    QuestionRisk,
    QuotaUsage,
    RegionNote,
    Report,
    Severity,
    Status,
)

from .html_charts import Gauge, MonthChart, Segment, coverage_segments, month_chart
from .html_data import STATUS_LABEL, STATUS_ORDER, finding_order, findings_data

SEVERITY_ORDER = tuple(sorted(Severity, key=lambda s: -s.rank))
RISK_LABEL = {
    QuestionRisk.HIGH: "High risk",
    QuestionRisk.MEDIUM: "Medium risk",
    QuestionRisk.NONE: "No risk",
    QuestionRisk.UNANSWERED: "Unanswered",
    QuestionRisk.NOT_APPLICABLE: "Not applicable",
}
TOP_FAILURES = 10
QUOTAS_SHOWN = 10  # at least; every quota at or above the warning level is shown too
QUOTA_WARN_PERCENT = 80.0  # rel.service-quotas' default levels (configurable per quota there)
QUOTA_FAIL_PERCENT = 95.0
ROUTINE_SKIP = "opt-in region not enabled"  # said of every opt-in region an account has not enabled


@dataclass(frozen=True)
class ExitSummary:
    code: int
    name: str
    meaning: str
    threshold: str


def exit_summary(report: Report) -> ExitSummary:
    threshold = report.fail_on.value if report.fail_on else "never"
    if report.fail_on_new:
        threshold += ", new failures only"
    try:
        code = ExitCode(report.exit_code)
    except ValueError:
        meaning = "An exit code this version does not know."
        return ExitSummary(report.exit_code, "unknown", meaning, threshold)
    return ExitSummary(code.value, code.name.lower().replace("_", " "), code.meaning, threshold)


@dataclass(frozen=True)
class PillarRow:
    pillar: Pillar
    score: PillarScore | None
    gauge: Gauge
    counts: Counter[Status]
    coverage: list[Segment]


@dataclass(frozen=True)
class QuestionGroup:
    pillar: Pillar
    questions: tuple[QuestionResult, ...]
    risks: Counter[QuestionRisk]


@dataclass(frozen=True)
class ListedFinding:
    finding: Finding
    title: str


@dataclass(frozen=True)
class Changes:
    """This run against its baseline; None when the run had no baseline."""

    new_failures: tuple[ListedFinding, ...]
    changed: int
    resolved: tuple[ListedFinding, ...]


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
    top_failures: tuple[ListedFinding, ...]
    open_failures: int
    quotas: tuple[QuotaUsage, ...]
    quotas_shown: int
    spend_chart: MonthChart | None
    permissions_to_grant: tuple[str, ...]
    filters: tuple[Filter, ...]
    findings_data: dict[str, Any]
    api_call_total: int


def _listed(findings: Iterable[Finding], titles: dict[str, str]) -> tuple[ListedFinding, ...]:
    return tuple(ListedFinding(f, titles.get(f.check_id, f.check_id)) for f in findings)


def build_view(report: Report) -> ScorecardView:
    titles = {spec.id: spec.title for spec in report.checks}
    scores = {p.pillar: p for p in report.scores.pillars} if report.scores else {}
    counted = [f for f in report.findings if not f.suppressed]
    counts_by_pillar: dict[Pillar, Counter[Status]] = {p: Counter() for p in Pillar}
    for finding in counted:
        counts_by_pillar[finding.pillar][finding.status] += 1
    failures = sorted((f for f in report.findings if f.open_failure), key=finding_order)
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
        changes=_changes(report, titles),
        question_groups=_question_groups(report.questions),
        top_failures=_listed(failures[:TOP_FAILURES], titles),
        open_failures=len(failures),
        quotas=tuple(sorted(report.quotas, key=_fullest_first)),
        quotas_shown=max(
            QUOTAS_SHOWN,
            sum(1 for q in report.quotas if (q.percent or 0.0) >= QUOTA_WARN_PERCENT),
        ),
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


def _changes(report: Report, titles: dict[str, str]) -> Changes | None:
    if report.baseline is None:
        return None
    new = sorted((f for f in report.findings if f.new_failure), key=finding_order)
    return Changes(
        new_failures=_listed(new, titles),
        changed=sum(1 for f in report.findings if f.change and f.change.kind is Change.CHANGED),
        resolved=_listed(sorted(report.baseline.resolved, key=finding_order), titles),
    )


def _question_groups(questions: Sequence[QuestionResult]) -> tuple[QuestionGroup, ...]:
    groups = []
    for pillar in Pillar:
        mine = tuple(q for q in questions if q.pillar is pillar)
        if mine:
            groups.append(QuestionGroup(pillar, mine, Counter(q.risk for q in mine)))
    return tuple(groups)


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
