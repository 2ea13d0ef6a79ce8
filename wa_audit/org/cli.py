"""The organization flags of ``wa-audit run`` and the ``wa-audit merge`` command."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from wa_audit.audit import AuditRequest, prepare
from wa_audit.cli_options import LocalDirectory
from wa_audit.config import Config, load_config
from wa_audit.defaults import DEFAULT_ACCOUNT_WORKERS, MAX_WORKERS
from wa_audit.errors import UsageError
from wa_audit.escaping import terminal_text
from wa_audit.exitcodes import EXIT_CODE_HELP
from wa_audit.formats import parse_format_list, write_atomically
from wa_audit.org.assume import DEFAULT_ROLE_NAME, role_account
from wa_audit.org.listing import listed, listing_json, load_listing
from wa_audit.org.merge import merge
from wa_audit.org.models import AccountResult, OrgReport
from wa_audit.org.output import org_formats, write_org_reports
from wa_audit.org.run import OrgRequest, audit_organization, list_accounts
from wa_audit.output import claimed_output
from wa_audit.pipes import echo
from wa_audit.progress import LISTING_ACCOUNTS, announce
from wa_audit.session import open_session
from wa_audit.text import plural

F = TypeVar("F", bound=Callable[..., Any])


def _ids(text: str | None) -> tuple[str, ...]:
    ids = tuple(part.strip() for part in (text or "").split(",") if part.strip())
    for account_id in ids:
        if not (account_id.isdigit() and len(account_id) == 12):
            raise UsageError(f"{account_id!r} is not a 12-digit AWS account id")
    return ids


def org_options(command: F) -> F:
    options = [
        click.option("--org", is_flag=True, help="Audit every account of the organization."),
        click.option(
            "--role-name",
            default=DEFAULT_ROLE_NAME,
            show_default=True,
            help="With --org: the role assumed in each member account.",
        ),
        click.option(
            "--external-id",
            envvar="WA_AUDIT_EXTERNAL_ID",
            show_envvar=True,
            help="ExternalId for the assumed role(s) (default: none).",
        ),
        click.option(
            "--accounts",
            help="With --org: only these account ids (comma-separated; default: every account).",
        ),
        click.option(
            "--skip-accounts", help="With --org: leave out these account ids (default: none)."
        ),
        click.option(
            "--ou",
            help="With --org: only accounts under this OU (any depth) or root (default: all).",
        ),
        click.option(
            "--account-workers",
            type=click.IntRange(1, MAX_WORKERS),
            default=DEFAULT_ACCOUNT_WORKERS,
            show_default=True,
            help="With --org: accounts audited at once (--workers bounds requests in flight).",
        ),
        click.option(
            "--role-arn",
            help="Audit the account of this role, assumed with the credentials (default: the caller's own account).",
        ),
    ]
    for option in reversed(options):
        command = option(command)
    return command


def org_request(flags: dict[str, Any]) -> OrgRequest | None:
    """Pops the org flags; None without --org (then only --role-arn/--external-id may be set)."""
    wanted = flags.pop("org")
    request = OrgRequest(
        role_name=flags.pop("role_name"),
        external_id=flags.get("external_id"),
        accounts=_ids(flags.pop("accounts")),
        skip_accounts=_ids(flags.pop("skip_accounts")),
        ou=flags.pop("ou"),
        account_workers=flags.pop("account_workers"),
    )
    if wanted and flags.get("role_arn"):
        raise UsageError("--role-arn audits one account; --org audits them all: give one")
    if flags.get("role_arn"):
        role_account(flags["role_arn"])  # a malformed ARN is refused before anything starts
    if not wanted:
        if request.accounts or request.skip_accounts or request.ou:
            raise UsageError("--accounts, --skip-accounts and --ou go with --org")
        return None
    flags.pop("external_id")
    return request


def execute_org(
    request: AuditRequest,
    org: OrgRequest,
    config: Config,
    default_output_dir: Path,
    on_written: Callable[[list[Path]], None] | None = None,
) -> OrgReport:
    audit = prepare(request, config)
    base_dir = request.output_dir or config.output_dir or default_output_dir
    # organization.json is written whatever the accounts' formats: it is the run's result.
    formats = org_formats([f.name for f in audit.formats]) or org_formats(["json"])

    def progress(result: AccountResult) -> None:
        if not request.quiet:
            reason = f": {result.reason}" if result.reason else ""
            line = f"  {result.account_id} {result.name}: {result.outcome.value}{reason}"
            echo(terminal_text(line), err=True)

    # Checked and locked before the first AWS call, as for one account.
    suffixes = [f.suffix for f in formats]
    with claimed_output(base_dir, suffixes, timestamped=request.timestamped) as output_dir:
        announce(LISTING_ACCOUNTS, quiet=request.quiet)  # before the first AWS call
        report = audit_organization(
            audit.session,
            audit.checks,
            audit.options,
            org,
            formats=audit.formats,
            output_dir=output_dir,
            known_ids=audit.known_ids,
            config=audit.config,
            on_account=progress,
        )
        written = write_org_reports(report, formats, output_dir)
    echo(org_summary(report))
    echo("Wrote " + ", ".join(str(path) for path in written))
    if on_written is not None:
        on_written(written)
    return report


def org_summary(report: OrgReport, shown: int = 10) -> str:
    named = f"Organization {report.organization_id}" if report.organization_id else "Organization"
    lines = [f"{named}: {plural(len(report.accounts), 'account')}, worst first"]
    for account in report.accounts[:shown]:
        score = "-" if account.score is None else f"{account.score:.0f}"
        fails = sum(account.failures.values())
        lines.append(
            f"  {account.account_id}  {account.name[:28]:<28} {account.outcome.value:<8} "
            f"score {score:>3}  {fails} FAIL  {account.errors} ERROR"
        )
    if len(report.accounts) > shown:
        lines.append(f"  … and {len(report.accounts) - shown} more")
    for finding in report.org_findings:
        lines.append(f"  org-wide {finding.status.value:<14} {finding.check_id}: {finding.message}")
    lines.append(f"Exit code {report.exit_code}")
    return "\n".join(terminal_text(line) for line in lines)  # account names are account text


@click.command(epilog="Exit codes:\n\n\b\n" + EXIT_CODE_HELP)
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--output-dir",
    type=LocalDirectory(),
    default=Path("."),
    show_default=True,
    help="Where organization.json and organization.html are written.",
)
@click.option(
    "--format", "formats", multiple=True, help="Comma-separated: json, html (default both)."
)
@click.option(
    "--accounts",
    "accounts_file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="accounts.json of 'wa-audit accounts': every account listed there gets a row, failed "
    "if it has no results (default: only the accounts with results).",
)
def merge_command(
    paths: tuple[Path, ...], output_dir: Path, formats: tuple[str, ...], accounts_file: Path | None
) -> None:
    """Build the organization Report from per-account results.json files or folders."""
    chosen = org_formats(parse_format_list(formats) or ("json", "html"))
    if not chosen:
        raise UsageError("the organization Report is written as json or html")
    listing = load_listing(accounts_file) if accounts_file is not None else []
    report = merge(paths, output_dir, listing)
    written = write_org_reports(report, chosen, output_dir)
    echo(org_summary(report))
    echo("Wrote " + ", ".join(str(path) for path in written))
    click.get_current_context().exit(report.exit_code)


@click.command(epilog="Exit codes:\n\n\b\n" + EXIT_CODE_HELP)
@click.option("--profile", help="AWS profile (default: the standard credential chain).")
@click.option(
    "--accounts", help="Only these account ids (comma-separated; default: every account)."
)
@click.option("--skip-accounts", help="Leave out these account ids (default: none).")
@click.option("--ou", help="Only accounts under this OU (any depth) or root (default: all).")
@click.option(
    "--role-name",
    default=DEFAULT_ROLE_NAME,
    show_default=True,
    help="The member role each row's role_arn names.",
)
@click.option(
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the list to this file (default: standard output).",
)
def accounts_command(
    profile: str | None,
    accounts: str | None,
    skip_accounts: str | None,
    ou: str | None,
    role_name: str,
    output: Path | None,
) -> None:
    """List the organization's accounts as JSON: the work list of a fan-out (one container per
    account, e.g. a Step Functions Distributed Map) and the list 'merge --accounts' completes.

    Each row: account_id, name, ou_path, state (only ACTIVE accounts can be audited), own_account
    (the caller's account: audit it with the caller's credentials) and role_arn (the member role,
    in the caller's partition; null for the caller's own account)."""
    session = open_session(profile, load_config(None))
    request = OrgRequest(accounts=_ids(accounts), skip_accounts=_ids(skip_accounts), ou=ou)
    announce(LISTING_ACCOUNTS)  # on stderr, before the first AWS call: stdout is the JSON
    text = listing_json(listed(list_accounts(session, request), session.identity(), role_name))
    if output is None:
        echo(text, nl=False)
    else:
        write_atomically(output, text)
