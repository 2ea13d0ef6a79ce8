"""``wa-audit diff`` output: a terminal table, JSON (the Comparison model) or markdown."""

from __future__ import annotations

from collections.abc import Callable

from wa_audit.baseline import Comparison
from wa_audit.escaping import terminal_text
from wa_audit.markdown import cell, code, table
from wa_audit.models import Finding, Status, by_severity
from wa_audit.text import plural

DIFF_FORMATS = ("table", "json", "markdown")
QUIET_STATUSES = frozenset({Status.PASS, Status.NOT_APPLICABLE})


def _transition(finding: Finding) -> str:
    """'[high] PASS → FAIL', or '[medium → high] FAIL' when the severity moved."""
    change = finding.change
    before_status = change.previous_status.value if change and change.previous_status else "?"
    before_severity = change.previous_severity.value if change and change.previous_severity else "?"
    severity = finding.severity.value
    if before_severity != severity:
        severity = f"{before_severity} → {severity}"
    if before_status == finding.status.value:
        return f"[{severity}] {finding.status.value}"
    return f"[{severity}] {before_status} → {finding.status.value}"


def _scope_lines(comparison: Comparison) -> list[str]:
    """Why some findings were left out: checks and regions only one of the runs audited."""
    left_out = comparison.not_compared
    lines = []
    for label, names in (
        ("checks only the earlier run had", left_out.checks_only_before),
        ("checks only the later run had", left_out.checks_only_after),
        ("regions only the earlier run audited", left_out.regions_only_before),
        ("regions only the later run audited", left_out.regions_only_after),
    ):
        if names:
            lines.append(f"{label}: {', '.join(names)}")
    if left_out.findings_before:
        lines.append(
            f"{plural(left_out.findings_before, 'earlier FAIL')} outside the later run's scope "
            "or not assessed in it (ERROR): not counted as resolved"
        )
    if left_out.findings_after:
        lines.append(
            f"{plural(left_out.findings_after, 'later finding')} outside the earlier run's scope, "
            "or ERROR with nothing earlier to compare: not counted as new"
        )
    return lines


def _split_new(comparison: Comparison) -> tuple[list[Finding], int]:
    """New findings worth reading, and how many new ones merely pass or do not apply."""
    shown = by_severity(f for f in comparison.new_findings if f.status not in QUIET_STATUSES)
    return shown, len(comparison.new_findings) - len(shown)


def headline(comparison: Comparison) -> str:
    """Two tallies that each add up: every later finding once, then every earlier FAIL once.

    A FAIL that is now ERROR is one changed finding of the later run and one earlier FAIL not
    compared, never two of either; a FAIL now passing is changed now and resolved from before.
    """
    left_out = comparison.not_compared
    new_failures = sum(1 for f in [*comparison.new_findings, *comparison.changed] if f.new_failure)
    return (
        f"{plural(comparison.findings_now, 'finding')} now: "
        f"{len(comparison.new_findings)} new, {len(comparison.changed)} changed, "
        f"{comparison.unchanged} unchanged, {left_out.findings_after} not compared; "
        f"{plural(comparison.failures_before, 'FAIL')} before: "
        f"{len(comparison.resolved)} resolved, {comparison.still_failing} still failing, "
        f"{left_out.findings_before} not compared; {new_failures} new FAIL"
    )


def _not_compared_title(comparison: Comparison) -> str:
    left_out = comparison.not_compared
    return (
        f"Not compared ({plural(left_out.findings_after, 'finding')} now, "
        f"{plural(left_out.findings_before, 'earlier FAIL')})"
    )


def _where(finding: Finding) -> str:
    """Check, region and resource on one terminal line, whatever the account named things."""
    return terminal_text(f"{finding.check_id} {finding.region} {finding.resource}")


def render_table(comparison: Comparison) -> str:
    old, new = comparison.old, comparison.new
    lines = [
        f"wa-audit diff: account {new.account_id}, "
        f"{old.started_at:%Y-%m-%d %H:%M} → {new.started_at:%Y-%m-%d %H:%M} UTC",
        headline(comparison),
    ]
    shown, quiet = _split_new(comparison)
    lines += ["", f"New ({len(comparison.new_findings)}):"]
    lines += [f"  {f.status.value:<7} [{f.severity.value}] {_where(f)}" for f in shown]
    if quiet:
        lines.append(f"  … and {quiet} passing or not applicable")
    lines += ["", f"Resolved ({len(comparison.resolved)}):"]
    lines += [f"  [{f.severity.value}] {_where(f)}" for f in by_severity(comparison.resolved)]
    lines += ["", f"Changed ({len(comparison.changed)}):"]
    lines += [f"  {_transition(f)} {_where(f)}" for f in by_severity(comparison.changed)]
    lines += ["", f"{_not_compared_title(comparison)}:"]
    lines += [f"  {line}" for line in _scope_lines(comparison)]
    return "\n".join(lines)


def render_markdown(comparison: Comparison) -> str:
    old, new = comparison.old, comparison.new
    lines = [
        f"## wa-audit diff: account {cell(new.account_id)}",
        "",
        f"{old.started_at:%Y-%m-%d %H:%M} → {new.started_at:%Y-%m-%d %H:%M} UTC: "
        f"**{headline(comparison)}**",
    ]
    shown, quiet = _split_new(comparison)
    row = ("Status", "Severity", "Check", "Region", "Resource")
    lines += ["", f"### New ({len(comparison.new_findings)})", ""]
    lines += table(
        row,
        (
            (f.status.value, f.severity.value, code(f.check_id), cell(f.region), code(f.resource))
            for f in shown
        ),
    )
    if quiet:
        lines += ["", f"… and {quiet} passing or not applicable."]
    lines += ["", f"### Resolved ({len(comparison.resolved)})", ""]
    lines += table(
        row[1:],
        (
            (f.severity.value, code(f.check_id), cell(f.region), code(f.resource))
            for f in by_severity(comparison.resolved)
        ),
    )
    lines += ["", f"### Changed ({len(comparison.changed)})", ""]
    lines += table(
        ("Change", "Check", "Region", "Resource"),
        (
            (cell(_transition(f)), code(f.check_id), cell(f.region), code(f.resource))
            for f in by_severity(comparison.changed)
        ),
    )
    lines += ["", f"### {_not_compared_title(comparison)}", ""]
    lines += [f"- {cell(line)}" for line in _scope_lines(comparison)]
    return "\n".join(lines)


def render_json(comparison: Comparison) -> str:
    return comparison.model_dump_json(indent=2)


RENDERERS: dict[str, Callable[[Comparison], str]] = {
    "table": render_table,
    "json": render_json,
    "markdown": render_markdown,
}
