"""From a run's question results to the UpdateAnswer calls that bring the WA Tool in line.

Per best practice: met -> selected; not met -> unselected; not applicable -> the choice marked
not applicable; unknown -> whatever the WA Tool holds, untouched (so are choices wa-audit does not
know). A choice or a question a reviewer marked not applicable stays so (wa-audit withdraws only
the marks its own evidence block records). "None of these" is selected only where the owner
answered every best practice of the question not met; wa-audit withdraws its own once the answers
say otherwise, and a reviewer's only when a best practice is now met. A question whose best
practices are all not applicable is marked not applicable. Questions wa-audit assessed nothing of
are left alone. Notes keep what reviewers wrote around wa-audit's evidence block
(:mod:`evidence`), within the API's length limit.
"""

from __future__ import annotations

from collections.abc import Sequence

from pydantic import Field

from wa_audit.errors import UsageError
from wa_audit.models import BestPracticeStatus, Frozen, QuestionResult
from wa_audit.wa_tool.client import ChoiceState, CurrentAnswer
from wa_audit.wa_tool.evidence import WORDS, Evidence, Recorded, merged_notes, recorded

NOT_APPLICABLE_REASON = "OUT_OF_SCOPE"
NONE_PLACEHOLDER = "(None of these)"
"""Shown in a dry run for a workload not created yet, whose choice ids are not known."""
_TARGET = {
    BestPracticeStatus.MET: "SELECTED",
    BestPracticeStatus.NOT_MET: "UNSELECTED",
    BestPracticeStatus.NOT_APPLICABLE: "NOT_APPLICABLE",
}


class LensMismatchError(UsageError):
    """The workload's lens lacks a choice wa-audit would set: its lens version is not the one
    ``questions/`` describes. Raised before anything is written."""

    def __init__(self, question_id: str, choice_ids: Sequence[str]) -> None:
        self.question_id = question_id
        self.choice_ids = tuple(choice_ids)
        super().__init__(f"question {question_id} has no choice {', '.join(choice_ids)}")


class AnswerChange(Frozen):
    """What one UpdateAnswer would do; ``changed`` is False when the WA Tool already agrees."""

    question_id: str
    label: str
    title: str
    selected: tuple[str, ...]
    choice_updates: dict[str, ChoiceState]
    notes: str
    is_applicable: bool
    reason: str | None = None
    """The question's not-applicable reason (a reviewer's stays theirs)."""
    added: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()
    marked_not_applicable: tuple[str, ...] = ()
    kept: tuple[str, ...] = ()
    kept_not_applicable: tuple[str, ...] = ()
    """Choices a reviewer marked not applicable that this run would otherwise set."""
    kept_question_not_applicable: bool = False
    notes_changed: bool = False
    applicability_changed: bool = False
    why: dict[str, str] = Field(default_factory=dict)
    """choice id -> the best practice and its status, for the diff."""

    @property
    def changed(self) -> bool:
        return bool(
            self.added
            or self.removed
            or self.choice_updates
            or self.notes_changed
            or self.applicability_changed
        )

    def request(self) -> dict[str, object]:
        """The UpdateAnswer parameters (besides workload, lens and question)."""
        params: dict[str, object] = {
            "SelectedChoices": list(self.selected),
            "Notes": self.notes,
            "IsApplicable": self.is_applicable,
        }
        if not self.is_applicable and self.reason is not None:
            params["Reason"] = self.reason
        if self.choice_updates:
            params["ChoiceUpdates"] = {
                choice: {
                    key: value
                    for key, value in (
                        ("Status", s.status),
                        ("Reason", s.reason),
                        ("Notes", s.notes),
                    )
                    if value is not None
                }
                for choice, s in self.choice_updates.items()
            }
        return params


class _Desired(Frozen):
    wanted: dict[str, str] = Field(default_factory=dict)
    """choice id -> SELECTED | UNSELECTED | NOT_APPLICABLE, for the choices wa-audit sets."""
    why: dict[str, str] = Field(default_factory=dict)
    kept_not_applicable: tuple[str, ...] = ()
    none_selected: bool = False
    """wa-audit selects "None of these" (recorded in the evidence block)."""


def _desired(question: QuestionResult, current: CurrentAnswer, past: Recorded) -> _Desired:
    wanted: dict[str, str] = {}
    why: dict[str, str] = {}
    kept_na: list[str] = []
    for bp in question.best_practices:
        if bp.status not in _TARGET:
            continue
        why[bp.choice_id] = f"{bp.id} {WORDS[bp.status]}"
        reviewers_mark = (
            current.status_of(bp.choice_id) == "NOT_APPLICABLE"
            and bp.status is not BestPracticeStatus.NOT_APPLICABLE
            and past.states.get(bp.id) is not BestPracticeStatus.NOT_APPLICABLE
        )
        if reviewers_mark:
            kept_na.append(bp.choice_id)
            why[bp.choice_id] += "; a reviewer marked it not applicable"
            continue
        wanted[bp.choice_id] = _TARGET[bp.status]
    none_choice = current.none_choice or NONE_PLACEHOLDER
    owner_said_none = all(
        bp.answer is not None and bp.answer.status is BestPracticeStatus.NOT_MET
        for bp in question.best_practices
    )
    already = none_choice in current.selected
    if owner_said_none:
        wanted[none_choice] = "SELECTED"
        why[none_choice] = "answered: none of the best practices"
    elif already and "SELECTED" in wanted.values():
        wanted[none_choice] = "UNSELECTED"
        why[none_choice] = "a best practice is met"
    elif already and past.none_selected:
        wanted[none_choice] = "UNSELECTED"
        why[none_choice] = "wa-audit selected it; the answers no longer all say not met"
    return _Desired(
        wanted=wanted,
        why=why,
        kept_not_applicable=tuple(kept_na),
        # A reviewer's own "None of these" stays theirs, even when the answers now agree.
        none_selected=owner_said_none and (not already or past.none_selected),
    )


def _check_lens(question: QuestionResult, current: CurrentAnswer, wanted: dict[str, str]) -> None:
    """Refuse, before anything is written, a choice the workload's lens does not have."""
    if not current.choice_titles:
        return  # a workload not created yet: nothing to compare with
    missing = [choice for choice in wanted if choice not in current.choice_titles]
    if missing:
        raise LensMismatchError(question.id, missing)


def plan_question(
    question: QuestionResult, current: CurrentAnswer, evidence: Evidence, limit: int
) -> AnswerChange | None:
    """The change for one question, or None when wa-audit assessed none of its practices."""
    statuses = {bp.status for bp in question.best_practices}
    if statuses == {BestPracticeStatus.UNKNOWN}:
        return None
    past = recorded(current.notes)
    ours = past.marked_question_not_applicable([bp.id for bp in question.best_practices])
    reviewers_question_na = not current.is_applicable and not ours
    applicable = statuses != {BestPracticeStatus.NOT_APPLICABLE} and not reviewers_question_na
    desired = _desired(question, current, past) if applicable else _Desired()
    wanted = desired.wanted
    _check_lens(question, current, wanted)
    order = [*current.choice_titles, *(c for c in wanted if c not in current.choice_titles)]
    final = {c: wanted.get(c, current.status_of(c)) for c in order}
    selected = tuple(c for c in order if final[c] == "SELECTED")
    updates = {
        c: ChoiceState(status="NOT_APPLICABLE", reason=NOT_APPLICABLE_REASON)
        if final[c] == "NOT_APPLICABLE"
        else ChoiceState(status=final[c])
        for c in wanted
        if final[c] != current.status_of(c) and "NOT_APPLICABLE" in (final[c], current.status_of(c))
    }
    notes = merged_notes(
        current.notes, question, evidence, limit, none_selected=desired.none_selected
    )
    return AnswerChange(
        question_id=question.id,
        label=question.label,
        title=question.title,
        selected=selected,
        choice_updates=updates,
        notes=notes,
        is_applicable=applicable,
        reason=current.reason if reviewers_question_na else NOT_APPLICABLE_REASON,
        added=tuple(c for c in selected if c not in current.selected),
        removed=tuple(c for c in current.selected if c not in selected),
        marked_not_applicable=tuple(
            c for c, state in updates.items() if state.status == "NOT_APPLICABLE"
        ),
        kept=tuple(c for c in current.selected if c in selected and c not in wanted),
        kept_not_applicable=desired.kept_not_applicable,
        kept_question_not_applicable=reviewers_question_na,
        notes_changed=notes != current.notes,
        applicability_changed=applicable != current.is_applicable,
        why=desired.why,
    )


def plan_push(
    questions: Sequence[QuestionResult],
    current: dict[str, CurrentAnswer],
    evidence: Evidence,
    limit: int,
) -> list[AnswerChange]:
    """The changes that are needed, in framework order."""
    blank = {q.id: CurrentAnswer(question_id=q.id, choice_titles={}) for q in questions}
    planned = (plan_question(q, current.get(q.id, blank[q.id]), evidence, limit) for q in questions)
    return [change for change in planned if change is not None and change.changed]
