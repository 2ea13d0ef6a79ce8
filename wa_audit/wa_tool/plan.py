"""From a run's question results to the UpdateAnswer calls that bring the WA Tool in line.

Per best practice: met -> selected; not met -> unselected; not applicable -> the choice marked
not applicable; unknown -> whatever the WA Tool holds, untouched (so are choices wa-audit does not
know). "None of these" is selected only where the owner answered every best practice of the
question not met; one that a reviewer selected stays unless a best practice is now met. A
question whose best practices are all not applicable is marked not applicable. Questions wa-audit
assessed nothing of are left alone. Notes keep what reviewers wrote above wa-audit's evidence
block and replace the block, within the API's length limit.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from datetime import date

from pydantic import Field

from wa_audit.models import (
    BestPracticeResult,
    BestPracticeStatus,
    Finding,
    Frozen,
    QuestionResult,
    Status,
)
from wa_audit.wa_tool.client import ChoiceState, CurrentAnswer

EVIDENCE_MARKER = "-- wa-audit evidence"
NOT_APPLICABLE_REASON = "OUT_OF_SCOPE"
NONE_PLACEHOLDER = "(None of these)"
"""Shown in a dry run for a workload not created yet, whose choice ids are not known."""
_WORDS = {
    BestPracticeStatus.MET: "met",
    BestPracticeStatus.NOT_MET: "not met",
    BestPracticeStatus.NOT_APPLICABLE: "not applicable",
    BestPracticeStatus.UNKNOWN: "not assessed",
}
_COUNTED = (Status.FAIL, Status.WARN, Status.PASS, Status.ERROR)


class Evidence(Frozen):
    """What the notes say about one run."""

    run_date: date
    account_id: str
    counts: dict[str, dict[str, int]] = Field(default_factory=dict)
    """check id -> status -> number of findings."""

    @classmethod
    def of(cls, run_date: date, account_id: str, findings: Sequence[Finding]) -> Evidence:
        counts: dict[str, Counter[str]] = defaultdict(Counter)
        for finding in findings:
            counts[finding.check_id][finding.status.value] += 1
        return cls(
            run_date=run_date,
            account_id=account_id,
            counts={check: dict(counter) for check, counter in counts.items()},
        )


class AnswerChange(Frozen):
    """What one UpdateAnswer would do; ``changed`` is False when the WA Tool already agrees."""

    question_id: str
    label: str
    title: str
    selected: tuple[str, ...]
    choice_updates: dict[str, ChoiceState]
    notes: str
    is_applicable: bool
    added: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()
    marked_not_applicable: tuple[str, ...] = ()
    kept: tuple[str, ...] = ()
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
        if not self.is_applicable:
            params["Reason"] = NOT_APPLICABLE_REASON
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


def _bp_line(bp: BestPracticeResult, evidence: Evidence) -> str:
    parts = []
    for check in bp.checks:
        counts = evidence.counts.get(check, {})
        shown = ", ".join(f"{s.value} {counts[s.value]}" for s in _COUNTED if counts.get(s.value))
        parts.append(f"{check} {shown or 'no findings'}")
    if bp.answer is not None:
        answered_on = bp.answer.answered_on.isoformat() if bp.answer.answered_on else "undated"
        parts.append(f"answered {bp.answer.status.value} on {answered_on}")
    return f"{bp.id} {_WORDS[bp.status]}" + (f": {'; '.join(parts)}" if parts else "")


def evidence_block(question: QuestionResult, evidence: Evidence, room: int) -> str:
    """The evidence lines that fit in ``room`` characters (what is cut is counted)."""
    head = f"{EVIDENCE_MARKER} (run {evidence.run_date.isoformat()}, account {evidence.account_id})"
    lines = [_bp_line(bp, evidence) for bp in question.best_practices]
    for kept in range(len(lines), -1, -1):
        tail = [] if kept == len(lines) else [f"... {len(lines) - kept} more in results.json"]
        text = "\n".join([head, *lines[:kept], *tail])
        if len(text) <= room:
            return text
    return ""


def human_notes(current: str) -> str:
    """What reviewers wrote: everything above wa-audit's evidence block."""
    return current.split(EVIDENCE_MARKER, 1)[0].rstrip()


def merged_notes(current: str, question: QuestionResult, evidence: Evidence, limit: int) -> str:
    """Reviewers' notes kept, wa-audit's block replaced by this run's, within ``limit``."""
    human = human_notes(current)[:limit]
    room = limit - (len(human) + 2 if human else 0)
    block = evidence_block(question, evidence, room)
    return "\n\n".join(part for part in (human, block) if part)


def _desired(
    question: QuestionResult, current: CurrentAnswer
) -> tuple[dict[str, str], dict[str, str]]:
    """choice id -> SELECTED | UNSELECTED | NOT_APPLICABLE, and why, for the choices we assess."""
    wanted: dict[str, str] = {}
    why: dict[str, str] = {}
    target = {
        BestPracticeStatus.MET: "SELECTED",
        BestPracticeStatus.NOT_MET: "UNSELECTED",
        BestPracticeStatus.NOT_APPLICABLE: "NOT_APPLICABLE",
    }
    for bp in question.best_practices:
        if bp.status in target:
            wanted[bp.choice_id] = target[bp.status]
            why[bp.choice_id] = f"{bp.id} {_WORDS[bp.status]}"
    none_choice = current.none_choice or NONE_PLACEHOLDER
    owner_said_none = all(
        bp.answer is not None and bp.answer.status is BestPracticeStatus.NOT_MET
        for bp in question.best_practices
    )
    if owner_said_none:
        wanted[none_choice] = "SELECTED"
        why[none_choice] = "answered: none of the best practices"
    elif "SELECTED" in wanted.values() and none_choice in current.selected:
        wanted[none_choice] = "UNSELECTED"
        why[none_choice] = "a best practice is met"
    return wanted, why


def plan_question(
    question: QuestionResult, current: CurrentAnswer, evidence: Evidence, limit: int
) -> AnswerChange | None:
    """The change for one question, or None when wa-audit assessed none of its practices."""
    statuses = {bp.status for bp in question.best_practices}
    if statuses == {BestPracticeStatus.UNKNOWN}:
        return None
    applicable = statuses != {BestPracticeStatus.NOT_APPLICABLE}
    wanted, why = _desired(question, current) if applicable else ({}, {})
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
    notes = merged_notes(current.notes, question, evidence, limit)
    return AnswerChange(
        question_id=question.id,
        label=question.label,
        title=question.title,
        selected=selected,
        choice_updates=updates,
        notes=notes,
        is_applicable=applicable,
        added=tuple(c for c in selected if c not in current.selected),
        removed=tuple(c for c in current.selected if c not in selected),
        marked_not_applicable=tuple(
            c for c, state in updates.items() if state.status == "NOT_APPLICABLE"
        ),
        kept=tuple(c for c in current.selected if c in selected and c not in wanted),
        notes_changed=notes != current.notes,
        applicability_changed=applicable != current.is_applicable,
        why=why,
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
