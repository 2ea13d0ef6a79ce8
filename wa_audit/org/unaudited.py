"""The results.json of an account that could not be audited at all (its role could not be
assumed, its credentials did not work): the account, why, and exit code 4.

Written where its Report would have been, so ``wa-audit merge`` lists the account as failed with
its reason instead of losing it: a fan-out task that fails leaves no other trace in the results.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from wa_audit import __version__
from wa_audit.exitcodes import ExitCode
from wa_audit.formats import resolve_formats, write_reports
from wa_audit.models import OrganizationPlace, Report, Severity


def not_audited(
    account_id: str,
    partition: str,
    reason: str,
    *,
    fail_on: Severity | None,
    started: datetime,
    organization: OrganizationPlace | None = None,
) -> Report:
    """A Report with no checks, ``aborted`` saying why (see ``Report.never_started``)."""
    return Report(
        tool_version=__version__,
        account_id=account_id,
        organization=organization,
        partition=partition,
        regions=(),
        started_at=started,
        finished_at=datetime.now(UTC),
        checks=(),
        findings=(),
        fail_on=fail_on,
        aborted=reason,
        exit_code=ExitCode.CANNOT_AUDIT,
    )


def write_not_audited(report: Report, folder: Path) -> list[Path]:
    """Only results.json: there is nothing for a scorecard or a SARIF log to show."""
    return write_reports(report, resolve_formats(["json"]), folder)
