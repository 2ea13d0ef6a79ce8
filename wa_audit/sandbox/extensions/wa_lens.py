"""The Well-Architected Framework lens as the sandbox's WA Tool serves it: questions, answers, risk.

Questions, choices and risk levels come from ``questions/`` (the WA Tool ids recorded there). Each
question also offers "None of these", last, with the id AWS's lens gives it (``none_choice_id`` in
``questions/``; clients should still find it by its title, as wa-audit does).

The risk of a question is computed here from the choices alone, the way the WA Tool rates a
question, and deliberately not with wa-audit's scoring code (a test compares the two):
not applicable question -> NOT_APPLICABLE; nothing selected or marked not applicable ->
UNANSWERED; else HIGH when a high-risk best practice is neither selected nor marked not
applicable (all are missing when "None of these" is selected), MEDIUM when only medium-risk ones
are, NONE otherwise (low-risk best practices do not raise a question's risk).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from typing import Any

from wa_audit.framework import load_framework
from wa_audit.sandbox.protocol import service_model

LENS_ALIAS = "wellarchitected"
LENS_ARN = "arn:aws:wellarchitected::aws:lens/wellarchitected"
LENS_NAME = "AWS Well-Architected Framework"
NONE_TITLE = "None of these"
_SHAPES = service_model("wellarchitected").shape_for
NOTES_MAX = int(_SHAPES("Notes").metadata["max"])
CHOICE_NOTES_MAX = int(_SHAPES("ChoiceNotes").metadata["max"])
CHOICE_STATUSES = frozenset(_SHAPES("ChoiceStatus").metadata["enum"])
REASONS = frozenset(_SHAPES("AnswerReason").metadata["enum"])
ENVIRONMENTS = frozenset(_SHAPES("WorkloadEnvironment").metadata["enum"])
RISKS = ("UNANSWERED", "HIGH", "MEDIUM", "NONE", "NOT_APPLICABLE")
PILLAR_NAMES = {
    "operationalExcellence": "Operational Excellence",
    "security": "Security",
    "reliability": "Reliability",
    "performance": "Performance Efficiency",
    "costOptimization": "Cost Optimization",
    "sustainability": "Sustainability",
}


@dataclass(frozen=True)
class LensChoice:
    choice_id: str
    title: str
    risk: str | None
    """high | medium | low; None for "None of these"."""


@dataclass(frozen=True)
class LensQuestion:
    question_id: str
    pillar_id: str
    title: str
    choices: tuple[LensChoice, ...]

    @property
    def none_choice(self) -> str:
        return self.choices[-1].choice_id

    @property
    def choice_ids(self) -> frozenset[str]:
        return frozenset(c.choice_id for c in self.choices)


@dataclass
class ChoiceState:
    status: str = "UNSELECTED"
    reason: str | None = None
    notes: str | None = None


@dataclass
class AnswerState:
    choices: dict[str, ChoiceState] = field(default_factory=dict)
    notes: str = ""
    is_applicable: bool = True
    reason: str | None = None

    def selected(self) -> list[str]:
        return [c for c, s in self.choices.items() if s.status == "SELECTED"]

    def marked(self, status: str) -> set[str]:
        return {c for c, s in self.choices.items() if s.status == status}


@cache
def lens_questions() -> tuple[LensQuestion, ...]:
    questions = []
    for question in load_framework().questions:
        choices = [
            LensChoice(bp.choice_id, bp.title, bp.risk.value) for bp in question.best_practices
        ]
        choices.append(LensChoice(question.none_choice_id, NONE_TITLE, None))
        questions.append(
            LensQuestion(question.id, question.pillar.value, question.title, tuple(choices))
        )
    return tuple(questions)


def lens_version() -> str:
    return load_framework().version


def question_by_id(question_id: str) -> LensQuestion | None:
    return next((q for q in lens_questions() if q.question_id == question_id), None)


def question_risk(question: LensQuestion, answer: AnswerState) -> str:
    if not answer.is_applicable:
        return "NOT_APPLICABLE"
    selected = set(answer.selected())
    not_applicable = answer.marked("NOT_APPLICABLE")
    if not selected and not not_applicable:
        return "UNANSWERED"
    practices = [c for c in question.choices if c.risk is not None]
    if question.none_choice in selected:
        missing = {c.risk for c in practices}
    else:
        missing = {c.risk for c in practices if c.choice_id not in selected | not_applicable}
    if "high" in missing:
        return "HIGH"
    if "medium" in missing:
        return "MEDIUM"
    return "NONE"


def risk_counts(risks: list[str]) -> dict[str, int]:
    return {risk: risks.count(risk) for risk in RISKS}


def _choice_answers(question: LensQuestion, answer: AnswerState) -> list[dict[str, Any]]:
    listed = []
    for choice_id, choice in answer.choices.items():
        entry: dict[str, Any] = {"ChoiceId": choice_id, "Status": choice.status}
        if choice.reason:
            entry["Reason"] = choice.reason
        if choice.notes:
            entry["Notes"] = choice.notes
        listed.append(entry)
    return listed


def answer_body(question: LensQuestion, answer: AnswerState, summary: bool) -> dict[str, Any]:
    body: dict[str, Any] = {
        "QuestionId": question.question_id,
        "PillarId": question.pillar_id,
        "QuestionTitle": question.title,
        "Choices": [{"ChoiceId": c.choice_id, "Title": c.title} for c in question.choices],
        "SelectedChoices": answer.selected(),
        "IsApplicable": answer.is_applicable,
        "Risk": question_risk(question, answer),
    }
    choice_answers = _choice_answers(question, answer)
    if summary:
        body["ChoiceAnswerSummaries"] = [
            {k: v for k, v in entry.items() if k != "Notes"} for entry in choice_answers
        ]
        body["QuestionType"] = "NON_PRIORITIZED"
    else:
        body["ChoiceAnswers"] = choice_answers
        if answer.notes:
            body["Notes"] = answer.notes
    if answer.reason:
        body["Reason"] = answer.reason
    return body


def update_errors(question: LensQuestion, body: dict[str, Any]) -> str | None:
    updates = body.get("ChoiceUpdates") or {}
    for choice_id in [*(body.get("SelectedChoices") or []), *updates]:
        if choice_id not in question.choice_ids:
            return f"Invalid choice ID {choice_id} for question {question.question_id}."
    if len(body.get("Notes") or "") > NOTES_MAX:
        return f"Notes must be at most {NOTES_MAX} characters."
    for choice_id, update in updates.items():
        if update.get("Status") not in CHOICE_STATUSES:
            return f"ChoiceUpdates[{choice_id}].Status must be one of {sorted(CHOICE_STATUSES)}."
        if len(update.get("Notes") or "") > CHOICE_NOTES_MAX:
            return (
                f"ChoiceUpdates[{choice_id}].Notes must be at most {CHOICE_NOTES_MAX} characters."
            )
        if update.get("Reason") is not None and update["Reason"] not in REASONS:
            return f"ChoiceUpdates[{choice_id}].Reason must be one of {sorted(REASONS)}."
    if body.get("Reason") is not None and body["Reason"] not in REASONS:
        return f"Reason must be one of {sorted(REASONS)}."
    return None


def apply_update(answer: AnswerState, body: dict[str, Any]) -> None:
    """SelectedChoices replaces the selection (choices marked not applicable stay so);
    ChoiceUpdates then sets the choices it names."""
    if "SelectedChoices" in body:
        wanted = set(body["SelectedChoices"])
        for choice_id, choice in answer.choices.items():
            if choice.status == "SELECTED" and choice_id not in wanted:
                choice.status = "UNSELECTED"
        for choice_id in body["SelectedChoices"]:
            answer.choices.setdefault(choice_id, ChoiceState()).status = "SELECTED"
    for choice_id, update in (body.get("ChoiceUpdates") or {}).items():
        answer.choices[choice_id] = ChoiceState(
            update["Status"], update.get("Reason"), update.get("Notes")
        )
    if "Notes" in body:
        answer.notes = body["Notes"]
    if "IsApplicable" in body:
        answer.is_applicable = bool(body["IsApplicable"])
    if "Reason" in body:
        answer.reason = body["Reason"]
