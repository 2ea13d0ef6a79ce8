"""Exit codes: a contract with every scheduled job that runs wa-audit."""

from collections.abc import Iterable
from enum import IntEnum

from wa_audit.models import Finding, Severity, Status


class ExitCode(IntEnum):
    """What the process exit status means (README and ``--help`` show this table)."""

    OK = 0
    FAILED = 1
    USAGE = 2
    INCOMPLETE = 3
    CANNOT_AUDIT = 4

    @property
    def meaning(self) -> str:
        return _MEANING[self]


_MEANING = {
    ExitCode.OK: "Audit complete; no FAIL at or above --fail-on (default high).",
    ExitCode.FAILED: "At least one FAIL at or above --fail-on.",
    ExitCode.USAGE: "Usage or configuration error: bad flag, bad config, unknown check id.",
    ExitCode.INCOMPLETE: "Audit incomplete: some checks are ERROR and nothing qualifies for 1.",
    ExitCode.CANNOT_AUDIT: (
        "Could not audit at all: no or expired credentials, endpoint unreachable."
    ),
}

EXIT_CODE_HELP = "\n".join(f"  {code.value}  {code.meaning}" for code in ExitCode)


def decide_exit_code(findings: Iterable[Finding], fail_on: Severity | None) -> ExitCode:
    """1 for a FAIL at or above ``fail_on`` (None: never), else 3 if anything is ERROR, else 0."""
    findings = list(findings)
    if fail_on is not None and any(
        f.status is Status.FAIL and f.severity.rank >= fail_on.rank for f in findings
    ):
        return ExitCode.FAILED
    if any(f.status is Status.ERROR for f in findings):
        return ExitCode.INCOMPLETE
    return ExitCode.OK
