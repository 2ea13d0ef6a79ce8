"""What a person sees on the terminal after a run: short, new things first, by severity."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from wa_audit.escaping import terminal_text
from wa_audit.exitcodes import ExitCode
from wa_audit.models import (
    Finding,
    Pillar,
    Report,
    Severity,
    SpendSummary,
    Status,
    SuppressionState,
    by_severity,
)

SUMMARY_STATUSES = (Status.PASS, Status.FAIL, Status.WARN, Status.ERROR)
TOP_FAILURES = 10
QUOTA_WARN_PERCENT = 80.0


def pillar_counts(findings: Iterable[Finding]) -> dict[Pillar, Counter[Status]]:
    """Statuses per pillar, suppressed findings left out (they are counted on their own)."""
    counts: dict[Pillar, Counter[Status]] = {pillar: Counter() for pillar in Pillar}
    for finding in findings:
        if not finding.suppressed:
            counts[finding.pillar][finding.status] += 1
    return counts


def exit_reason(report: Report) -> str:
    code = ExitCode(report.exit_code)
    threshold = report.fail_on.value if report.fail_on else "never"
    failure = "new FAIL" if report.fail_on_new else "FAIL"
    return {
        ExitCode.OK: f"no {failure} at or above {threshold}",
        ExitCode.FAILED: f"{failure} at or above {threshold}",
        ExitCode.INCOMPLETE: "some checks could not be assessed",
        ExitCode.CANNOT_AUDIT: f"the audit stopped early: {terminal_text(report.aborted)}",
    }.get(code, code.name.lower())


def _finding_line(finding: Finding) -> str:
    where = terminal_text(f"{finding.check_id} {finding.region}")
    return f"  [{finding.severity.value}] {where}: {terminal_text(finding.message)}"


def _limited(findings: list[Finding]) -> list[str]:
    lines = [_finding_line(f) for f in findings[:TOP_FAILURES]]
    if len(findings) > TOP_FAILURES:
        lines.append(f"  … and {len(findings) - TOP_FAILURES} more")
    return lines


def what_changed(report: Report) -> list[str]:
    """The lead of the summary when there is a baseline: new failures, then what got resolved."""
    if report.baseline is None:
        return []
    new = by_severity(f for f in report.findings if f.new_failure)
    when = report.baseline.started_at.strftime("%Y-%m-%d %H:%M UTC")
    lines = [
        f"Since {when}: {len(new)} new FAIL, {len(report.baseline.resolved)} resolved",
        *_limited(new),
    ]
    if report.baseline.resolved:
        lines.append("Resolved:")
        lines += _limited(by_severity(report.baseline.resolved))
    return [*lines, ""]


def suppression_notes(report: Report) -> list[str]:
    lines = []
    for outcome in report.suppressions:
        rule = outcome.rule
        where = terminal_text(f"{rule.check} {rule.region} {rule.resource}")
        if outcome.state is SuppressionState.EXPIRED:
            lines.append(f"Suppression expired on {rule.expires.isoformat()}: {where}")
        elif outcome.state is SuppressionState.UNUSED:
            lines.append(f"Suppression matches nothing (remove it?): {where}")
    return lines


def skipped_region_lines(report: Report) -> list[str]:
    """Requested regions that were skipped, one line each; the routine opt-in ones, counted."""
    routine = [n for n in report.skipped_regions if n.reason == "opt-in region not enabled"]
    lines = [
        terminal_text(f"Skipped region {note.region}: {note.reason}")
        for note in report.skipped_regions
        if note not in routine
    ]
    if routine:
        lines.append(f"Skipped {len(routine)} opt-in regions that are not enabled.")
    return lines


def spend_lines(spend: SpendSummary | None) -> list[str]:
    """One or two lines on what the account spends (Cost Explorer), when the section ran."""
    if spend is None:
        return []
    if not spend.available:
        return ["", f"Spend: not available ({spend.reason})"]
    unit = "$" if spend.currency == "USD" else f"{spend.currency} "
    parts = [f"{unit}{spend.month_to_date or 0:,.2f} month to date"]
    if spend.forecast_month_end is not None:
        forecast = f"forecast {unit}{spend.forecast_month_end:,.2f} by month end"
        if spend.forecast_vs_budget_percent is not None:
            forecast += f" ({spend.forecast_vs_budget_percent:.0f}% of the largest monthly budget)"
        parts.append(forecast)
    lines = ["", "Spend: " + ", ".join(parts)]
    if spend.last_months:
        months = ", ".join(f"{m.month} {unit}{m.amount:,.2f}" for m in spend.last_months)
        lines.append(f"  last months: {months}")
    return lines


def summary_text(report: Report) -> str:
    lines = [
        f"wa-audit {report.tool_version}: account {report.account_id}, "
        f"{len(report.regions)} region(s), {len(report.checks)} checks, "
        f"{report.duration_seconds:.1f}s",
        "",
        *what_changed(report),
        f"  {'pillar':<24}{'score':>6}{'high':>6}{'med':>5}"
        + "".join(f"{s.value:>7}" for s in SUMMARY_STATUSES),
    ]
    scores = {p.pillar: p for p in report.scores.pillars} if report.scores else {}
    for pillar, counts in pillar_counts(report.findings).items():
        pillar_score = scores.get(pillar)
        risk_cells = (
            f"{_score_text(pillar_score.score):>6}{pillar_score.high_risks:>6}"
            f"{pillar_score.medium_risks:>5}"
            if pillar_score
            else f"{'':>17}"
        )
        cells = "".join(f"{counts[s]:>7}" for s in SUMMARY_STATUSES)
        lines.append(f"  {pillar.label:<24}{risk_cells}{cells}")
    if report.scores:
        lines.append(
            f"  {'overall':<24}{_score_text(report.scores.overall):>6}"
            f"  (risk-weighted share of assessed best practices met; high/med = question risks)"
        )
    failures = by_severity(f for f in report.findings if f.open_failure)
    if failures:
        lines += ["", "Top failures:", *_limited(failures)]
    suppressed = [f for f in report.findings if f.suppressed]
    if suppressed:
        lines += ["", f"Suppressed ({len(suppressed)}): still in every output, not counted."]
    notes = suppression_notes(report)
    if notes:
        lines += ["", *notes]
    lines += _quota_lines(report)
    errors = [f for f in report.findings if f.status is Status.ERROR and not f.suppressed]
    if errors:
        lines += ["", f"Not assessed ({len(errors)}):"]
        lines += [
            terminal_text(f"  {f.check_id} {f.region}: {f.message}") for f in errors[:TOP_FAILURES]
        ]
    lines += spend_lines(report.spend)
    lines += skipped_region_lines(report)
    lines += ["", f"exit {report.exit_code}: {exit_reason(report)}"]
    return "\n".join(lines)


def _score_text(score: float | None) -> str:
    return "-" if score is None else f"{score:.0f}"


def _quota_lines(report: Report) -> list[str]:
    """Quotas at or above the default warning threshold: the outage a request would prevent."""
    near = sorted(
        (q for q in report.quotas if q.percent is not None and q.percent >= QUOTA_WARN_PERCENT),
        key=lambda q: -(q.percent or 0),
    )
    if not near:
        return []
    return ["", "Quotas near their limit:"] + [
        f"  {q.percent:g}% {q.region} {q.service_code}/{q.quota_code} {q.quota_name}: "
        f"{q.usage:g} of {q.limit:g}"
        for q in near[:TOP_FAILURES]
    ]


def quiet_line(report: Report) -> str:
    """One line for cron mail and CI logs, e.g.
    ``wa-audit: 3 new FAIL (1 critical), 42 FAIL, 3 ERROR; score 61; exit 1``.

    The critical count goes with the new failures when there is a baseline, else with all of them;
    suppressed findings are counted apart; the score appears once the Report carries one.
    """
    open_failures = [f for f in report.findings if f.open_failure]
    counts: Counter[Status] = Counter(f.status for f in report.findings if not f.suppressed)
    parts = []
    if report.baseline is not None:
        new = [f for f in open_failures if f.new_failure]
        parts += [f"{len(new)} new FAIL ({_critical(new)} critical)", f"{len(open_failures)} FAIL"]
    else:
        parts.append(f"{len(open_failures)} FAIL ({_critical(open_failures)} critical)")
    if counts[Status.WARN]:
        parts.append(f"{counts[Status.WARN]} WARN")
    parts.append(f"{counts[Status.ERROR]} ERROR")
    suppressed = sum(1 for f in report.findings if f.suppressed)
    if suppressed:
        parts.append(f"{suppressed} suppressed")
    tail = [] if report.overall_score is None else [f"score {report.overall_score}"]
    if report.aborted:
        tail.append("stopped early")
    return "; ".join([f"wa-audit: {', '.join(parts)}", *tail, f"exit {report.exit_code}"])


def _critical(findings: list[Finding]) -> int:
    return sum(1 for f in findings if f.severity is Severity.CRITICAL)
