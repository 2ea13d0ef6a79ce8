"""The framework view of a run: best practices, question risks and pillar scores."""

from __future__ import annotations

from datetime import date
from enum import StrEnum

from pydantic import Field

from wa_audit.models.check import Frozen, Pillar


class BestPracticeStatus(StrEnum):
    MET = "met"
    NOT_MET = "not_met"
    NOT_APPLICABLE = "not_applicable"
    UNKNOWN = "unknown"


class AssessedBy(StrEnum):
    AUTOMATED = "automated"
    ANSWERED = "answered"
    UNASSESSED = "unassessed"


class QuestionRisk(StrEnum):
    """The WA Tool's question risk values."""

    HIGH = "HIGH"
    MEDIUM = "MEDIUM"
    NONE = "NONE"
    UNANSWERED = "UNANSWERED"
    NOT_APPLICABLE = "NOT_APPLICABLE"


class AnswerRecord(Frozen):
    status: BestPracticeStatus
    note: str = ""
    answered_on: date | None = None
    stale: bool = False


class BestPracticeResult(Frozen):
    id: str
    choice_id: str
    title: str
    risk: str = Field(description="high | medium | low: AWS's risk if not established.")
    status: BestPracticeStatus
    assessed_by: AssessedBy
    checks: tuple[str, ...] = Field(default=(), description="Checks that assessed it in this run.")
    answer: AnswerRecord | None = None
    conflict: str | None = Field(
        default=None, description="Why the recorded answer disagrees with the checks."
    )


class QuestionResult(Frozen):
    pillar: Pillar
    label: str = Field(description="'SEC 2'")
    id: str = Field(description="WA Tool QuestionId")
    title: str
    risk: QuestionRisk
    best_practices: tuple[BestPracticeResult, ...]


class Coverage(Frozen):
    automated: int
    answered: int
    unassessed: int


class PillarScore(Frozen):
    pillar: Pillar
    score: float | None = Field(description="0-100, risk-weighted share of assessed BPs met.")
    high_risks: int
    medium_risks: int
    questions: int
    coverage: Coverage


class Scores(Frozen):
    framework_version: str
    overall: float | None
    pillars: tuple[PillarScore, ...]
