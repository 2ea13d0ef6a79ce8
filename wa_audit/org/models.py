"""The organization Report: one row per account (worst first) and the organization-wide verdicts.

It holds summaries, never the accounts' findings: each account's Report is written to its own
folder as soon as it finishes, so memory stays flat however many accounts there are.

Schema history: 1.0 the first organization Report. 1.1: ``OrgReport.fail_on``; an account that
could not be audited carries its exit code (4).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from enum import StrEnum

from pydantic import Field

from wa_audit import __version__
from wa_audit.exitcodes import ExitCode
from wa_audit.models import CheckSpec, Finding, Frozen, Pillar, Report, Severity, Status

ORG_SCHEMA_VERSION = "1.1"
ORG_CHECK_IDS = frozenset({"sec.org-trail", "sec.org-delegated-admins", "sec.org-root-scp"})
"""Checks answered once for the organization, in the management account."""


class AccountOutcome(StrEnum):
    AUDITED = "audited"
    PARTIAL = "partial"  # the audit stopped early (credentials lost, timed out)
    FAILED = "failed"  # the role could not be assumed, or the audit could not start
    SKIPPED = "skipped"  # suspended or closed accounts


class AccountResult(Frozen):
    account_id: str
    name: str
    outcome: AccountOutcome
    reason: str | None = Field(default=None, description="Why it failed or was skipped.")
    ou_path: tuple[str, ...] = ()
    exit_code: int | None = None
    score: float | None = None
    pillar_scores: dict[Pillar, float | None] = Field(default_factory=dict)
    failures: dict[Severity, int] = Field(
        default_factory=dict, description="Open FAILs by severity."
    )
    errors: int = 0
    findings: int = 0
    report_dir: str | None = Field(
        default=None, description="The account's results folder, relative to the org Report."
    )

    @property
    def worst_severity_rank(self) -> int:
        return max((s.rank for s, n in self.failures.items() if n), default=-1)


class OrgReport(Frozen):
    schema_version: str = ORG_SCHEMA_VERSION
    tool_version: str
    management_account_id: str | None
    organization_id: str | None = None
    fail_on: Severity | None = Field(
        default=None,
        description="The accounts' threshold for exit code 1 (null: never, or the merged "
        "accounts' thresholds differ).",
    )
    started_at: datetime
    finished_at: datetime
    accounts: tuple[AccountResult, ...] = Field(description="Worst first.")
    org_checks: tuple[CheckSpec, ...] = ()
    org_findings: tuple[Finding, ...] = Field(
        default=(), description="Organization-wide verdicts, from the management account."
    )
    exit_code: int

    @classmethod
    def of(
        cls,
        rows: Sequence[AccountResult],
        verdicts: OrgVerdicts,
        *,
        started: datetime,
        management_account_id: str | None,
        organization_id: str | None = None,
        fail_on: Severity | None = None,
    ) -> OrgReport:
        """The organization Report over ``rows``, whether just audited or merged from files."""
        return cls(
            tool_version=__version__,
            management_account_id=management_account_id,
            organization_id=organization_id,
            fail_on=fail_on,
            started_at=started,
            finished_at=datetime.now(UTC),
            accounts=worst_first(list(rows)),
            org_checks=verdicts.checks,
            org_findings=verdicts.findings,
            exit_code=org_exit_code(rows),
        )


def summarize(
    report: Report, name: str, ou_path: tuple[str, ...], report_dir: str
) -> AccountResult:
    """An account's row: its scores and counts, nothing of its findings kept.

    A Report of an account that could not be audited at all (its role could not be assumed) makes
    a failed row with the reason and no folder to link (it has no scorecard)."""
    if report.never_started:
        return AccountResult(
            account_id=report.account_id,
            name=name,
            outcome=AccountOutcome.FAILED,
            reason=report.aborted,
            ou_path=ou_path,
            exit_code=report.exit_code,
        )
    failures: dict[Severity, int] = {}
    for finding in report.findings:
        if finding.open_failure:
            failures[finding.severity] = failures.get(finding.severity, 0) + 1
    pillars = {p.pillar: p.score for p in report.scores.pillars} if report.scores else {}
    return AccountResult(
        account_id=report.account_id,
        name=name,
        outcome=AccountOutcome.PARTIAL if report.aborted else AccountOutcome.AUDITED,
        reason=report.aborted,
        ou_path=ou_path,
        exit_code=report.exit_code,
        score=report.scores.overall if report.scores else None,
        pillar_scores=pillars,
        failures=failures,
        errors=sum(1 for f in report.findings if f.status is Status.ERROR),
        findings=len(report.findings),
        report_dir=report_dir,
    )


def worst_first(accounts: list[AccountResult]) -> tuple[AccountResult, ...]:
    """Accounts that could not be audited, then by worst open FAIL, most FAILs, lowest score."""

    def badness(account: AccountResult) -> tuple[int, int, int, float, str]:
        audited = account.outcome is AccountOutcome.AUDITED
        return (
            0 if not audited else 1,
            -account.worst_severity_rank,
            -sum(account.failures.values()),
            account.score if account.score is not None else 101.0,
            account.account_id,
        )

    return tuple(sorted(accounts, key=badness))


class OrgVerdicts(Frozen):
    """The organization-wide checks as one account's Report has them."""

    checks: tuple[CheckSpec, ...] = ()
    findings: tuple[Finding, ...] = ()

    @classmethod
    def of(cls, report: Report) -> OrgVerdicts:
        return cls(
            checks=tuple(spec for spec in report.checks if spec.id in ORG_CHECK_IDS),
            findings=tuple(f for f in report.findings if f.check_id in ORG_CHECK_IDS),
        )

    @property
    def assessed(self) -> bool:
        """Only the management account answers them; everywhere else they are NOT_APPLICABLE."""
        return any(f.status is not Status.NOT_APPLICABLE for f in self.findings)

    def or_else(self, other: OrgVerdicts) -> OrgVerdicts:
        return self if self.assessed or not other.assessed else other


def org_exit_code(results: Sequence[AccountResult]) -> int:
    """1 if any account has a gating FAIL; else 3 if any account was not fully audited; else 0."""
    if any(r.exit_code == ExitCode.FAILED for r in results):
        return ExitCode.FAILED
    incomplete = any(
        r.outcome in (AccountOutcome.FAILED, AccountOutcome.PARTIAL)
        or r.exit_code in (ExitCode.INCOMPLETE, ExitCode.CANNOT_AUDIT)
        for r in results
    )
    return ExitCode.INCOMPLETE if incomplete else ExitCode.OK
