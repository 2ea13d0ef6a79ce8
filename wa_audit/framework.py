"""The Well-Architected Framework as data: pillars, questions and best practices from ``questions/``."""

from __future__ import annotations

import tomllib
from enum import StrEnum
from functools import cache
from importlib.resources import files

from pydantic import Field

from wa_audit.models import BEST_PRACTICE_PATTERN, Frozen, Pillar

PILLAR_FILES = {
    Pillar.OPERATIONAL_EXCELLENCE: "operational_excellence.toml",
    Pillar.SECURITY: "security.toml",
    Pillar.RELIABILITY: "reliability.toml",
    Pillar.PERFORMANCE: "performance_efficiency.toml",
    Pillar.COST_OPTIMIZATION: "cost_optimization.toml",
    Pillar.SUSTAINABILITY: "sustainability.toml",
}


class Risk(StrEnum):
    """The level of risk AWS assigns to a best practice that is not established."""

    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"

    @property
    def weight(self) -> int:
        return {Risk.HIGH: 3, Risk.MEDIUM: 2, Risk.LOW: 1}[self]


class BestPracticeDef(Frozen):
    id: str = Field(pattern=BEST_PRACTICE_PATTERN)
    choice_id: str
    title: str
    risk: Risk


class QuestionDef(Frozen):
    pillar: Pillar
    number: int
    id: str = Field(description="The WA Tool QuestionId.")
    title: str
    none_choice_id: str = Field(
        description="The WA Tool ChoiceId of the question's \"None of these\" (AWS's, from the "
        "lens data: it does not follow from the other choice ids)."
    )
    best_practices: tuple[BestPracticeDef, ...]

    @property
    def label(self) -> str:
        """``SEC 2``, as the framework writes it."""
        return f"{self.pillar.check_prefix.upper()} {self.number}"


class _PillarFile(Frozen):
    framework_version: str
    pillar: Pillar
    prefix: str
    questions: tuple[QuestionDef, ...]


class Framework(Frozen):
    version: str
    questions: tuple[QuestionDef, ...]

    def best_practices(self) -> dict[str, tuple[QuestionDef, BestPracticeDef]]:
        return {bp.id: (q, bp) for q in self.questions for bp in q.best_practices}

    def pillar_questions(self, pillar: Pillar) -> tuple[QuestionDef, ...]:
        return tuple(q for q in self.questions if q.pillar is pillar)


@cache
def load_framework() -> Framework:
    """The framework shipped with wa-audit (one TOML file per pillar)."""
    data = files("wa_audit.questions")
    questions: list[QuestionDef] = []
    versions = set()
    for pillar, name in PILLAR_FILES.items():
        raw = tomllib.loads(data.joinpath(name).read_text(encoding="utf-8"))
        for question in raw.get("questions", []):
            question["pillar"] = pillar.value
        parsed = _PillarFile.model_validate(raw)
        versions.add(parsed.framework_version)
        questions.extend(parsed.questions)
    if len(versions) != 1:
        raise ValueError(f"questions/ mixes framework versions: {sorted(versions)}")
    return Framework(version=versions.pop(), questions=tuple(questions))
