"""What a person sees on the terminal after a run: short, sorted by what matters."""

from __future__ import annotations

from collections import Counter

from wa_audit.exitcodes import ExitCode
from wa_audit.models import Finding, Pillar, Report, Status

SUMMARY_STATUSES = (Status.PASS, Status.FAIL, Status.WARN, Status.ERROR)
TOP_FAILURES = 10
QUOTA_WARN_PERCENT = 80.0


def pillar_counts(findings: tuple[Finding, ...]) -> dict[Pillar, Counter[Status]]:
    counts: dict[Pillar, Counter[Status]] = {pillar: Counter() for pillar in Pillar}
    for finding in findings:
        counts[finding.pillar][finding.status] += 1
    return counts


def exit_reason(report: Report) -> str:
    code = ExitCode(report.exit_code)
    threshold = report.fail_on.value if report.fail_on else "never"
    return {
        ExitCode.OK: f"no FAIL at or above {threshold}",
        ExitCode.FAILED: f"FAIL at or above {threshold}",
        ExitCode.INCOMPLETE: "some checks could not be assessed",
    }.get(code, code.name.lower())


def summary_text(report: Report) -> str:
    lines = [
        f"wa-audit {report.tool_version}: account {report.account_id}, "
        f"{len(report.regions)} region(s), {len(report.checks)} checks, "
        f"{report.duration_seconds:.1f}s",
        "",
        f"  {'pillar':<24}" + "".join(f"{s.value:>7}" for s in SUMMARY_STATUSES),
    ]
    for pillar, counts in pillar_counts(report.findings).items():
        if sum(counts.values()):
            cells = "".join(f"{counts[s]:>7}" for s in SUMMARY_STATUSES)
            lines.append(f"  {pillar.label:<24}{cells}")
    failures = sorted(
        (f for f in report.findings if f.status is Status.FAIL),
        key=lambda f: (-f.severity.rank, f.check_id, f.region, f.resource),
    )
    if failures:
        lines += ["", "Top failures:"]
        lines += [
            f"  [{f.severity.value}] {f.check_id} {f.region}: {f.message}"
            for f in failures[:TOP_FAILURES]
        ]
        if len(failures) > TOP_FAILURES:
            lines.append(f"  … and {len(failures) - TOP_FAILURES} more")
    lines += _quota_lines(report)
    errors = [f for f in report.findings if f.status is Status.ERROR]
    if errors:
        lines += ["", f"Not assessed ({len(errors)}):"]
        lines += [f"  {f.check_id} {f.region}: {f.message}" for f in errors[:TOP_FAILURES]]
    for note in report.skipped_regions:
        lines.append(f"Skipped region {note.region}: {note.reason}")
    lines += ["", f"exit {report.exit_code}: {exit_reason(report)}"]
    return "\n".join(lines)


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
    counts: Counter[Status] = Counter(f.status for f in report.findings)
    critical = sum(
        1 for f in report.findings if f.status is Status.FAIL and f.severity.value == "critical"
    )
    return (
        f"wa-audit: {counts[Status.FAIL]} FAIL ({critical} critical), "
        f"{counts[Status.WARN]} WARN, {counts[Status.ERROR]} ERROR; exit {report.exit_code}"
    )
