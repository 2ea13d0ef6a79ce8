"""The framework view of a run: best practices, question risks and pillar scores."""

from __future__ import annotations

from datetime import date
from enum import StrEnum

from pydantic import Field

from wa_audit.models.check import Frozen, Pillar

SCORE_RULE = (
    "Each best practice scores the share of its checked resources that pass, weighted by "
    "severity (a warning counts half); a pillar averages its best practices, weighted by AWS "
    "risk (high 3, medium 2, low 1)."
)


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
    score: float | None = Field(
        default=None,
        description="0-100: the severity-weighted share of its checked resources that pass "
        "(a WARN counts half); 100 or 0 when only an answer assesses it; null when unassessed "
        "or not applicable.",
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
    score: float | None = Field(
        description="0-100: the mean of its best practices' graded scores, weighted by AWS risk "
        "(high 3, medium 2, low 1); null when none is assessed."
    )
    high_risks: int
    medium_risks: int
    questions: int
    coverage: Coverage


class Scores(Frozen):
    framework_version: str
    overall: float | None = Field(description="The pillar rule over every best practice.")
    pillars: tuple[PillarScore, ...]
