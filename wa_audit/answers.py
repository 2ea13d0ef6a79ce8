"""The owner's recorded answers for best practices no API can see, kept in a TOML file.

``wa-audit answers init`` writes a template a team fills in during a review meeting; the same file
loads back unchanged (entries still ``unanswered`` are ignored).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from pathlib import Path
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, Strict, ValidationError, model_validator

from wa_audit.config import describe_validation_error, read_toml
from wa_audit.errors import ConfigError
from wa_audit.framework import Framework, QuestionDef

ANSWER_STATUSES = ("met", "not_met", "not_applicable")


class Answer(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    status: Literal["met", "not_met", "not_applicable", "unanswered"]
    note: Annotated[str, Strict()] = ""
    date: Annotated[dt.date, Strict()] | None = Field(
        default=None,
        description="A TOML date (date = 2026-11-29), not a string: refused like a suppression's.",
    )

    @model_validator(mode="after")
    def _answered_needs_date(self) -> Answer:
        if self.status != "unanswered" and self.date is None:
            raise ValueError("an answer needs the date it was given (date = YYYY-MM-DD)")
        if self.date is not None and self.date > latest_date_on_earth():
            raise ValueError(f"date {self.date.isoformat()} is in the future")
        return self

    @property
    def answered(self) -> bool:
        return self.status != "unanswered"


def latest_date_on_earth() -> dt.date:
    """Today where it is latest (UTC+14): an answer given today anywhere is never "future"."""
    return (dt.datetime.now(dt.UTC) + dt.timedelta(hours=14)).date()


class AnswersFile(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    answers: dict[str, Answer] = Field(default_factory=dict)

    def given(self) -> dict[str, Answer]:
        return {bp: answer for bp, answer in self.answers.items() if answer.answered}


def load_answers(path: Path, framework: Framework) -> AnswersFile:
    raw = read_toml(path, "answers file")
    try:
        parsed = AnswersFile.model_validate(raw)
    except ValidationError as error:
        raise ConfigError(describe_validation_error(error, str(path))) from error
    known = framework.best_practices()
    for bp_id in parsed.answers:
        if bp_id not in known:
            raise ConfigError(f"{path}: unknown best practice {bp_id!r}")
    return parsed


def _toml_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def answers_template(
    framework: Framework, covered: Iterable[str], existing: AnswersFile | None = None
) -> str:
    """Every best practice no selected check covers, grouped by question, ready to fill in."""
    covered_ids = set(covered)
    kept = existing.answers if existing else {}
    lines = [
        f"# wa-audit answers: Well-Architected Framework {framework.version}.",
        "# For each best practice below, which no selected check can assess, record",
        '#   status = "met" | "not_met" | "not_applicable"   (leave "unanswered" to skip)',
        '#   note   = "what was decided and by whom"',
        "#   date   = YYYY-MM-DD   (required once answered; old answers are flagged stale)",
        "# An answer never overrides a failing check: the scorecard shows the conflict.",
        "",
    ]
    for question in framework.questions:
        open_practices = [bp for bp in question.best_practices if bp.id not in covered_ids]
        if open_practices:
            lines += _question_block(question, [bp.id for bp in open_practices], kept)
    return "\n".join(lines) + "\n"


def _question_block(question: QuestionDef, bp_ids: list[str], kept: dict[str, Answer]) -> list[str]:
    titles = {bp.id: bp for bp in question.best_practices}
    lines = [f"# {question.label}: {question.title}", ""]
    for bp_id in bp_ids:
        bp = titles[bp_id]
        answer = kept.get(bp_id, Answer(status="unanswered"))
        lines += [
            f"# {bp.title} (risk if not established: {bp.risk.value})",
            f'[answers."{bp_id}"]',
            f"status = {_toml_string(answer.status)}",
            f"note = {_toml_string(answer.note)}",
        ]
        if answer.date is not None:
            lines.append(f"date = {answer.date.isoformat()}")
        lines.append("")
    return lines
