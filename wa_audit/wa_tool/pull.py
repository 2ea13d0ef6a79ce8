"""From the choices selected in the WA Tool to an answers file ``wa-audit run --answers`` scores.

Per question the WA Tool has answered: selected -> met, marked not applicable (or the whole
question not applicable) -> not_applicable, unselected -> not_met ("None of these" makes every
best practice not_met). Unanswered questions import nothing. Notes already in the answers file
are kept, as is an answer's date when its status did not change; other answers are dated today.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from wa_audit.answers import Answer, AnswersFile
from wa_audit.framework import Framework, QuestionDef
from wa_audit.wa_tool.client import CurrentAnswer

IMPORTED_NOTE = "imported from the AWS Well-Architected Tool"


def _statuses(question: QuestionDef, answer: CurrentAnswer) -> dict[str, str]:
    """best practice id -> met | not_met | not_applicable; empty when the question is unanswered."""
    practices = {bp.choice_id: bp.id for bp in question.best_practices}
    if not answer.is_applicable:
        return {bp_id: "not_applicable" for bp_id in practices.values()}
    none_choice = answer.none_choice
    if none_choice is not None and none_choice in answer.selected:
        return {bp_id: "not_met" for bp_id in practices.values()}
    states = {choice: answer.status_of(choice) for choice in practices}
    if set(states.values()) == {"UNSELECTED"}:
        return {}
    words = {"SELECTED": "met", "NOT_APPLICABLE": "not_applicable", "UNSELECTED": "not_met"}
    return {practices[choice]: words[state] for choice, state in states.items()}


def imported_answers(
    framework: Framework,
    answers: Sequence[CurrentAnswer],
    existing: AnswersFile | None,
    today: date,
) -> AnswersFile:
    kept = dict(existing.answers) if existing else {}
    by_question = {answer.question_id: answer for answer in answers}
    for question in framework.questions:
        answer = by_question.get(question.id)
        if answer is None:
            continue
        for bp_id, status in _statuses(question, answer).items():
            before = kept.get(bp_id)
            same = before is not None and before.status == status and before.date is not None
            kept[bp_id] = Answer.model_validate(
                {
                    "status": status,
                    "note": before.note if before and before.note else IMPORTED_NOTE,
                    "date": before.date if same and before else today,
                }
            )
    return AnswersFile(answers=kept)
