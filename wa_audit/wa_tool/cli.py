"""``wa-audit wa-tool push|pull``: two-way sync of a run with an AWS Well-Architected Tool workload.

``push`` writes (UpdateAnswer, and CreateWorkload/CreateMilestone when asked): it shows a
per-question diff first and asks unless ``--yes`` (never without a terminal); ``--dry-run`` and a
re-run with nothing changed write nothing. ``pull`` only reads.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import click

from wa_audit.answers import answers_template, load_answers
from wa_audit.cli_questions import checks_by_best_practice
from wa_audit.config import load_config
from wa_audit.confirm import confirm_write
from wa_audit.defaults import DEFAULT_OUTPUT_DIR
from wa_audit.errors import UsageError
from wa_audit.exitcodes import ExitCode
from wa_audit.formats import write_atomically
from wa_audit.framework import load_framework
from wa_audit.models import QuestionResult, Report
from wa_audit.pipes import echo
from wa_audit.registry import discover
from wa_audit.report_io import load_report
from wa_audit.scoring import score
from wa_audit.session import open_session
from wa_audit.text import plural
from wa_audit.wa_tool.client import WaToolClient, printable, region_of, workload_id_of
from wa_audit.wa_tool.diff import diff_text
from wa_audit.wa_tool.evidence import Evidence
from wa_audit.wa_tool.pull import imported_answers
from wa_audit.wa_tool.push import (
    NewWorkload,
    compare_risks,
    planned,
    refuse_used_milestone,
    write,
)

DEFAULT_RESULTS = DEFAULT_OUTPUT_DIR / "results.json"
PUSH_EXIT_HELP = (
    "Exit codes:\n\n\b\n"
    "  0  Written, or nothing to change, or --dry-run.\n"
    "  1  You declined.\n"
    "  2  Usage error (unknown workload without --create, milestone name already used,\n"
    "     lens version without a choice to set, bad file), or no terminal to confirm on and\n"
    "     no --yes: nothing written.\n"
    "  3  The Well-Architected Tool refused a call part-way (what was written is named).\n"
    "  4  No usable AWS credentials."
)

profile_option = click.option(
    "--profile", help="AWS profile (default: the standard credential chain)."
)
region_option = click.option(
    "--region",
    help="Region of the WA Tool workload (default: the ARN's, else your default region).",
)


@click.group(name="wa-tool")
def wa_tool() -> None:
    """Sync results with a workload in the AWS Well-Architected Tool (lens wellarchitected)."""


def _client(profile: str | None, region: str | None, workload: str | None) -> WaToolClient:
    session = open_session(profile, load_config(None))  # ./wa-audit.toml's retries, if any
    chosen = region or (region_of(workload) if workload else None) or session.default_region
    return WaToolClient(session, chosen or "us-east-1")


def _questions(report: Report, answers_path: Path | None) -> tuple[QuestionResult, ...]:
    """The run's question results; with an answers file, scored again with those answers."""
    if answers_path is None:
        if not report.questions:
            raise UsageError("the results file has no question results to push")
        return report.questions
    framework = load_framework()
    given = load_answers(answers_path, framework).given()
    questions, _ = score(framework, report.checks, report.findings, given, report.started_at.date())
    return questions


@wa_tool.command(epilog=PUSH_EXIT_HELP)
@click.option(
    "--results",
    "results_path",
    type=click.Path(dir_okay=False, path_type=Path),
    default=DEFAULT_RESULTS,
    show_default=True,
    help="results.json of the run to push.",
)
@click.option(
    "--answers",
    "answers_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Answers file to score the run with (see 'wa-audit answers init'; default: none).",
)
@click.option(
    "--workload", help="Workload name or ARN (default: 'wa-audit <account alias or id>')."
)
@click.option("--create", is_flag=True, help="Create the workload when no workload has that name.")
@click.option(
    "--environment",
    type=click.Choice(["PRODUCTION", "PREPRODUCTION"]),
    help="With --create: the workload's environment (required then; no default).",
)
@click.option(
    "--regions",
    "workload_regions",
    multiple=True,
    help="With --create: the workload's AWS Regions (repeat or comma-separate; default: the run's).",
)
@click.option("--review-owner", help="With --create: the review owner (default: your IAM ARN).")
@click.option("--milestone", help="Then save a milestone with this name (default: none).")
@click.option("--dry-run", is_flag=True, help="Show the diff; write nothing.")
@click.option("--yes", is_flag=True, help="Write without asking for confirmation.")
@region_option
@profile_option
def push(
    results_path: Path,
    answers_path: Path | None,
    workload: str | None,
    create: bool,
    environment: str | None,
    workload_regions: tuple[str, ...],
    review_owner: str | None,
    milestone: str | None,
    dry_run: bool,
    yes: bool,
    region: str | None,
    profile: str | None,
) -> None:
    """Record a run's best-practice status as the workload's selected choices, with evidence notes.

    Met best practices are selected, failed ones unselected, not-applicable ones marked so; choices
    wa-audit cannot assess, and choices or questions a reviewer marked not applicable, are kept as
    they are. "None of these" only where the answers file says no best practice of the question
    is met. Shows the diff per question and asks before writing.
    """
    _check_create_options(create, environment, workload_regions, review_owner)
    if milestone is not None and not 3 <= len(milestone) <= 100:
        raise UsageError("--milestone must be 3 to 100 characters (the WA Tool's limit)")
    report = load_report(results_path)
    questions = _questions(report, answers_path)
    name = workload or f"wa-audit {report.account_alias or report.account_id}"
    client = _client(profile, region, workload)
    found = client.find_workload(name)
    if found is None and workload_id_of(name) is not None:
        # --create takes a name; creating a workload named after a mistyped ARN would leave a
        # junk workload in the account.
        raise UsageError(
            f"no Well-Architected Tool workload {printable(name)} in {client.region}"
            + (": --create takes a workload name, not an ARN" if create else "")
        )
    if found is None and not create:
        raise UsageError(
            f"no Well-Architected Tool workload {printable(name)!r} in {client.region}: "
            "add --create --environment PRODUCTION|PREPRODUCTION to create it"
        )
    if found is not None and milestone is not None:
        refuse_used_milestone(client, found, milestone)
    evidence = Evidence.of(report.started_at.date(), report.account_id, report.findings)
    current, changes = planned(client, found, questions, evidence)
    titles = {q: a.choice_titles for q, a in current.items()}
    if found is None:
        echo(f"Will create workload {printable(name)!r} in {client.region}.")
    echo(diff_text(changes, titles))
    writes = len(changes) + (found is None) + (milestone is not None)
    context = click.get_current_context()
    if dry_run or not writes:
        echo("Dry run: nothing written." if dry_run else "Nothing written.")
        context.exit(ExitCode.OK)
    if not yes and not confirm_write(
        "Write these changes to the Well-Architected Tool?",
        f"write {plural(writes, 'change')} to the Well-Architected Tool",
    ):
        echo("Nothing written.")
        context.exit(ExitCode.FAILED)
    new = NewWorkload(
        name=name,
        environment=environment or "",
        regions=tuple(r for entry in workload_regions for r in entry.split(",") if r)
        or tuple(report.regions),
        review_owner=review_owner,
        description=f"Audited by wa-audit (account {report.account_id})",
    )
    written = write(
        client,
        found,
        new,
        changes,
        lambda created: planned(client, created, questions, evidence)[1],
        milestone,
        questions,
    )
    compare_risks(client.risk_counts(written.workload_id), questions)
    context.exit(ExitCode.OK)


def _check_create_options(
    create: bool, environment: str | None, regions: tuple[str, ...], review_owner: str | None
) -> None:
    """The workload's properties are for a new one: push never changes an existing workload's."""
    if create:
        if environment is None:
            raise UsageError("--create needs --environment PRODUCTION or PREPRODUCTION")
        return
    given = [
        option
        for option, value in (
            ("--environment", environment),
            ("--regions", regions),
            ("--review-owner", review_owner),
        )
        if value
    ]
    if given:
        verb = "applies" if len(given) == 1 else "apply"
        raise UsageError(f"{', '.join(given)} only {verb} with --create (to a new workload)")


@wa_tool.command()
@click.option("--workload", required=True, help="Workload name or ARN.")
@click.option(
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    default=Path("answers.toml"),
    show_default=True,
    help="Answers file to write; its existing answers and notes are kept.",
)
@click.option(
    "--include-checked",
    is_flag=True,
    help="Also import best practices that checks assess (default: only the others).",
)
@region_option
@profile_option
def pull(
    workload: str, output: Path, include_checked: bool, region: str | None, profile: str | None
) -> None:
    """Import what reviewers decided in the WA Tool as answers (met / not_met / not_applicable).

    wa-audit's own pushed choices are not imported (its evidence notes record them), nor, without
    --include-checked, best practices that checks assess; an unselected choice is not_met only
    where a reviewer selected "None of these" or unselected what wa-audit had selected, and never
    replaces an answer the file already has.
    """
    framework = load_framework()
    existing = load_answers(output, framework) if output.exists() else None
    client = _client(profile, region, workload)
    found = client.find_workload(workload)
    if found is None:
        raise UsageError(
            f"no Well-Architected Tool workload {printable(workload)!r} in {client.region}"
        )
    checked = () if include_checked else checks_by_best_practice(discover())
    today = datetime.now(UTC).date()
    pulled = imported_answers(
        framework, client.answers(found.workload_id), existing, today, checked
    )
    write_atomically(output, answers_template(framework, (), pulled.answers))
    echo(
        f"Wrote {output}: {plural(len(pulled.imported), 'answer')} imported from the WA Tool, "
        f"{len(pulled.answers.given())} answered best practices in all"
    )
    if pulled.kept:
        echo(
            "Kept the file's answer where a reviewer left the choice unselected: "
            + ", ".join(pulled.kept)
        )
