"""What a person sees on the terminal after a run: short, new things first, by severity."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable

import click

from wa_audit.escaping import terminal_text
from wa_audit.exitcodes import ExitCode
from wa_audit.models import (
    ALL_REGIONS,
    Finding,
    FindingGroup,
    Pillar,
    Report,
    Severity,
    SpendSummary,
    Status,
    SuppressionState,
    by_severity,
    group_findings,
)
from wa_audit.text import agree, plural

SUMMARY_STATUSES = (Status.PASS, Status.FAIL, Status.WARN, Status.ERROR)
TOP_FAILURES = 10
MESSAGES_SHOWN = 5  # distinct messages of one group in the terminal; results.html has them all
INDENT = " " * 11
STATUS_COLOUR = {
    Status.PASS: "green",
    Status.FAIL: "red",
    Status.WARN: "yellow",
    Status.ERROR: "magenta",
    Status.NOT_APPLICABLE: "bright_black",
}
SEVERITY_COLOUR = {
    Severity.CRITICAL: "bright_red",
    Severity.HIGH: "red",
    Severity.MEDIUM: "yellow",
    Severity.LOW: "cyan",
    Severity.INFO: "bright_black",
}
Paint = Callable[[str, str | None], str]


def painter(colour: bool) -> Paint:
    """``click.style`` when colour is on, the plain text otherwise."""

    def paint(text: str, fg: str | None) -> str:
        return click.style(text, fg=fg, bold=fg in ("red", "bright_red")) if colour and fg else text

    return paint


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
        ExitCode.INCOMPLETE: (
            "some checks could not be assessed"
            if any(f.status is Status.ERROR and not f.suppressed for f in report.findings)
            else "the account's regions could not be listed"
        ),
        ExitCode.CANNOT_AUDIT: f"the audit stopped early: {terminal_text(report.aborted)}",
    }.get(code, code.name.lower())


def _group_lines(report: Report, group: FindingGroup, paint: Paint, verdict: str) -> list[str]:
    """'HIGH  ops.health-notifications  AWS Health events reach no one — FAIL in 17 regions',
    then where, each distinct message (a region's name aside), and what to do."""
    spec = report.check_spec(group.check_id)
    title = spec.title_for(group.status) if spec else group.check_id
    severity = paint(f"{group.severity.value.upper():<8}", SEVERITY_COLOUR[group.severity])
    status = paint(verdict, STATUS_COLOUR.get(group.status))
    extent = f" in {group.extent}" if group.extent else ""
    lines = [f"  {severity} {group.check_id}  {title} — {status}{extent}"]
    if group.count == 1:
        lines.append(terminal_text(f"{INDENT}{group.first.region}: {group.first.message}"))
    else:
        lines.append(terminal_text(f"{INDENT}{group.places}"))
        messages = group.messages
        for said in messages[:MESSAGES_SHOWN]:
            also = f" (and {said.count - 1} more like it)" if said.count > 1 else ""
            lines.append(terminal_text(f"{INDENT}- {said.finding.region}: {said.message}{also}"))
        if len(messages) > MESSAGES_SHOWN:
            rest = plural(len(messages) - MESSAGES_SHOWN, "other message")
            lines.append(f"{INDENT}- … and {rest} (results.html lists every finding)")
    if spec and spec.remediation and verdict != "resolved":
        lines.append(terminal_text(f"{INDENT}Fix: {spec.remediation}"))
    return lines


def _limited(
    report: Report, findings: list[Finding], paint: Paint, verdict: str | None = None
) -> list[str]:
    """The first groups of ``findings`` (already in order), then how many findings are left."""
    groups = group_findings(findings)
    lines = []
    for group in groups[:TOP_FAILURES]:
        lines += _group_lines(report, group, paint, verdict or group.status.value)
    left = sum(g.count for g in groups[TOP_FAILURES:])
    if left:
        lines.append(f"  … and {left} more in {plural(len(groups) - TOP_FAILURES, 'check')}")
    return lines


def what_changed(report: Report, paint: Paint | None = None) -> list[str]:
    """The lead of the summary when there is a baseline: new failures, then what got resolved."""
    if report.baseline is None:
        return []
    paint = paint or painter(False)
    new = by_severity(f for f in report.findings if f.new_failure)
    when = report.baseline.started_at.strftime("%Y-%m-%d %H:%M UTC")
    lines = [
        f"Since {when}: {len(new)} new FAIL, {len(report.baseline.resolved)} resolved",
        *_limited(report, new, paint),
    ]
    if report.baseline.resolved:
        lines.append("Resolved:")
        lines += _limited(report, by_severity(report.baseline.resolved), paint, "resolved")
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
    """Requested regions that were skipped, one line each; the routine opt-in ones, counted;
    first, if the account's regions could not be listed, which ones were audited instead."""
    routine = [n for n in report.skipped_regions if n.reason == "opt-in region not enabled"]
    lines = [
        terminal_text(
            f"Regions: {note.reason}; audited {', '.join(report.regions)} only"
            if note.region == ALL_REGIONS
            else f"Skipped region {note.region}: {note.reason}"
        )
        for note in report.skipped_regions
        if note not in routine
    ]
    if routine:
        lines.append(
            f"Skipped {plural(len(routine), 'opt-in region')} that "
            f"{agree(len(routine), 'is', 'are')} not enabled."
        )
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


def summary_text(report: Report, colour: bool = False) -> str:
    """The terminal summary; ``colour`` adds ANSI colours for status and severity."""
    paint = painter(colour)
    lines = [
        f"wa-audit {report.tool_version}: account {report.account_id}, "
        f"{plural(len(report.regions), 'region')}, {plural(len(report.checks), 'check')}, "
        f"{report.duration_seconds:.1f}s",
        "",
        *what_changed(report, paint),
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
        cells = "".join(
            paint(
                f"{counts[s]:>7}", STATUS_COLOUR[s] if counts[s] and s is not Status.PASS else None
            )
            for s in SUMMARY_STATUSES
        )
        lines.append(f"  {pillar.label:<24}{risk_cells}{cells}")
    if report.scores:
        lines += [
            f"  {'overall':<24}{_score_text(report.scores.overall):>6}",
            "  Score: the severity-weighted share of checked resources that pass, per best",
            "  practice, averaged by AWS risk. high/med: questions at high or medium risk.",
        ]
    failures = by_severity(f for f in report.findings if f.open_failure)
    if failures:
        checks = len({f.check_id for f in failures})
        lines += ["", f"Top failures ({len(failures)} open in {plural(checks, 'check')}):"]
        lines += _limited(report, failures, paint)
    suppressed = [f for f in report.findings if f.suppressed]
    if suppressed:
        lines += ["", f"Suppressed ({len(suppressed)}): still in every output, not counted."]
    notes = suppression_notes(report)
    if notes:
        lines += ["", *notes]
    lines += _quota_lines(report, paint)
    errors = [f for f in report.findings if f.status is Status.ERROR and not f.suppressed]
    if errors:
        lines += ["", f"Not assessed ({len(errors)}):"]
        lines += [
            terminal_text(f"  {f.check_id} {f.region}: {f.message}") for f in errors[:TOP_FAILURES]
        ]
    lines += spend_lines(report.spend)
    lines += skipped_region_lines(report)
    code_colour = "green" if report.exit_code == ExitCode.OK else "red"
    lines += ["", paint(f"exit {report.exit_code}: {exit_reason(report)}", code_colour)]
    return "\n".join(lines)


def _score_text(score: float | None) -> str:
    return "-" if score is None else f"{score:.0f}"


def _quota_lines(report: Report, paint: Paint) -> list[str]:
    """Quotas at or above their warning level: the outage a request would prevent."""
    near = sorted((q for q in report.quotas if q.level != "ok"), key=lambda q: -(q.percent or 0))
    if not near:
        return []
    colours = {"critical": "red", "warning": "yellow"}
    return ["", "Quotas near their limit:"] + [
        f"  {paint(f'{q.percent or 0:g}%', colours[q.level])} {q.region} "
        f"{q.service_code}/{q.quota_code} {q.quota_name}: {q.usage or 0:g} of {q.limit:g} "
        f"({q.level} at {q.warn_level:g}%/{q.critical_level:g}%)"
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
    if any(note.region == ALL_REGIONS for note in report.skipped_regions):
        tail.append("regions not listed")
    if report.aborted:
        tail.append("stopped early")
    return "; ".join([f"wa-audit: {', '.join(parts)}", *tail, f"exit {report.exit_code}"])


def _critical(findings: list[Finding]) -> int:
    return sum(1 for f in findings if f.severity is Severity.CRITICAL)
