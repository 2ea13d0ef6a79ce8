"""From the choices in the WA Tool to an answers file ``wa-audit run --answers`` scores: only what
a reviewer decided, never wa-audit's own push read back as if an owner had said it.

Per best practice of an answered question: selected -> met; marked not applicable (or the whole
question, by a reviewer) -> not_applicable; unselected -> not_met only where a reviewer said so,
by selecting "None of these" or by unselecting a choice wa-audit had selected; otherwise an
unselected choice imports nothing (nobody answered it). Skipped: what equals the state wa-audit's
evidence block recorded at the last push (its own output), and best practices that checks assess
(their answer would stand against the checks in every later run) unless ``include_checked``. A
not_met never replaces an answer the file already has: it is kept and reported. Notes in the file
are kept, as is an answer's date when its status did not change; other answers are dated today.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import date

from wa_audit.answers import Answer, AnswersFile
from wa_audit.framework import Framework, QuestionDef
from wa_audit.models import BestPracticeStatus, Frozen
from wa_audit.wa_tool.client import CurrentAnswer
from wa_audit.wa_tool.evidence import recorded

IMPORTED_NOTE = "imported from the AWS Well-Architected Tool"
MET, NOT_MET, NOT_APPLICABLE = (
    BestPracticeStatus.MET,
    BestPracticeStatus.NOT_MET,
    BestPracticeStatus.NOT_APPLICABLE,
)


class Pulled(Frozen):
    answers: AnswersFile
    imported: tuple[str, ...] = ()
    """Best practices whose answer came from the WA Tool in this pull."""
    kept: tuple[str, ...] = ()
    """Best practices a reviewer left unselected whose answer in the file was kept."""


def _decisions(question: QuestionDef, answer: CurrentAnswer) -> dict[str, BestPracticeStatus]:
    """best practice id -> what a reviewer decided, wa-audit's recorded output left out."""
    past = recorded(answer.notes)
    bp_ids = [bp.id for bp in question.best_practices]
    if not answer.is_applicable:
        if past.marked_question_not_applicable(bp_ids):
            return {}
        return {bp_id: NOT_APPLICABLE for bp_id in bp_ids}
    none_choice = answer.none_choice
    reviewer_none = none_choice in answer.selected and not past.none_selected
    decided: dict[str, BestPracticeStatus] = {}
    for bp in question.best_practices:
        status = _decision(answer.status_of(bp.choice_id), past.states.get(bp.id), reviewer_none)
        if status is not None and status is not past.states.get(bp.id):
            decided[bp.id] = status
    return decided


def _decision(
    state: str, pushed: BestPracticeStatus | None, reviewer_none: bool
) -> BestPracticeStatus | None:
    if state == "SELECTED":
        return MET
    if state == "NOT_APPLICABLE":
        return NOT_APPLICABLE
    return NOT_MET if reviewer_none or pushed is MET else None


def imported_answers(
    framework: Framework,
    answers: Sequence[CurrentAnswer],
    existing: AnswersFile | None,
    today: date,
    checked: Collection[str] = (),
) -> Pulled:
    """``checked``: best practices to leave out (those checks assess; empty to import them)."""
    kept = dict(existing.answers) if existing else {}
    imported: list[str] = []
    refused: list[str] = []
    by_question = {answer.question_id: answer for answer in answers}
    for question in framework.questions:
        answer = by_question.get(question.id)
        if answer is None:
            continue
        for bp_id, status in _decisions(question, answer).items():
            if bp_id in checked:
                continue
            before = kept.get(bp_id)
            if status is NOT_MET and before is not None and before.answered:
                if before.status != NOT_MET.value:
                    refused.append(bp_id)
                continue
            same = before is not None and before.status == status.value and before.date is not None
            kept[bp_id] = Answer.model_validate(
                {
                    "status": status.value,
                    "note": before.note if before and before.note else IMPORTED_NOTE,
                    "date": before.date if same and before else today,
                }
            )
            imported.append(bp_id)
    return Pulled(answers=AnswersFile(answers=kept), imported=tuple(imported), kept=tuple(refused))
