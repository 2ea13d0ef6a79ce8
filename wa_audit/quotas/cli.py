"""``wa-audit quotas``: list usage against limits, file increases, show request history.

``quotas request`` is the only command of wa-audit that writes to AWS: it shows its plan first,
asks before filing (unless ``--yes``; never without a terminal), and never files a duplicate.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

import click

from wa_audit.aws import AwsSession
from wa_audit.cli_options import FiniteFloatRange, LocalDirectory, table_or_json_option
from wa_audit.config import Config, load_config
from wa_audit.confirm import confirm_write
from wa_audit.confirm import stdin_is_interactive as _stdin_is_interactive
from wa_audit.defaults import DEFAULT_OUTPUT_DIR
from wa_audit.errors import UsageError
from wa_audit.exitcodes import ExitCode
from wa_audit.models import QuotaUsage
from wa_audit.pipes import echo
from wa_audit.progress import IDENTIFYING, announce
from wa_audit.quotas.catalog import load_catalog
from wa_audit.quotas.plan import (
    DEFAULT_FACTOR,
    Action,
    PlannedRequest,
    plan_above,
    plan_request,
)
from wa_audit.quotas.reader import QuotaReader, lookup_uncatalogued
from wa_audit.quotas.requests import Outcome, RequestRecord, Result, execute_plan, unfiled
from wa_audit.quotas.section import Gathered, RegionFailure
from wa_audit.quotas.views import (
    fullest_first,
    history_text,
    plan_text,
    results_text,
    support_center_text,
    usage_text,
)
from wa_audit.session import open_session
from wa_audit.text import plural

QUOTA_ARGUMENT = re.compile(r"^(?P<service>[a-z0-9-]+)/(?P<code>L-[0-9A-F]{8})$")
EXIT_HELP = (
    "Exit codes:\n\n\b\n"
    "  0  Every increase was filed, or was already open.\n"
    "  1  Some quotas were refused (reason shown for each), or you declined.\n"
    "  2  Usage error, or no terminal to confirm on and no --yes (nothing filed).\n"
    "  3  AWS's answer to some request could not be read: it may have been filed; check\n"
    "     wa-audit quotas history (and no quota was refused).\n"
    "  4  No usable AWS credentials."
)


def _config(config_file: Path | None) -> Config:
    return load_config(config_file)


def _reader(profile: str | None, regions: Sequence[str], config: Config) -> QuotaReader:
    return _open_reader(open_session(profile, config), tuple(regions) or config.regions, config)


def _open_reader(session: AwsSession, regions: Sequence[str], config: Config) -> QuotaReader:
    """The reader, having said so on stderr first: opening it is the command's first AWS call."""
    announce(IDENTIFYING)
    return QuotaReader.open(session, regions, config.workers)


def _warn_failures(failures: Sequence[RegionFailure]) -> None:
    for failed in failures:
        echo(f"wa-audit: cannot read quotas in {failed.region}: {failed.failure.reason}", err=True)


profile_option = click.option(
    "--profile", help="AWS profile (default: the standard credential chain)."
)
config_option = click.option(
    "--config",
    "config_file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="TOML config file (regions, workers, max_attempts, output_dir; default: ./wa-audit.toml if present).",
)
region_option = click.option(
    "--region",
    "regions",
    multiple=True,
    help="Only this region (repeat; default: the config's regions, else every enabled region).",
)


@click.group()
def quotas() -> None:
    """Service Quotas: usage against limits, and increase requests."""


@quotas.command(name="list")
@profile_option
@config_option
@region_option
@click.option("--service", "services", multiple=True, help="Only this service code (repeat).")
@click.option(
    "--above",
    type=FiniteFloatRange(min=0),
    help="Only quotas at or above PCT percent used (default: every quota).",
)
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["table", "json", "csv"]),
    default="table",
    show_default=True,
    help="Output format.",
)
@click.option("--all", "show_all", is_flag=True, help="Also list the quotas at 0 % in the table.")
def list_quotas(
    profile: str | None,
    config_file: Path | None,
    regions: tuple[str, ...],
    services: tuple[str, ...],
    above: float | None,
    output_format: str,
    show_all: bool,
) -> None:
    """Usage, limit, percent, adjustable and open requests of the catalog's quotas (read-only).

    Fullest first; the table leaves out quotas at 0 % unless --all (json and csv list all).
    """
    gathered = _reader(profile, regions, _config(config_file)).usage()
    shown = fullest_first(
        u
        for u in gathered.usages
        if (not services or u.service_code in services)
        and (above is None or (u.percent is not None and u.percent >= above))
    )
    unused = [u for u in shown if u.percent == 0]
    if output_format == "table" and not show_all and unused:
        shown = [u for u in shown if u.percent != 0]
        echo(usage_text(shown, output_format))
        echo(f"{plural(len(unused), 'quota')} at 0 % not listed (--all lists them).")
    else:
        echo(usage_text(shown, output_format))
    _warn_failures(gathered.failures)
    click.get_current_context().exit(ExitCode.INCOMPLETE if gathered.failures else ExitCode.OK)


def _explicit_plan(reader: QuotaReader, quota: str, value: float) -> list[PlannedRequest]:
    """One quota in the reader's (single) region: --region, else the session's default region."""
    service, code = quota.split("/")
    entry = load_catalog().entry(quota)
    region = reader.regions[0]
    if entry is None:
        usage = lookup_uncatalogued(reader, service, code, region)
    else:
        usage = _catalogued(reader.usage([region]), quota, region)
    maximum = entry.maximum if entry else None
    return [plan_request(usage, value, maximum=maximum)]


def _catalogued(gathered: Gathered, key: str, region: str) -> QuotaUsage:
    for usage in gathered.usages:
        if f"{usage.service_code}/{usage.quota_code}" == key:
            return usage
    reasons = "; ".join(f.failure.reason for f in gathered.failures) or "not offered there"
    raise UsageError(f"cannot read {key} in {region}: {reasons}")


def _confirmed(to_file: int) -> bool:
    return confirm_write(
        f"File {plural(to_file, 'request')}?",
        f"file {plural(to_file, 'request')}",
        interactive=_stdin_is_interactive(),
    )


@quotas.command(epilog=EXIT_HELP)
@click.argument("quota", required=False, metavar="[SERVICE/QUOTA_CODE]")
@click.option(
    "--value",
    type=FiniteFloatRange(min=0, min_open=True),
    help="The limit to ask for (no default: required with SERVICE/QUOTA_CODE).",
)
@click.option(
    "--above",
    type=FiniteFloatRange(min=0),
    help="Raise every quota at or above PCT % (no default: give it or a quota).",
)
@click.option(
    "--factor",
    type=FiniteFloatRange(min=1, min_open=True),
    help=f"With --above: ask for F times the current limit (default {DEFAULT_FACTOR:g}).",
)
@region_option
@click.option("--dry-run", is_flag=True, help="Show the plan; file nothing.")
@click.option("--yes", is_flag=True, help="File without asking for confirmation.")
@click.option(
    "--output-dir",
    type=LocalDirectory(file_okay=True),
    help="Where quota-requests.json records what was filed (default: the config's output_dir, "
    "else ./wa-audit-results).",
)
@profile_option
@config_option
def request(
    quota: str | None,
    value: float | None,
    above: float | None,
    factor: float | None,
    regions: tuple[str, ...],
    dry_run: bool,
    yes: bool,
    output_dir: Path | None,
    profile: str | None,
    config_file: Path | None,
) -> None:
    """Request quota increases: one quota to --value N, or every quota --above PCT percent used.

    Shows the plan (quota, region, current, usage, requested) and asks before filing. Refuses, with
    the reason, values not above the current limit and quotas that already have an open request
    (never filing a duplicate); the others go ahead. A quota Service Quotas cannot raise is shown
    with what to submit in the Support Center's service limit increase form, and where.
    """
    if (quota is None) == (above is None):
        raise UsageError("give either SERVICE/QUOTA_CODE --value N, or --above PCT")
    if quota is not None and value is None:
        raise UsageError(f"{quota}: --value N is required")
    if above is not None and value is not None:
        raise UsageError("--value goes with one quota; --above raises by --factor")
    if factor is not None and above is None:
        raise UsageError("--factor goes with --above")
    if quota is not None and not QUOTA_ARGUMENT.match(quota):
        raise UsageError(f"{quota!r} is not SERVICE/QUOTA_CODE, like ec2/L-1216C47A")
    config = _config(config_file)
    failures: tuple[RegionFailure, ...] = ()
    if quota is not None and value is not None:
        if len(regions) > 1:
            raise UsageError("a single quota is requested in one --region at a time")
        session = open_session(profile, config)
        region = (regions or config.regions[:1] or (session.default_region or "",))[0]
        reader = _open_reader(session, (region,) if region else (), config)
        plans = _explicit_plan(reader, quota, value)
    else:
        reader = _reader(profile, regions, config)
        gathered = reader.usage()
        failures = gathered.failures
        plans = plan_above(gathered.usages, above or 0.0, factor or DEFAULT_FACTOR)
    _warn_failures(failures)
    _carry_out(
        reader,
        plans,
        dry_run,
        yes,
        output_dir or config.output_dir or DEFAULT_OUTPUT_DIR,
        bool(failures),
    )


def _carry_out(
    reader: QuotaReader,
    plans: list[PlannedRequest],
    dry_run: bool,
    yes: bool,
    output_dir: Path,
    incomplete: bool,
) -> None:
    context = click.get_current_context()
    if not plans:
        echo("No quota matches: nothing to request.")
        context.exit(ExitCode.FAILED if incomplete else ExitCode.OK)
    echo(plan_text(plans))
    manual = support_center_text(plans, reader.store.identity.partition)
    if manual:
        echo(manual)
    to_file = sum(1 for p in plans if p.action is Action.FILE)
    if dry_run or not to_file:
        results = [unfiled(p) for p in plans if p.action is not Action.FILE]
        echo("Dry run: nothing filed." if dry_run else "Nothing to file.")
    else:
        record = RequestRecord.open(output_dir)  # before asking: nothing is filed on a bad folder
        if not yes and not _confirmed(to_file):
            echo("Nothing filed.")
            context.exit(ExitCode.FAILED)
        results = execute_plan(reader.session, reader.store.identity, plans)
        echo(results_text(results))
        _keep(record, results, reader)
    if incomplete or any(r.outcome is Outcome.REFUSED for r in results):
        context.exit(ExitCode.FAILED)
    unknown = any(r.outcome is Outcome.UNKNOWN for r in results)
    context.exit(ExitCode.INCOMPLETE if unknown else ExitCode.OK)


def _keep(record: RequestRecord, results: list[Result], reader: QuotaReader) -> None:
    """Record what was filed; the requests stand even if the record cannot be written now."""
    try:
        written = record.add(results, reader.store.identity)
    except OSError as error:
        echo(
            f"wa-audit: warning: cannot record the requests in {record.path} "
            f"({error.strerror}); AWS has them: see wa-audit quotas history",
            err=True,
        )
        return
    if written:
        echo(f"Recorded in {written}")


@quotas.command()
@profile_option
@config_option
@region_option
@table_or_json_option()
def history(
    profile: str | None, config_file: Path | None, regions: tuple[str, ...], output_format: str
) -> None:
    """Quota increase requests and their status (PENDING, CASE_OPENED, APPROVED, ...).

    Lists what was filed through Service Quotas (console or API, by anyone) and, where the support
    plan has the Support API, the service limit increase cases opened in the Support Center.
    """
    reader = _reader(profile, regions, _config(config_file))
    found = reader.history()
    echo(history_text(found, output_format, reader.store.identity.partition))
    _warn_failures(found.failures)
    if found.cases_failure is not None:
        echo(f"wa-audit: cannot read Support cases: {found.cases_failure.reason}", err=True)
    incomplete = bool(found.failures) or found.cases_failure is not None
    click.get_current_context().exit(ExitCode.INCOMPLETE if incomplete else ExitCode.OK)
