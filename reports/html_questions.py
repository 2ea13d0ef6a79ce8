"""The questions as the scorecard shows them: the WA Tool's risk, never greener than the facts.

The WA Tool rates a question NONE when no high- or medium-risk best practice is unmet, even if a
low-risk one is, or if most of its best practices were never assessed. A green "No risk" badge
there would read as "all is well"; the badge says what is known instead, and the count of
high-risk best practices nobody assessed stays in sight.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from wa_audit.models import BestPracticeStatus, Pillar, QuestionResult, QuestionRisk

RISK_LABEL = {
    QuestionRisk.HIGH: "High risk",
    QuestionRisk.MEDIUM: "Medium risk",
    QuestionRisk.NONE: "No risk",
    QuestionRisk.UNANSWERED: "Unanswered",
    QuestionRisk.NOT_APPLICABLE: "Not applicable",
}
LOW_RISK = ("LOW", "Low risk")  # NONE with an unmet low-risk best practice
PARTLY_KNOWN = ("PARTIAL", "No risk found")  # NONE with best practices nobody assessed


@dataclass(frozen=True)
class QuestionView:
    question: QuestionResult
    badge_class: str
    badge: str
    met: int
    not_met: int
    unknown_high: int

    @property
    def anchor(self) -> str:
        return "q-" + self.question.label.replace(" ", "-").lower()


@dataclass(frozen=True)
class QuestionGroup:
    pillar: Pillar
    questions: tuple[QuestionView, ...]
    badges: tuple[tuple[str, str, int], ...]  # (class, label, count), in the order of BADGES


BADGES = (
    ("HIGH", RISK_LABEL[QuestionRisk.HIGH]),
    ("MEDIUM", RISK_LABEL[QuestionRisk.MEDIUM]),
    LOW_RISK,
    PARTLY_KNOWN,
    ("NONE", RISK_LABEL[QuestionRisk.NONE]),
    ("UNANSWERED", RISK_LABEL[QuestionRisk.UNANSWERED]),
    ("NOT_APPLICABLE", RISK_LABEL[QuestionRisk.NOT_APPLICABLE]),
)


def question_view(question: QuestionResult) -> QuestionView:
    statuses = [bp.status for bp in question.best_practices]
    not_met = statuses.count(BestPracticeStatus.NOT_MET)
    unknown = statuses.count(BestPracticeStatus.UNKNOWN)
    badge_class, badge = question.risk.value, RISK_LABEL[question.risk]
    if question.risk is QuestionRisk.NONE and not_met:
        badge_class, badge = LOW_RISK
    elif question.risk is QuestionRisk.NONE and unknown:
        badge_class, badge = PARTLY_KNOWN
    return QuestionView(
        question=question,
        badge_class=badge_class,
        badge=badge,
        met=statuses.count(BestPracticeStatus.MET),
        not_met=not_met,
        unknown_high=sum(
            1
            for bp in question.best_practices
            if bp.status is BestPracticeStatus.UNKNOWN and bp.risk == "high"
        ),
    )


def question_groups(questions: Sequence[QuestionResult]) -> tuple[QuestionGroup, ...]:
    groups = []
    for pillar in Pillar:
        mine = tuple(question_view(q) for q in questions if q.pillar is pillar)
        if mine:
            counts = Counter(view.badge_class for view in mine)
            badges = tuple((cls, label, counts[cls]) for cls, label in BADGES if counts[cls])
            groups.append(QuestionGroup(pillar, mine, badges))
    return tuple(groups)
