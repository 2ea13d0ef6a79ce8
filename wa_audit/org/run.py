"""``wa-audit run --org``: every selected member account audited through its role, concurrently.

Two bounds: ``account_workers`` accounts at once, and one gate on HTTP requests in flight shared by
all of them (``--workers``), so a thousand accounts cost no more connections than one. Each
account's Report is written as soon as it finishes and only its summary row is kept.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from wa_audit.aws import AwsSession, Identity, InFlightGate
from wa_audit.config import Config
from wa_audit.defaults import DEFAULT_ACCOUNT_WORKERS
from wa_audit.errors import CannotAuditError, UsageError, WaAuditError
from wa_audit.facts.organizations import Organization, organization
from wa_audit.facts.store import FactStore, FactUnavailable
from wa_audit.formats import ReportFormat, write_reports
from wa_audit.interrupts import worker_pool
from wa_audit.models import OrganizationPlace
from wa_audit.org.assume import DEFAULT_ROLE_NAME, assumed_session, role_arn
from wa_audit.org.listing import not_audited_row
from wa_audit.org.models import (
    AccountResult,
    OrgReport,
    OrgVerdicts,
    summarize,
)
from wa_audit.org.tree import MemberAccount, organization_tree, select_accounts
from wa_audit.org.unaudited import not_audited, write_not_audited
from wa_audit.registry import Check
from wa_audit.runner import RunOptions, run_audit

ACCOUNTS_DIR = "accounts"


@dataclass(frozen=True)
class OrgRequest:
    role_name: str = DEFAULT_ROLE_NAME
    external_id: str | None = None
    accounts: tuple[str, ...] = ()
    skip_accounts: tuple[str, ...] = ()
    ou: str | None = None
    account_workers: int = DEFAULT_ACCOUNT_WORKERS


@dataclass(frozen=True)
class AccountAudit:
    result: AccountResult
    verdicts: OrgVerdicts = field(default_factory=OrgVerdicts)


@dataclass(frozen=True)
class OrgRun:
    """Everything one account's audit needs besides the account."""

    base: AwsSession
    identity: Identity
    checks: Sequence[Check]
    options: RunOptions
    known_ids: Sequence[str]
    formats: Sequence[ReportFormat]
    output_dir: Path
    request: OrgRequest
    gate: InFlightGate
    config: Config
    membership: Organization

    def place(self, account: MemberAccount) -> OrganizationPlace | None:
        """The account's place in the organization, written into its results.json so that
        ``wa-audit merge`` names it as this run does."""
        if self.membership.organization_id is None or self.membership.management_account_id is None:
            return None
        return OrganizationPlace(
            organization_id=self.membership.organization_id,
            management_account_id=self.membership.management_account_id,
            account_name=account.name,
            ou_path=account.ou_path,
        )


def audit_organization(
    base: AwsSession,
    checks: Sequence[Check],
    options: RunOptions,
    request: OrgRequest,
    *,
    formats: Sequence[ReportFormat],
    output_dir: Path,
    known_ids: Sequence[str],
    config: Config,
    on_account: Callable[[AccountResult], None] | None = None,
) -> OrgReport:
    if options.baseline is not None:
        raise UsageError("--baseline compares one account's runs; it does not go with --org")
    started = datetime.now(UTC)
    identity = base.identity()
    store = FactStore(base, identity, now=started)
    chosen = list_accounts(base, request, store)
    membership = store.get(organization, identity.home_region)
    run = OrgRun(
        base,
        identity,
        checks,
        options,
        known_ids,
        formats,
        output_dir,
        request,
        InFlightGate(options.workers),
        config,
        membership,
    )
    base.limit_in_flight(run.gate)
    results: list[AccountResult] = []
    verdicts = OrgVerdicts()
    with worker_pool(request.account_workers, "account", on_abandon=base.cancel) as pool:
        for audited in pool.map(lambda account: audit_account(run, account), chosen):
            results.append(audited.result)
            verdicts = verdicts.or_else(audited.verdicts)
            if on_account is not None:
                on_account(audited.result)
    return OrgReport.of(
        results,
        verdicts,
        started=started,
        management_account_id=membership.management_account_id,
        organization_id=membership.organization_id,
        fail_on=options.fail_on,
    )


def list_accounts(
    base: AwsSession, request: OrgRequest, store: FactStore | None = None
) -> list[MemberAccount]:
    """The organization's accounts that ``request`` selects (suspended ones included: listed,
    not audited)."""
    if store is None:
        store = FactStore(base, base.identity())
    home = store.identity.home_region
    try:
        tree = store.get(organization_tree, home)
        store.get(organization, home)
    except FactUnavailable as missing:
        raise CannotAuditError(
            f"cannot list the organization's accounts ({missing.failure.reason}); use the "
            "management account's (or a delegated administrator's) credentials"
        ) from missing
    return select_accounts(
        tree, ou=request.ou, include=request.accounts, skip=request.skip_accounts
    )


def audit_account(run: OrgRun, account: MemberAccount) -> AccountAudit:
    """One account's audit, written to ``accounts/<id>/``; any failure becomes its row."""
    if not account.auditable:
        return AccountAudit(not_audited_row(account, ""))
    folder = Path(ACCOUNTS_DIR) / account.id
    started = datetime.now(UTC)
    try:
        session = _session_for(run, account)
        report = run_audit(session, run.checks, run.options, known_check_ids=run.known_ids)
    except UsageError:
        raise  # the same for every account: stop the whole run
    except WaAuditError as error:
        stub = not_audited(
            account.id,
            run.identity.partition,
            str(error),
            fail_on=run.options.fail_on,
            started=started,
            organization=run.place(account),
        )
        write_not_audited(stub, run.output_dir / folder)
        return AccountAudit(summarize(stub, account.name, account.ou_path, folder.as_posix()))
    report = report.model_copy(update={"organization": run.place(account)})
    write_reports(report, run.formats, run.output_dir / folder)
    summary = summarize(report, account.name, account.ou_path, folder.as_posix())
    return AccountAudit(summary, OrgVerdicts.of(report))


def _session_for(run: OrgRun, account: MemberAccount) -> AwsSession:
    """The caller's own session in its own account; the member role everywhere else."""
    if account.id == run.identity.account_id:
        return run.base
    session = assumed_session(
        run.base,
        role_arn(run.identity.partition, account.id, run.request.role_name),
        external_id=run.request.external_id,
        region=run.base.default_region or run.identity.home_region,
        config=run.config,
        workers=run.options.workers,
    )
    session.limit_in_flight(run.gate)
    return session
