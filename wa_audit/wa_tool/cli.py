"""``wa-audit wa-tool push|pull``: two-way sync of a run with an AWS Well-Architected Tool workload.

``push`` writes (UpdateAnswer, and CreateWorkload/CreateMilestone when asked): it shows a
per-question diff first and asks unless ``--yes`` (never without a terminal); ``--dry-run`` and a
re-run with nothing changed write nothing. ``pull`` only reads.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

import click

from wa_audit.answers import answers_template, load_answers
from wa_audit.config import load_config
from wa_audit.confirm import confirm_write
from wa_audit.defaults import DEFAULT_OUTPUT_DIR
from wa_audit.errors import UsageError
from wa_audit.exitcodes import ExitCode
from wa_audit.formats import write_atomically
from wa_audit.framework import load_framework
from wa_audit.models import BestPracticeStatus, QuestionResult, Report
from wa_audit.report_io import load_report
from wa_audit.scoring import score
from wa_audit.session import open_session
from wa_audit.wa_tool.client import (
    CurrentAnswer,
    WaToolClient,
    Workload,
    notes_limit,
    printable,
    region_of,
)
from wa_audit.wa_tool.diff import diff_text, risk_counts_text
from wa_audit.wa_tool.plan import AnswerChange, Evidence, plan_push
from wa_audit.wa_tool.pull import imported_answers

DEFAULT_RESULTS = DEFAULT_OUTPUT_DIR / "results.json"
PUSH_EXIT_HELP = (
    "Exit codes:\n\n\b\n"
    "  0  Written, or nothing to change, or --dry-run.\n"
    "  1  You declined.\n"
    "  2  Usage error (unknown workload without --create, bad file), or no terminal to\n"
    "     confirm on and no --yes.\n"
    "  3  The Well-Architected Tool refused a call part-way.\n"
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


def _fetch_current(
    client: WaToolClient, workload: Workload | None, questions: Sequence[QuestionResult]
) -> dict[str, CurrentAnswer]:
    """The WA Tool's answers to the questions wa-audit assessed something of (the rest stay)."""
    if workload is None:
        return {}
    assessed = [
        q
        for q in questions
        if any(bp.status is not BestPracticeStatus.UNKNOWN for bp in q.best_practices)
    ]
    return {q.id: client.answer(workload.workload_id, q.id) for q in assessed}


def _write(client: WaToolClient, workload: Workload, changes: Sequence[AnswerChange]) -> None:
    for change in changes:
        client.update_answer(workload.workload_id, change.question_id, **change.request())
        click.echo(f"Updated {change.label} ({change.question_id})")


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
    wa-audit cannot assess are kept as they are. "None of these" only where the answers file says
    no best practice of the question is met. Shows the diff per question and asks before writing.
    """
    if create and environment is None:
        raise UsageError("--create needs --environment PRODUCTION or PREPRODUCTION")
    if milestone is not None and not 3 <= len(milestone) <= 100:
        raise UsageError("--milestone must be 3 to 100 characters (the WA Tool's limit)")
    report = load_report(results_path)
    questions = _questions(report, answers_path)
    name = workload or f"wa-audit {report.account_alias or report.account_id}"
    client = _client(profile, region, workload)
    found = client.find_workload(name)
    if found is None and not create:
        raise UsageError(
            f"no Well-Architected Tool workload {name!r} in {client.region}: "
            "add --create --environment PRODUCTION|PREPRODUCTION to create it"
        )
    evidence = Evidence.of(report.started_at.date(), report.account_id, report.findings)
    current = _fetch_current(client, found, questions)
    changes = plan_push(questions, current, evidence, notes_limit())
    titles = {q: a.choice_titles for q, a in current.items()}
    if found is None:
        click.echo(f"Will create workload {printable(name)!r} in {client.region}.")
    click.echo(diff_text(changes, titles))
    writes = len(changes) + (found is None) + (milestone is not None)
    context = click.get_current_context()
    if dry_run or not writes:
        click.echo("Dry run: nothing written." if dry_run else "Nothing written.")
        context.exit(ExitCode.OK)
    if not yes and not confirm_write(
        "Write these changes to the Well-Architected Tool?",
        f"write {writes} change(s) to the Well-Architected Tool",
    ):
        click.echo("Nothing written.")
        context.exit(ExitCode.FAILED)
    if found is None:
        regions = [r for entry in workload_regions for r in entry.split(",") if r] or list(
            report.regions
        )
        owner = review_owner or client.caller_arn()
        description = f"Audited by wa-audit (account {report.account_id})"
        found = client.create_workload(name, environment or "", regions, owner, description)
        click.echo(f"Created workload {printable(found.name)!r}: {found.arn}")
        changes = plan_push(
            questions, _fetch_current(client, found, questions), evidence, notes_limit()
        )
    _write(client, found, changes)
    if milestone is not None:
        number = client.create_milestone(found.workload_id, milestone)
        click.echo(f"Saved milestone {number} {printable(milestone)!r}")
    _compare_risks(client.risk_counts(found.workload_id), questions)
    context.exit(ExitCode.OK)


def _compare_risks(theirs: dict[str, int], questions: Sequence[QuestionResult]) -> None:
    risks = [q.risk.value for q in questions]
    ours = {risk: risks.count(risk) for risk in set(risks)}
    click.echo(risk_counts_text("Well-Architected Tool risk", theirs))
    click.echo(risk_counts_text("wa-audit risk", ours))
    if {k: v for k, v in theirs.items() if v} != ours:
        click.echo(
            "They differ where wa-audit could not assess every best practice of a question (the "
            "WA Tool counts those as missing) or found only failures with no answer saying "
            "'none of these' (the WA Tool leaves the question unanswered): "
            "'wa-audit answers init' lists what to answer."
        )


@wa_tool.command()
@click.option("--workload", required=True, help="Workload name or ARN.")
@click.option(
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    default=Path("answers.toml"),
    show_default=True,
    help="Answers file to write; its existing notes are kept.",
)
@region_option
@profile_option
def pull(workload: str, output: Path, region: str | None, profile: str | None) -> None:
    """Import the workload's selected choices as answers (met / not_met / not_applicable)."""
    framework = load_framework()
    existing = load_answers(output, framework) if output.exists() else None
    client = _client(profile, region, workload)
    found = client.find_workload(workload)
    if found is None:
        raise UsageError(f"no Well-Architected Tool workload {workload!r} in {client.region}")
    today = datetime.now(UTC).date()
    merged = imported_answers(framework, client.answers(found.workload_id), existing, today)
    write_atomically(output, answers_template(framework, (), merged))
    click.echo(f"Wrote {output}: {len(merged.given())} answered best practices")
