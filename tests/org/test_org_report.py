"""The organization Report as text and HTML (the banner follows the run's --fail-on, an unknown
organization id is not printed as an empty one), and merged with the fan-out's account list."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from wa_audit.exitcodes import ExitCode
from wa_audit.models import Severity
from wa_audit.org.cli import org_summary
from wa_audit.org.listing import ListedAccount
from wa_audit.org.merge import merge
from wa_audit.org.models import AccountOutcome, AccountResult, OrgReport
from wa_audit.org.unaudited import not_audited, write_not_audited
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
        "Organization: 1 account, worst first"
    )
    assert org_summary(_report(0, Severity.HIGH, "o-abc123")).splitlines()[0] == (
        "Organization o-abc123: 1 account, worst first"
    )


def test_merge_with_the_account_list_names_failed_and_skipped_accounts(tmp_path):
    """An account whose role could not be assumed (its results.json says why) and a suspended
    account (no results, never audited) as accounts.json lists them."""
    reason = "cannot assume arn:aws:iam::111111111111:role/Audit (sts:AssumeRole AccessDenied)"
    stub = not_audited("111111111111", "aws", reason, fail_on=Severity.HIGH, started=WHEN)
    write_not_audited(stub, tmp_path / "accounts" / "111111111111")
    listing = [
        ListedAccount(
            account_id="111111111111", name="prod", ou_path=("r-1", "ou-1"), role_arn="x"
        ),
        ListedAccount(account_id="222222222222", name="old", state="SUSPENDED", role_arn="y"),
    ]
    report = merge([tmp_path / "accounts"], tmp_path, listing)
    assert [row.model_dump(exclude_defaults=True) for row in report.accounts] == [
        {
            "account_id": "111111111111",
            "name": "prod",
            "outcome": AccountOutcome.FAILED,
            "reason": reason,
            "ou_path": ("r-1", "ou-1"),
            "exit_code": 4,
        },
        {
            "account_id": "222222222222",
            "name": "old",
            "outcome": AccountOutcome.SKIPPED,
            "reason": "account is suspended",
        },
    ]
    assert (report.exit_code, report.fail_on) == (ExitCode.INCOMPLETE, Severity.HIGH)


def test_merge_refuses_an_account_list_it_cannot_read(run_cli, tmp_path):
    stub = not_audited("111111111111", "aws", "x", fail_on=None, started=WHEN)
    write_not_audited(stub, tmp_path / "a")
    listing = tmp_path / "accounts.json"
    listing.write_text('[{"account_id": "12", "name": "x"}]')
    result = run_cli("merge", str(tmp_path / "a"), "--accounts", str(listing))
    assert result.exit_code == ExitCode.USAGE
    assert result.output.startswith(
        f"wa-audit: error: {listing}: not an accounts list (0.account_id:"
    )
    assert len(result.output.splitlines()) == 1


def test_an_accounts_scorecard_link_survives_an_unusual_folder_name():
    """A folder named ``a b#c?d`` is one path in the link: '#' and '?' would end it."""
    row = _report(0, Severity.HIGH).accounts[0].model_copy(update={"report_dir": "runs/a b#c?d"})
    page = HTML.render(_report(0, Severity.HIGH).model_copy(update={"accounts": (row,)}))
    assert 'href="runs/a%20b%23c%3Fd/results.html"' in page
