"""The audit as a user runs it: flags over config, checks and formats chosen, files written.

``wa-audit run`` and ``wa-audit demo`` both come through here, so the demo shows exactly the code
path a real account gets.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TextIO

import click

from wa_audit.answers import load_answers
from wa_audit.aws import AwsSession
from wa_audit.config import Config
from wa_audit.console import quiet_line, summary_text
from wa_audit.defaults import DEFAULT_FORMATS
from wa_audit.errors import CannotAuditError
from wa_audit.formats import ReportFormat, parse_format_list, resolve_formats
from wa_audit.framework import load_framework
from wa_audit.models import Pillar, Report, Severity
from wa_audit.output import claimed_output, publish
from wa_audit.pipes import echo
from wa_audit.progress import IDENTIFYING, announce
from wa_audit.registry import Check, discover, select
from wa_audit.report_io import load_baseline
from wa_audit.runner import RunOptions, resolve_params, run_audit
from wa_audit.session import open_session

FETCHING = "Fetching facts"


@dataclass(frozen=True)
class AuditRequest:
    """What the command line asked for; empty fields fall back to the config file."""

    profile: str | None = None
    regions: tuple[str, ...] = ()
    pillars: tuple[str, ...] = ()
    checks: tuple[str, ...] = ()
    skip_checks: tuple[str, ...] = ()
    fail_on: str | None = None
    workers: int | None = None
    output_dir: Path | None = None
    formats: tuple[str, ...] = ()
    answers: Path | None = None
    quiet: bool = False
    baseline: Path | None = None
    fail_on_new: bool = False
    timestamped: bool = False
    role_arn: str | None = None
    external_id: str | None = None
    timeout: float | None = None


@dataclass(frozen=True)
class PreparedAudit:
    """Everything a run needs, checked before the first AWS call."""

    checks: list[Check]
    known_ids: list[str]
    formats: list[ReportFormat]
    options: RunOptions
    session: AwsSession
    config: Config
    """Tunes the sessions of assumed roles as it tuned ``session``."""


def parse_fail_on(value: str | Severity) -> Severity | None:
    text = str(value).lower()
    return None if text == "never" else Severity(text)


def execute(
    request: AuditRequest,
    config: Config,
    default_output_dir: Path,
    on_written: Callable[[list[Path]], None] | None = None,
) -> Report:
    """Run the audit, write every requested format, print the summary; return the Report.

    Everything that can be wrong with the request (checks, formats, baseline file, suppressions,
    an output folder that cannot be written or is in use by another run) fails before the first
    AWS call. A run that stops early still writes what it gathered, then raises so the user sees
    why, with exit code 4. ``on_written`` receives the files written (``demo --open`` opens the
    HTML one), partial ones too.
    """
    audit = prepare(request, config)
    base_dir = request.output_dir or config.output_dir or default_output_dir
    suffixes = [f.suffix for f in audit.formats]
    with claimed_output(base_dir, suffixes, timestamped=request.timestamped) as output_dir:
        if request.role_arn:
            report = _audit_through_role(audit, request, request.role_arn, (output_dir, base_dir))
        else:
            report = _run_with_progress(
                lambda: audit.session, audit.checks, audit.options, audit.known_ids, request.quiet
            )
        written = publish(report, audit.formats, output_dir, base_dir)
    if request.quiet:
        echo(quiet_line(report))
    else:
        echo(summary_text(report, colour=wants_colour(sys.stdout)))
        echo("Wrote " + ", ".join(str(path) for path in written))
    if on_written is not None:
        on_written(written)
    if report.aborted is not None:
        raise CannotAuditError(f"{report.aborted} (partial results written to {output_dir})")
    return report


def prepare(request: AuditRequest, config: Config) -> PreparedAudit:
    """Checks, formats, options and the session, from flags over config; usage errors here."""
    all_checks = discover()
    pillar_names = request.pillars or tuple(p.value for p in config.pillars)
    checks = select(
        all_checks,
        pillars=[Pillar.parse(name) for name in pillar_names],
        include=request.checks or config.checks,
        skip=[*config.skip_checks, *request.skip_checks],
    )
    formats = resolve_formats(
        parse_format_list(request.formats) or config.formats or DEFAULT_FORMATS
    )
    workers = request.workers or config.workers
    answers_path = request.answers or config.answers
    answers = load_answers(answers_path, load_framework()).given() if answers_path else {}
    options = RunOptions(
        regions=request.regions or config.regions,
        fail_on=parse_fail_on(request.fail_on or config.fail_on),
        workers=workers,
        params=config.params,
        answers=answers,
        answer_max_age=timedelta(days=config.answer_max_age_days),
        suppressions=config.suppressions,
        baseline=load_baseline(request.baseline) if request.baseline else None,
        fail_on_new=request.fail_on_new,
        timeout=request.timeout or config.timeout,
        params_source=f"{config.source}: params" if config.source else "params",
        regions_source=None if request.regions else config.source,
    )
    # The run validates them again; here a bad parameter is refused before anything is said or
    # called (run_audit is also the library entry point, so it cannot rely on this).
    resolve_params(checks, [c.id for c in all_checks], options.params, options.params_source)
    session = open_session(request.profile, config, workers)
    return PreparedAudit(
        checks=checks,
        known_ids=[c.id for c in all_checks],
        formats=formats,
        options=options,
        session=session,
        config=config,
    )


def _audit_through_role(
    audit: PreparedAudit, request: AuditRequest, arn: str, folders: tuple[Path, Path]
) -> Report:
    """``run --role-arn``: an account that cannot be audited at all still gets a results.json
    saying why, so the fan-out's ``merge`` lists it as failed rather than not at all."""
    from wa_audit.org.assume import role_account
    from wa_audit.org.unaudited import not_audited

    partition, account_id = role_account(arn)
    started = datetime.now(UTC)
    try:
        return _run_with_progress(
            # Assuming the role is already an AWS call: made once the progress is showing.
            lambda: assume_for_run(audit, arn, request.external_id),
            audit.checks,
            audit.options,
            audit.known_ids,
            request.quiet,
        )
    except CannotAuditError as error:
        stub = not_audited(
            account_id, partition, str(error), fail_on=audit.options.fail_on, started=started
        )
        [written] = publish(stub, resolve_formats(["json"]), *folders)
        raise CannotAuditError(f"{error} (recorded in {written})") from error


def assume_for_run(audit: PreparedAudit, arn: str, external_id: str | None) -> AwsSession:
    """``run --role-arn``: audit the account of that role (one container per account, say)."""
    from wa_audit.org.assume import assumed_session

    base = audit.session
    return assumed_session(
        base,
        arn,
        external_id=external_id,
        region=base.default_region or base.identity().home_region,
        config=audit.config,
        workers=audit.options.workers,
    )


def wants_colour(stream: TextIO) -> bool:
    """Colour on a terminal, unless NO_COLOR is set to anything (https://no-color.org)."""
    return stream.isatty() and not os.environ.get("NO_COLOR")


def _run_with_progress(
    connect: Callable[[], AwsSession],
    checks: Sequence[Check],
    options: RunOptions,
    known_ids: list[str],
    quiet: bool,
) -> Report:
    """Connect and audit, having said so first: a bar on a terminal, else one plain line."""
    stream = sys.stderr  # progress stays off stdout, which may be piped
    if quiet or not stream.isatty():
        announce(IDENTIFYING, quiet=quiet)
        return run_audit(connect(), checks, options, known_check_ids=known_ids)
    # Drawn before the first call, so a slow or unreachable endpoint never looks like a hang.
    with click.progressbar(length=1, label=IDENTIFYING, file=stream) as bar:
        session = connect()

        def advance(done: int, total: int) -> None:
            bar.label = FETCHING
            bar.length = total
            bar.update(done - bar.pos)

        return run_audit(session, checks, options, known_check_ids=known_ids, on_progress=advance)
