"""The organization Report as text and HTML: the banner follows the run's --fail-on, an unknown
organization id is not printed as an empty one."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from wa_audit.models import Severity
from wa_audit.org.cli import org_summary
from wa_audit.org.models import AccountOutcome, AccountResult, OrgReport
from wa_audit.reports.org_formats import HTML

WHEN = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


def _report(exit_code: int, fail_on: Severity | None, organization_id: str | None = None):
    row = AccountResult(
        account_id="111111111111",
        name="prod",
        outcome=AccountOutcome.AUDITED,
        failures={Severity.MEDIUM: 1} if exit_code else {},
        exit_code=exit_code,
    )
    return OrgReport(
        tool_version="0.1.0",
        management_account_id="111111111111",
        organization_id=organization_id,
        fail_on=fail_on,
        started_at=WHEN,
        finished_at=WHEN,
        accounts=(row,),
        exit_code=exit_code,
    )


def _banner(report: OrgReport) -> str:
    page = HTML.render(report)
    start = page.index('role="status">') + len('role="status">')
    return " ".join(page[start : page.index("</div>", start)].split())


@pytest.mark.parametrize(
    ("exit_code", "fail_on", "banner"),
    [
        (1, Severity.MEDIUM, "Some accounts have failures of medium severity or above."),
        (1, Severity.CRITICAL, "Some accounts have failures of critical severity or above."),
        (1, None, "Some accounts fail their --fail-on gate."),
        (0, Severity.HIGH, "No account has a failure of high severity or above."),
        (0, None, "Every account passed its gate."),
        (3, Severity.HIGH, "Not every account could be audited completely."),
    ],
)
def test_the_banner_follows_the_runs_fail_on(exit_code, fail_on, banner):
    assert _banner(_report(exit_code, fail_on)) == banner


def test_the_summary_names_the_organization_only_when_known():
    assert org_summary(_report(0, Severity.HIGH)).splitlines()[0] == (
        "Organization: 1 accounts, worst first"
    )
    assert org_summary(_report(0, Severity.HIGH, "o-abc123")).splitlines()[0] == (
        "Organization o-abc123: 1 accounts, worst first"
    )
