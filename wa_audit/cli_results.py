"""Commands on results files already written: nothing is audited again, no AWS call is made."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import click

from wa_audit.baseline import compare_reports
from wa_audit.cli_options import LocalDirectory
from wa_audit.diff_view import DIFF_FORMATS, RENDERERS
from wa_audit.errors import UsageError
from wa_audit.escaping import terminal_block
from wa_audit.formats import (
    available_formats,
    parse_format_list,
    resolve_formats,
    write_atomically,
    write_reports,
)
from wa_audit.models import Report
from wa_audit.output import check_output_file, ensure_directory
from wa_audit.pipes import echo
from wa_audit.report_io import load_baseline, load_report

T = TypeVar("T")


@click.command()
@click.argument("results", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--format",
    "formats",
    multiple=True,
    help="Comma-separated formats (default: markdown).",
)
@click.option(
    "--output",
    type=click.Path(path_type=Path),
    help="Write the one format to this file (default: standard output).",
)
@click.option(
    "--output-dir",
    type=LocalDirectory(file_okay=True),
    help="Write each format as results.<suffix> in this directory (default: none, print).",
)
def report(
    results: Path, formats: tuple[str, ...], output: Path | None, output_dir: Path | None
) -> None:
    """Re-render an earlier results.json in any format (nothing is audited again)."""
    chosen = resolve_formats(parse_format_list(formats) or ("markdown",))
    if output is not None and output_dir is not None:
        raise UsageError("give --output or --output-dir, not both")
    if output_dir is None and len(chosen) > 1:
        raise UsageError("several formats need --output-dir (each is written as results.<suffix>)")
    if output is not None:
        check_output_file(output)
    if output_dir is not None:
        ensure_directory(output_dir)
    loaded = load_report(results)
    if output_dir is not None:
        written = written_to(output_dir, lambda: write_reports(loaded, chosen, output_dir))
        echo("Wrote " + ", ".join(str(path) for path in written))
    elif output is not None:
        written_to(output, lambda: write_atomically(output, chosen[0].render(loaded)))
        echo(f"Wrote {output}")
    else:
        text = chosen[0].render(loaded)
        echo(terminal_block(text) if stdout_is_terminal() else text, nl=False)


def stdout_is_terminal() -> bool:
    """A terminal acts on escape sequences in account text; a pipe or a file gets it exact."""
    return sys.stdout.isatty()


def written_to(target: Path, write: Callable[[], T]) -> T:
    """``write()``; a refusal the checks before could not foresee is one line, exit 2.

    The folder was checked before rendering, but a file system can still refuse the file itself
    (a read-only or special file system, a full disk, a name too long).
    """
    try:
        return write()
    except OSError as error:
        raise UsageError(f"cannot write {target}: {error.strerror}") from error


@click.command()
@click.argument("old", type=click.Path(dir_okay=False, path_type=Path))
@click.argument("new", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--format",
    "output_format",
    type=click.Choice(DIFF_FORMATS),
    default="table",
    show_default=True,
    help="Output format.",
)
def diff(old: Path, new: Path, output_format: str) -> None:
    """Print what is new, resolved and changed between two results.json files."""
    earlier, later = load_baseline(old), load_baseline(new)
    if earlier.report.account_id != later.report.account_id:
        raise UsageError(
            f"{old} is of account {earlier.report.account_id} and {new} of "
            f"{later.report.account_id}: compare runs of one account"
        )
    echo(RENDERERS[output_format](compare_reports(earlier, later)))


@click.command(name="formats")
def list_formats() -> None:
    """List the report formats (built-in and plugins) with their file suffixes."""
    for name, report_format in available_formats().items():
        echo(f"{name:<10} results.{report_format.suffix:<12} {report_format.description}")


@click.command()
def schema() -> None:
    """Print the JSON Schema of results.json (the Report)."""
    echo(json.dumps(Report.model_json_schema(), indent=2))


RESULTS_COMMANDS = (report, diff, list_formats, schema)
