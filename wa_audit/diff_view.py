"""``wa-audit diff`` output: a terminal table, JSON (the Comparison model) or markdown."""

from __future__ import annotations

from collections.abc import Callable

from wa_audit.baseline import Comparison
from wa_audit.escaping import terminal_text
from wa_audit.markdown import cell, code, table
from wa_audit.models import Finding, Status, by_severity

DIFF_FORMATS = ("table", "json", "markdown")
QUIET_STATUSES = frozenset({Status.PASS, Status.NOT_APPLICABLE})


def _transition(finding: Finding) -> str:
    change = finding.change
    before_status = change.previous_status.value if change and change.previous_status else "?"
    before_severity = change.previous_severity.value if change and change.previous_severity else "?"
    status = f"{before_status} → {finding.status.value}"
    if before_severity != finding.severity.value:
        return f"{status} ({before_severity} → {finding.severity.value})"
    return status


def _split_new(comparison: Comparison) -> tuple[list[Finding], int]:
    """New findings worth reading, and how many new ones merely pass or do not apply."""
    shown = by_severity(f for f in comparison.new_findings if f.status not in QUIET_STATUSES)
    return shown, len(comparison.new_findings) - len(shown)


def headline(comparison: Comparison) -> str:
    new_failures = sum(1 for f in [*comparison.new_findings, *comparison.changed] if f.new_failure)
    return (
        f"{new_failures} new FAIL, {len(comparison.resolved)} resolved, "
        f"{len(comparison.changed)} changed, {comparison.unchanged} unchanged"
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
    return "\n".join(lines)


def render_json(comparison: Comparison) -> str:
    return comparison.model_dump_json(indent=2)


RENDERERS: dict[str, Callable[[Comparison], str]] = {
    "table": render_table,
    "json": render_json,
    "markdown": render_markdown,
}
