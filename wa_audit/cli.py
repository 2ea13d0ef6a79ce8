"""Commands only: parse, call, print, exit."""

from __future__ import annotations

import json
import logging
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from wa_audit import __version__, interrupts
from wa_audit.audit import AuditRequest, execute
from wa_audit.cli_options import (
    FiniteFloatRange,
    LocalDirectory,
    pillar_option,
    table_or_json_option,
)
from wa_audit.cli_questions import answers, questions
from wa_audit.cli_results import RESULTS_COMMANDS
from wa_audit.config import FAIL_ON_CHOICES, load_config
from wa_audit.defaults import (
    DEFAULT_FAIL_ON,
    DEFAULT_FORMATS,
    DEFAULT_OUTPUT_DIR,
    DEFAULT_WORKERS,
    MAX_RUN_TIMEOUT,
    MAX_WORKERS,
)
from wa_audit.errors import WaAuditError
from wa_audit.escaping import terminal_text
from wa_audit.exitcodes import EXIT_CODE_HELP, ExitCode
from wa_audit.models import Pillar
from wa_audit.org.assume import DEFAULT_ROLE_NAME
from wa_audit.org.cli import (
    accounts_command,
    execute_org,
    merge_command,
    org_options,
    org_request,
)
from wa_audit.org.policy import org_policies_json
from wa_audit.pipes import echo, shown, stream_gone
from wa_audit.policy import policy_json
from wa_audit.quotas.cli import quotas
from wa_audit.registry import discover, select
from wa_audit.wa_tool.cli import wa_tool

F = TypeVar("F", bound=Callable[..., Any])


def _one_line(error: click.ClickException) -> str:
    """Click's error as one line, with where to read more: a bad flag is said like every other
    refusal (``wa-audit: error: …``), not as click's three-line usage block."""
    message = " ".join(error.format_message().split())
    context = getattr(error, "ctx", None)
    hint = f" (see '{context.command_path} --help')" if context is not None else ""
    return f"wa-audit: error: {message}{hint}"


class WaAuditGroup(click.Group):
    """Turns our errors into one line and the right exit code; tracebacks only with --debug.

    The exit code never depends on who reads the output: a closed pipe on standard output or
    standard error drops what was left to print there (:mod:`wa_audit.pipes`), and the command's
    own code stands (click would make any of them 1).
    """

    def main(
        self,
        args: Any = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        **extra: Any,
    ) -> Any:
        if not standalone_mode:
            return super().main(args, prog_name, complete_var, False, **extra)
        try:
            code = super().main(args, prog_name, complete_var, False, **extra)
        except click.ClickException as error:  # a bad flag: one line, click's exit code
            line = _one_line(error)
            shown(lambda: click.echo(line, err=True))
            code = error.exit_code
        except click.exceptions.Abort:
            shown(lambda: click.echo("Aborted!", err=True))
            code = 1
        sys.exit(code if isinstance(code, int) else ExitCode.OK)

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except WaAuditError as error:
            if ctx.meta.get("wa_audit.debug"):
                raise
            echo(f"wa-audit: error: {terminal_text(error)}", err=True)
            ctx.exit(error.exit_code)
        except (click.exceptions.Exit, click.ClickException):
            raise
        except BrokenPipeError:  # a write that is not pipe-safe: the command stopped part-way
            stream_gone(err=False)
            stream_gone(err=True)
            ctx.exit(ExitCode.INCOMPLETE)
        except (KeyboardInterrupt, click.exceptions.Abort):  # Abort: Ctrl-C at a click prompt
            echo("\nwa-audit: interrupted", err=True)
            ctx.exit(ExitCode.INTERRUPTED)
        except Exception as error:
            if ctx.meta.get("wa_audit.debug"):
                raise
            echo(
                f"wa-audit: internal error: {type(error).__name__}: {terminal_text(error)} "
                "(rerun with --debug)",
                err=True,
            )
            ctx.exit(ExitCode.INCOMPLETE)


def _set_debug(ctx: click.Context, _param: click.Parameter, value: bool) -> bool:
    if value:
        ctx.meta["wa_audit.debug"] = True
        logging.basicConfig(level=logging.DEBUG, format="%(levelname)s %(name)s: %(message)s")
    return value


debug_option = click.option(
    "--debug",
    is_flag=True,
    is_eager=True,
    expose_value=False,
    callback=_set_debug,
    help="Log every step and show tracebacks.",
)


def audit_options(output_default: str, formats_default: str) -> Callable[[F], F]:
    """The options shared by `run` and `demo`, so the demo can try everything `run` can."""
    return lambda command: _with_audit_options(command, output_default, formats_default)


def _with_audit_options(command: F, output_default: str, formats_default: str) -> F:
    options = [
        click.option(
            "--region",
            "regions",
            multiple=True,
            help="Audit only this region (repeat; default: every enabled region).",
        ),
        pillar_option("checks"),
        click.option(
            "--check", "checks", multiple=True, help="Only this check id (repeat; default: all)."
        ),
        click.option(
            "--skip-check", "skip_checks", multiple=True, help="Skip this check id (repeat)."
        ),
        click.option(
            "--config",
            "config_file",
            type=click.Path(dir_okay=False, path_type=Path),
            help="TOML config file (default: ./wa-audit.toml if present).",
        ),
        click.option(
            "--output-dir",
            type=LocalDirectory(file_okay=True),  # a file here: our one-line error
            help=f"Where results.* are written (default: the config's output_dir, else "
            f"./{output_default}).",
        ),
        click.option(
            "--timestamped",
            is_flag=True,
            help="Write into a new dated folder in --output-dir and refresh its latest/ copy.",
        ),
        click.option(
            "--format",
            "formats",
            multiple=True,
            help=f"Comma-separated formats to write as results.<suffix> (default: the config's "
            f"formats, else {formats_default}; 'wa-audit formats' lists them).",
        ),
        click.option(
            "--fail-on",
            type=click.Choice(FAIL_ON_CHOICES, case_sensitive=False),
            help=f"Exit 1 on a FAIL at or above this severity (default {DEFAULT_FAIL_ON.value}).",
        ),
        click.option(
            "--baseline",
            type=click.Path(dir_okay=False, path_type=Path),
            help="results.json of an earlier run: mark findings new, changed or unchanged, "
            "and list what was resolved (default: none).",
        ),
        click.option(
            "--fail-on-new",
            is_flag=True,
            help="Exit 1 only for new failures (needs --baseline); ERROR still exits 3.",
        ),
        click.option(
            "--workers",
            type=click.IntRange(1, MAX_WORKERS),
            help=f"Concurrent fetches (default {DEFAULT_WORKERS}).",
        ),
        click.option(
            "--answers",
            type=click.Path(dir_okay=False, path_type=Path),
            help="Recorded answers for what no check can see (see 'wa-audit answers init'; "
            "default: the config's answers, else none).",
        ),
        click.option(
            "--timeout",
            type=FiniteFloatRange(min=0, min_open=True, max=MAX_RUN_TIMEOUT),
            metavar="SECONDS",
            help="Stop fetching after this many seconds: what was fetched is assessed, the rest "
            "is ERROR (exit 3 unless a FAIL gives 1). At most a week. Default: no limit (config: "
            "timeout).",
        ),
        click.option("--quiet", is_flag=True, help="Print one summary line, no progress bar."),
        debug_option,
    ]
    for option in reversed(options):
        command = option(command)
    return command


def build_request(profile: str | None, **flags: Any) -> tuple[AuditRequest, Path | None]:
    config_file = flags.pop("config_file")
    return AuditRequest(profile=profile, **flags), config_file


@click.group(
    cls=WaAuditGroup,
    epilog="Exit codes:\n\n\b\n" + EXIT_CODE_HELP,
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
)
@click.version_option(__version__, prog_name="wa-audit")
def cli() -> None:
    """Audit an AWS account against the Well-Architected Framework and its Service Quotas."""


@cli.command(epilog="Exit codes:\n\n\b\n" + EXIT_CODE_HELP)
@click.option("--profile", help="AWS profile (default: the standard credential chain).")
@audit_options(str(DEFAULT_OUTPUT_DIR), ",".join(DEFAULT_FORMATS))
@org_options
def run(profile: str | None, **flags: Any) -> None:
    """Audit the account (or, with --org, every account of the organization); read-only."""
    org = org_request(flags)
    request, config_file = build_request(profile, **flags)
    config, output = load_config(config_file), DEFAULT_OUTPUT_DIR
    if org is not None:
        exit_code = execute_org(request, org, config, default_output_dir=output).exit_code
    else:
        exit_code = execute(request, config, default_output_dir=output).exit_code
    click.get_current_context().exit(exit_code)


@cli.command(epilog="Exit codes:\n\n\b\n" + EXIT_CODE_HELP)
@click.option(
    "--scenario",
    default="sample",
    show_default=True,
    help="Built-in scenario (sample; clean; org, an AWS Organization of five accounts) or a folder "
    "of scenario files (a built-in name means the built-in one: ./NAME for a folder of that name).",
)
@click.option("--serve", is_flag=True, help="Keep serving the sample account; print how to use it.")
@click.option(
    "--port",
    type=click.IntRange(0, 65535),
    default=0,
    help="Port for --serve (default: 0, any free port).",
)
@click.option(
    "--open", "open_browser", is_flag=True, help="Open the HTML report in the default browser."
)
@audit_options("wa-audit-demo", "every format")
def demo(scenario: str, serve: bool, port: int, open_browser: bool, **flags: Any) -> None:
    """Audit a realistic sample account served locally by moto (no AWS account needed)."""
    from wa_audit.demo import open_report, run_demo, serve_demo

    if serve:
        serve_demo(scenario, port)
        return
    request, config_file = build_request(None, **flags)
    on_written = open_report if open_browser else None
    exit_code = run_demo(request, load_config(config_file), scenario, on_written)
    click.get_current_context().exit(exit_code)


@cli.command(name="checks")
@pillar_option("checks")
@table_or_json_option()
@debug_option
def list_checks(pillars: tuple[str, ...], output_format: str) -> None:
    """List the available checks with pillar, severity and best-practice ids."""
    checks = select(discover(), pillars=[Pillar.parse(p) for p in pillars])
    if output_format == "json":
        echo(json.dumps([c.spec.model_dump(mode="json") for c in checks], indent=2))
        return
    header = ("CHECK", "PILLAR", "SEVERITY", "BEST PRACTICES", "TITLE")
    rows = [
        (
            c.id,
            c.spec.pillar.check_prefix,
            c.spec.severity.value,
            ",".join(c.spec.best_practices),
            c.spec.title,
        )
        for c in checks
    ]
    # Each column as wide as its widest entry, so a long best-practice list never shifts a title.
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header) - 1)]
    for row in [header, *rows]:
        cells = [cell.ljust(width) for cell, width in zip(row, widths, strict=False)]
        echo(" ".join([*cells, row[-1]]))


@cli.command()
@click.option(
    "--check",
    "checks",
    multiple=True,
    help="Only the permissions of this check (repeat; default: every check).",
)
@click.option(
    "--quota-requests",
    is_flag=True,
    help="Add the write of 'wa-audit quotas request' (a separate statement).",
)
@click.option(
    "--wa-tool",
    "wa_tool_actions",
    is_flag=True,
    help="Add what 'wa-audit wa-tool push/pull' need (writes in a separate statement).",
)
@click.option(
    "--org",
    is_flag=True,
    help="Print the member accounts' role policy and the management account's, for run --org.",
)
@click.option(
    "--role-name",
    default=DEFAULT_ROLE_NAME,
    show_default=True,
    help="With --org: the member role the management account may assume.",
)
@debug_option
def policy(
    checks: tuple[str, ...], quota_requests: bool, wa_tool_actions: bool, org: bool, role_name: str
) -> None:
    """Print the least-privilege IAM policy the selected checks need."""
    selected = select(discover(), include=checks)
    if org:
        echo(org_policies_json(selected, role_name), nl=False)
        return
    echo(policy_json(selected, quota_requests=quota_requests, wa_tool=wa_tool_actions), nl=False)


for _results_command in RESULTS_COMMANDS:
    cli.add_command(_results_command)
cli.add_command(merge_command, name="merge")
cli.add_command(accounts_command, name="accounts")
cli.add_command(questions)
cli.add_command(answers)
cli.add_command(quotas)
for _wa_tool_command in wa_tool.commands.values():
    debug_option(_wa_tool_command)
cli.add_command(wa_tool)


def _with_debug(group: click.Group) -> None:
    """Every command takes --debug, including those defined in other modules."""
    for command in group.commands.values():
        if isinstance(command, click.Group):
            _with_debug(command)
        elif not any("--debug" in getattr(p, "opts", ()) for p in command.params):
            debug_option(command)


_with_debug(cli)


def main() -> None:
    interrupts.install()
    try:
        cli(prog_name="wa-audit")
    except SystemExit as leaving:
        if leaving.code == ExitCode.INTERRUPTED:
            interrupts.exit_now()  # never wait for a worker thread stuck in a socket read
        raise
