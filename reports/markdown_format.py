"""Markdown for a CI step summary or a chat message: the headline, new failures, top 10.

GitHub step summaries, GitLab and chat tools all render this subset (headings, bold, pipe tables).
With a baseline it leads with what is new and what was resolved; the score appears when the Report
carries one (``Report.overall_score`` / ``Report.pillar_score``), and the tables stay the same size
whatever the account, so the message never outgrows a summary's limits.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from wa_audit.markdown import cell, code, table
from wa_audit.models import Finding, Pillar, Report, Severity, Status, SuppressionState, by_severity

from .verdict import verdict_sentence

TOP = 10
STATUSES = (Status.PASS, Status.FAIL, Status.WARN, Status.ERROR)


def headline(report: Report) -> str:
    open_failures = [f for f in report.findings if f.open_failure]
    parts = []
    if report.baseline is not None:
        new = [f for f in open_failures if f.new_failure]
        critical = sum(1 for f in new if f.severity is Severity.CRITICAL)
        parts.append(f"**{len(new)} new FAIL** ({critical} critical)")
    parts.append(f"{len(open_failures)} FAIL")
    errors = sum(1 for f in report.findings if f.status is Status.ERROR and not f.suppressed)
    parts.append(f"{errors} ERROR")
    suppressed = sum(1 for f in report.findings if f.suppressed)
    if suppressed:
        parts.append(f"{suppressed} suppressed")
    if report.overall_score is not None:
        parts.append(f"score **{report.overall_score}**/100")
    parts.append(f"exit {report.exit_code}")
    return " · ".join(parts)


def finding_rows(findings: list[Finding]) -> list[str]:
    return table(
        ("Severity", "Check", "Region", "Resource", "Message"),
        (
            (f.severity.value, code(f.check_id), cell(f.region), code(f.resource), cell(f.message))
            for f in findings[:TOP]
        ),
    ) + (["", f"… and {len(findings) - TOP} more."] if len(findings) > TOP else [])


def pillar_table(report: Report) -> list[str]:
    counts: dict[Pillar, Counter[Status]] = {pillar: Counter() for pillar in Pillar}
    for finding in report.findings:
        if not finding.suppressed:
            counts[finding.pillar][finding.status] += 1
    scores = {p.pillar: p for p in report.scores.pillars} if report.scores else {}
    header = ["Pillar", *(s.value for s in STATUSES)]
    if scores:
        # As the terminal shows them: the graded score, and questions at high / medium risk.
        header[1:1] = ["Score", "High risk", "Medium risk"]
    rows = []
    for pillar, count in counts.items():
        if not sum(count.values()):
            continue
        row = [pillar.label, *(str(count[s]) for s in STATUSES)]
        if scores:
            score = report.pillar_score(pillar)
            risks = scores.get(pillar)
            row[1:1] = [
                "-" if score is None else str(score),
                str(risks.high_risks) if risks else "-",
                str(risks.medium_risks) if risks else "-",
            ]
        rows.append(row)
    return table(header, rows)


def attention(report: Report) -> list[str]:
    """What a person has to act on besides the failures: suppressions, gaps, an early stop."""
    items = []
    if report.aborted:
        items.append(f"- **The audit stopped early**: {cell(report.aborted)}. Results are partial.")
    for outcome in report.suppressions:
        rule = outcome.rule
        where = f"{code(rule.check)} on {code(rule.resource)} ({cell(rule.region)})"
        if outcome.state is SuppressionState.EXPIRED:
            items.append(f"- Suppression of {where} expired on {rule.expires.isoformat()}.")
        elif outcome.state is SuppressionState.UNUSED:
            items.append(f"- Suppression of {where} matches nothing: remove it.")
    errors = [f for f in report.findings if f.status is Status.ERROR and not f.suppressed]
    items += [
        f"- Not assessed: {code(f.check_id)} {cell(f.region)}: {cell(f.message)}"
        for f in errors[:TOP]
    ]
    if len(errors) > TOP:
        items.append(f"- … and {len(errors) - TOP} more not assessed.")
    return items


def render_markdown(report: Report) -> str:
    lines = [
        f"## wa-audit: account {cell(report.account_id)}",
        "",
        headline(report),
        "",
        verdict_sentence(report),
        "",
        *pillar_table(report),
    ]
    if report.baseline is not None:
        since = report.baseline.started_at.strftime("%Y-%m-%d %H:%M UTC")
        new = by_severity(f for f in report.findings if f.new_failure)
        lines += ["", f"### New failures since {since} ({len(new)})", ""]
        lines += finding_rows(new) if new else ["None."]
        resolved = by_severity(report.baseline.resolved)
        lines += ["", f"### Resolved since {since} ({len(resolved)})", ""]
        lines += finding_rows(resolved) if resolved else ["None."]
    failures = by_severity(f for f in report.findings if f.open_failure)
    lines += [
        "",
        f"### Top failures by severity ({min(len(failures), TOP)} of {len(failures)})",
        "",
    ]
    lines += finding_rows(failures) if failures else ["None."]
    notes = attention(report)
    if notes:
        lines += ["", "### Needs attention", "", *notes]
    return "\n".join(lines) + "\n"


@dataclass(frozen=True)
class MarkdownFormat:
    name: str = "markdown"
    suffix: str = "md"
    description: str = "A summary for a CI step summary or a chat message."

    def render(self, report: Report) -> str:
        return render_markdown(report)


FORMAT = MarkdownFormat()
