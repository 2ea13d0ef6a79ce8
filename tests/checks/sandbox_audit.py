"""Run some checks end to end against the sandbox, as ``wa-audit run --check … --region …`` would."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime

from wa_audit.aws import AwsSession
from wa_audit.models import Finding, Report, Status
from wa_audit.registry import discover, select
from wa_audit.runner import RunOptions, run_audit


def audit(
    check_ids: Sequence[str], regions: tuple[str, ...], clock: datetime | None = None
) -> Report:
    """A fresh session each time, so credentials set by ``enforce_iam`` are the ones used."""
    checks = select(discover(), include=list(check_ids))
    options = RunOptions(regions=regions)
    if clock is None:
        return run_audit(AwsSession(), checks, options)
    return run_audit(AwsSession(), checks, options, clock=lambda: clock)


def assert_errors_naming(findings: Iterable[Finding], action: str) -> None:
    found = list(findings)
    assert found, "no findings"
    assert {f.status for f in found} == {Status.ERROR}
    assert {f.evidence["missing_permission"] for f in found} == {action}
