"""What a run's exit code says, in words for someone reading a file (the scorecard, results.md)
rather than a CI log: no flags, no numbers to look up."""

from __future__ import annotations

from wa_audit.exitcodes import ExitCode
from wa_audit.models import Report


def _failures(count: int) -> str:
    return f"{count} open failure{'s' if count != 1 else ''}"


def verdict_sentence(report: Report) -> str:
    """What the exit code says, in words for someone reading the file rather than a CI log."""
    threshold = report.fail_on.value if report.fail_on else None
    counted = [f for f in report.findings if f.open_failure]
    if report.fail_on_new:
        counted = [f for f in counted if f.new_failure]
    at_gate = [
        f for f in counted if report.fail_on is not None and f.severity.rank >= report.fail_on.rank
    ]
    newly = " new since the baseline" if report.fail_on_new else ""
    gate = f"{threshold} severity or above" if threshold else ""
    try:
        code = ExitCode(report.exit_code)
    except ValueError:
        return f"The run ended with code {report.exit_code}, which this version does not know."
    if code is ExitCode.FAILED:
        return f"Not passed: {_failures(len(at_gate))}{newly} of {gate}."
    if code is ExitCode.CANNOT_AUDIT:
        return "The audit could not finish, so nothing here is complete."
    if code is ExitCode.INCOMPLETE:
        return (
            "Incomplete: some checks could not be assessed, so the run cannot vouch for them; "
            + (f"no open failure{newly} of {gate}." if threshold else "failures never fail it.")
        )
    if threshold is None:
        return "Passed: this run was set never to fail on findings."
    return f"Passed: no open failure{newly} of {gate}."
