"""``wa-audit questions`` and ``wa-audit answers``: the framework, and what assesses each part."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path

import click

from wa_audit.answers import AnswersFile, answers_template, load_answers
from wa_audit.cli_options import pillar_option, table_or_json_option
from wa_audit.config import load_config
from wa_audit.formats import write_atomically
from wa_audit.framework import Framework, load_framework
from wa_audit.models import Frozen, Pillar
from wa_audit.pipes import echo
from wa_audit.registry import Check, discover, select

DEFAULT_ANSWERS_FILE = Path("wa-audit-answers.toml")


def checks_by_best_practice(checks: Sequence[Check]) -> dict[str, list[str]]:
    found: dict[str, list[str]] = defaultdict(list)
    for check in checks:
        for bp_id in check.spec.best_practices:
            found[bp_id].append(check.id)
    return found


class AssessmentRow(Frozen):
    pillar: Pillar
    question: str
    question_title: str
    best_practice: str
    title: str
    risk: str
    checks: tuple[str, ...]
    answer: str | None

    @property
    def how(self) -> str:
        if self.checks:
            return "checks: " + ", ".join(self.checks)
        return f"answered: {self.answer}" if self.answer else "not assessed"


def assessment_rows(
    framework: Framework,
    checks: Sequence[Check],
    answers: AnswersFile,
    pillars: Sequence[Pillar],
    uncovered_only: bool,
) -> list[AssessmentRow]:
    """One row per best practice: how it is assessed (checks, a recorded answer, or not at all)."""
    by_bp = checks_by_best_practice(checks)
    given = answers.given()
    rows = []
    for question in framework.questions:
        if pillars and question.pillar not in pillars:
            continue
        for bp in question.best_practices:
            answer = given.get(bp.id)
            if uncovered_only and (by_bp.get(bp.id) or answer):
                continue
            rows.append(
                AssessmentRow(
                    pillar=question.pillar,
                    question=question.label,
                    question_title=question.title,
                    best_practice=bp.id,
                    title=bp.title,
                    risk=bp.risk.value,
                    checks=tuple(by_bp.get(bp.id, [])),
                    answer=answer.status if answer else None,
                )
            )
    return rows


@click.command()
@pillar_option("best practices")
@click.option("--uncovered", is_flag=True, help="Only best practices nothing assesses.")
@click.option(
    "--answers",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Answers file to show beside the checks (default: none).",
)
@table_or_json_option()
def questions(
    pillars: tuple[str, ...], uncovered: bool, answers: Path | None, output_format: str
) -> None:
    """List the framework's questions and best practices, and how each is assessed."""
    framework = load_framework()
    recorded = load_answers(answers, framework) if answers else AnswersFile()
    chosen = [Pillar.parse(p) for p in pillars]
    rows = assessment_rows(framework, discover(), recorded, chosen, uncovered)
    if output_format == "json":
        echo(json.dumps([row.model_dump(mode="json") for row in rows], indent=2))
        return
    current = None
    for row in rows:
        if row.question != current:
            current = row.question
            echo(f"\n{row.question}: {row.question_title}")
        echo(f"  {row.best_practice:<11} {row.risk:<7} {row.title:<48} {row.how}")
    total = len(rows)
    assessed = sum(1 for row in rows if row.checks or row.answer)
    echo(f"\n{total} best practices listed, {assessed} assessed ({framework.version}).")


@click.group()
def answers() -> None:
    """Record answers for best practices that no check can assess."""


@answers.command("init")
@click.option(
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    default=DEFAULT_ANSWERS_FILE,
    show_default=True,
    help="Answers file to write; answers already in it are kept.",
)
@pillar_option("best practices")
@click.option("--check", "checks", multiple=True, help="Consider only these checks (repeat).")
@click.option("--skip-check", "skip_checks", multiple=True, help="Treat this check as not run.")
@click.option(
    "--config",
    "config_file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="TOML config file whose checks to consider (default: ./wa-audit.toml if present).",
)
def answers_init(
    output: Path,
    pillars: tuple[str, ...],
    checks: tuple[str, ...],
    skip_checks: tuple[str, ...],
    config_file: Path | None,
) -> None:
    """Write a template listing every best practice no selected check covers, by question."""
    config = load_config(config_file)
    framework = load_framework()
    selected = select(
        discover(),
        pillars=[Pillar.parse(p) for p in pillars] or list(config.pillars),
        include=checks or config.checks,
        skip=[*config.skip_checks, *skip_checks],
    )
    existing = load_answers(output, framework) if output.exists() else None
    covered = checks_by_best_practice(selected)
    write_atomically(output, answers_template(framework, covered, existing))
    open_count = sum(1 for bp in framework.best_practices() if bp not in covered)
    echo(f"Wrote {output}: {open_count} best practices to answer.")
