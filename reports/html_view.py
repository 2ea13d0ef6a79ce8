"""What the scorecard shows, computed from the Report alone: the template only lays it out."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from pydantic_core import to_jsonable_python

from wa_audit.exitcodes import ExitCode
from wa_audit.models import (
    CheckSpec,
    Coverage,
    Finding,
    Pillar,
    PillarScore,
    QuestionResult,
    QuestionRisk,
    QuotaUsage,
    Report,
    Severity,
    Status,
)

from .html_charts import Gauge, MonthChart, Segment, coverage_segments, month_chart

# Most urgent first: the findings table, top failures and filters all use this order.
STATUS_ORDER = (Status.FAIL, Status.WARN, Status.ERROR, Status.NOT_APPLICABLE, Status.PASS)
SEVERITY_ORDER = tuple(sorted(Severity, key=lambda s: -s.rank))
STATUS_LABEL = {
    Status.FAIL: "Fail",
    Status.WARN: "Warn",
    Status.ERROR: "Error",
    Status.NOT_APPLICABLE: "N/A",
    Status.PASS: "Pass",
}
RISK_LABEL = {
    QuestionRisk.HIGH: "High risk",
    QuestionRisk.MEDIUM: "Medium risk",
    QuestionRisk.NONE: "No risk",
    QuestionRisk.UNANSWERED: "Unanswered",
    QuestionRisk.NOT_APPLICABLE: "Not applicable",
}
TOP_FAILURES = 10
WEB_SCHEMES = ("https://", "http://")


def safe_url(url: str | None) -> str | None:
    """Only web links become links: a plugin's ``javascript:`` docs_url stays text."""
    return url if url and url.lower().startswith(WEB_SCHEMES) else None


def finding_order(finding: Finding) -> tuple[int, int, str, str, str]:
    return (
        -finding.severity.rank,
        STATUS_ORDER.index(finding.status),
        finding.check_id,
        finding.region,
        finding.resource,
    )


@dataclass(frozen=True)
class ExitSummary:
    code: int
    name: str
    meaning: str
    threshold: str


def exit_summary(report: Report) -> ExitSummary:
    threshold = report.fail_on.value if report.fail_on else "never"
    try:
        code = ExitCode(report.exit_code)
    except ValueError:
        return ExitSummary(
            report.exit_code, "unknown", "An exit code this version does not know.", threshold
        )
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
class TopFailure:
    finding: Finding
    title: str


@dataclass(frozen=True)
class FilterOption:
    value: str
    label: str


@dataclass(frozen=True)
class Filters:
    pillars: tuple[FilterOption, ...]
    severities: tuple[FilterOption, ...]
    statuses: tuple[FilterOption, ...]
    regions: tuple[FilterOption, ...]
    checks: tuple[FilterOption, ...]


@dataclass(frozen=True)
class ScorecardView:
    report: Report
    account_alias: str | None
    exit: ExitSummary
    unassessed_checks: tuple[str, ...]
    status_counts: dict[Status, int]
    overall: Gauge
    high_risks: int
    medium_risks: int
    pillars: tuple[PillarRow, ...]
    coverage_total: list[Segment]
    question_groups: tuple[QuestionGroup, ...]
    top_failures: tuple[TopFailure, ...]
    failure_count: int
    quotas: tuple[QuotaUsage, ...]
    spend_chart: MonthChart | None
    permissions_to_grant: tuple[str, ...]
    filters: Filters
    findings_data: dict[str, Any]
    api_call_total: int


def build_view(report: Report) -> ScorecardView:
    specs = {spec.id: spec for spec in report.checks}
    scores = {p.pillar: p for p in report.scores.pillars} if report.scores else {}
    counts_by_pillar: dict[Pillar, Counter[Status]] = {p: Counter() for p in Pillar}
    for finding in report.findings:
        counts_by_pillar[finding.pillar][finding.status] += 1
    failures = sorted((f for f in report.findings if f.status is Status.FAIL), key=finding_order)
    alias = getattr(report, "account_alias", None)  # shown once the Report carries it
    return ScorecardView(
        report=report,
        account_alias=alias if isinstance(alias, str) and alias else None,
        exit=exit_summary(report),
        unassessed_checks=tuple(
            sorted({f.check_id for f in report.findings if f.status is Status.ERROR})
        ),
        status_counts=_status_counts(report.findings),
        overall=Gauge("Overall", report.scores.overall if report.scores else None, "scorecard"),
        high_risks=sum(p.high_risks for p in scores.values()),
        medium_risks=sum(p.medium_risks for p in scores.values()),
        pillars=tuple(
            _pillar_row(pillar, scores.get(pillar), counts_by_pillar[pillar]) for pillar in Pillar
        ),
        coverage_total=_total_coverage(scores.values()),
        question_groups=_question_groups(report.questions),
        top_failures=tuple(
            TopFailure(f, specs[f.check_id].title if f.check_id in specs else f.check_id)
            for f in failures[:TOP_FAILURES]
        ),
        failure_count=len(failures),
        quotas=tuple(
            sorted(
                report.quotas,
                key=lambda q: (
                    -(q.percent if q.percent is not None else -1),
                    q.quota_name,
                    q.region,
                ),
            )
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


def _question_groups(questions: Sequence[QuestionResult]) -> tuple[QuestionGroup, ...]:
    groups = []
    for pillar in Pillar:
        mine = tuple(q for q in questions if q.pillar is pillar)
        if mine:
            groups.append(QuestionGroup(pillar, mine, Counter(q.risk for q in mine)))
    return tuple(groups)


def _filters(report: Report) -> Filters:
    present = {f.check_id for f in report.findings}
    check_ids = [s.id for s in report.checks] + sorted(present - {s.id for s in report.checks})
    titles = {s.id: s.title for s in report.checks}
    return Filters(
        pillars=tuple(FilterOption(p.value, p.label) for p in Pillar),
        severities=tuple(FilterOption(s.value, s.value.capitalize()) for s in SEVERITY_ORDER),
        statuses=tuple(FilterOption(s.value, STATUS_LABEL[s]) for s in STATUS_ORDER),
        regions=tuple(FilterOption(r, r) for r in sorted({f.region for f in report.findings})),
        checks=tuple(
            FilterOption(c, f"{c} · {titles[c]}" if c in titles else c) for c in check_ids
        ),
    )


def _check_entry(spec: CheckSpec) -> dict[str, Any]:
    return {
        "title": spec.title,
        "pillar": spec.pillar.value,
        "remediation": spec.remediation,
        "docs": safe_url(spec.docs_url),
        "bps": list(spec.best_practices),
    }


def _jsonable(evidence: dict[str, Any]) -> dict[str, Any]:
    """Evidence as JSON types (dates as ISO text), as results.json has it."""
    converted: dict[str, Any] = to_jsonable_python(evidence)
    return converted


def findings_data(report: Report) -> dict[str, Any]:
    """The findings table's data, embedded once: check metadata is shared, not repeated per row.

    A row carries ``bps`` only when its best practices differ from its check's.
    """
    checks = {spec.id: _check_entry(spec) for spec in report.checks}
    rows = []
    for finding in sorted(report.findings, key=finding_order):
        check = checks.setdefault(
            finding.check_id,
            {
                "title": finding.check_id,
                "pillar": finding.pillar.value,
                "remediation": "",
                "docs": None,
                "bps": list(finding.best_practices),
            },
        )
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
        rows.append(row)
    return {
        "pillars": {p.value: p.label for p in Pillar},
        "statuses": {s.value: STATUS_LABEL[s] for s in STATUS_ORDER},
        "checks": checks,
        "findings": rows,
    }
