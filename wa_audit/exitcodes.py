"""Exit codes: a contract with every scheduled job that runs wa-audit."""

from collections.abc import Iterable
from enum import IntEnum

from wa_audit.defaults import DEFAULT_FAIL_ON
from wa_audit.models import Finding, Severity, Status


class ExitCode(IntEnum):
    """What the process exit status means (README and ``--help`` show this table)."""

    OK = 0
    FAILED = 1
    USAGE = 2
    INCOMPLETE = 3
    CANNOT_AUDIT = 4
    INTERRUPTED = 130

    @property
    def meaning(self) -> str:
        return _MEANING[self]


_MEANING = {
    ExitCode.OK: f"Audit complete; no FAIL at or above --fail-on (default {DEFAULT_FAIL_ON.value}).",
    ExitCode.FAILED: (
        "At least one unsuppressed FAIL at or above --fail-on (with --fail-on-new: a new one)."
    ),
    ExitCode.USAGE: "Usage or configuration error: bad flag, bad config, unknown check id.",
    ExitCode.INCOMPLETE: "Audit incomplete: some checks are ERROR and nothing qualifies for 1.",
    ExitCode.CANNOT_AUDIT: (
        "Could not audit at all: no or expired credentials, endpoint unreachable "
        "(if it happens mid-run, the partial results are still written)."
    ),
    ExitCode.INTERRUPTED: (
        "Interrupted (Ctrl-C, the shell's 128 + SIGINT): nothing half-written, earlier results "
        "kept."
    ),
}

EXIT_CODE_HELP = "\n".join(f"  {code.value}  {code.meaning}" for code in ExitCode)


def decide_exit_code(
    findings: Iterable[Finding], fail_on: Severity | None, *, only_new: bool = False
) -> ExitCode:
    """1 for an open FAIL at or above ``fail_on`` (None: never), else 3 for any ERROR, else 0.

    Suppressed findings never count. With ``only_new`` (``--fail-on-new``) only failures the
    baseline did not have count for 1, so an old account can adopt the gate without a red build
    on day one; ERROR still means 3, because an incomplete audit cannot vouch for anything.
    """
    counted = [f for f in findings if not f.suppressed]
    if fail_on is not None and any(
        f.open_failure and f.severity.rank >= fail_on.rank and (f.new_failure or not only_new)
        for f in counted
    ):
        return ExitCode.FAILED
    if any(f.status is Status.ERROR for f in counted):
        return ExitCode.INCOMPLETE
    return ExitCode.OK
