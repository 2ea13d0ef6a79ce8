"""The steps of ``wa-audit wa-tool push`` once its options are checked: what the WA Tool holds,
the plan, the refusals that must come before any write, the writes, and the risk counts after.

Everything that can be refused is refused before the first write (an unknown workload, a
milestone name already used, a choice the workload's lens lacks). A refusal part-way (AWS
refuses a later UpdateAnswer) is exit 3, naming what was written: it stays written.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from wa_audit.errors import UsageError, WaAuditError
from wa_audit.framework import load_framework
from wa_audit.models import BestPracticeStatus, Frozen, QuestionResult
from wa_audit.pipes import echo
from wa_audit.text import plural
from wa_audit.wa_tool.client import (
    CurrentAnswer,
    WaToolClient,
    WaToolError,
    Workload,
    notes_limit,
    printable,
)
from wa_audit.wa_tool.diff import risk_counts_text
from wa_audit.wa_tool.evidence import Evidence
from wa_audit.wa_tool.plan import AnswerChange, LensMismatchError, plan_push


class NewWorkload(Frozen):
    """CreateWorkload's parameters (the review owner is looked up when it is created)."""

    name: str
    environment: str
    regions: tuple[str, ...]
    review_owner: str | None
    description: str


def fetch_current(
    client: WaToolClient, workload: Workload | None, questions: Sequence[QuestionResult]
) -> dict[str, CurrentAnswer]:
    """The WA Tool's answers to the questions wa-audit assessed something of (the rest stay)."""
    if workload is None:
        return {}
    assessed = [
        q
        for q in questions
        if any(bp.status is not BestPracticeStatus.UNKNOWN for bp in q.best_practices)
    ]
    return {q.id: client.answer(workload.workload_id, q.id) for q in assessed}


def planned(
    client: WaToolClient,
    workload: Workload | None,
    questions: Sequence[QuestionResult],
    evidence: Evidence,
) -> tuple[dict[str, CurrentAnswer], list[AnswerChange]]:
    """What the WA Tool holds and the changes; a lens the run's choices do not fit is refused,
    naming both lens versions."""
    current = fetch_current(client, workload, questions)
    try:
        return current, plan_push(questions, current, evidence, notes_limit())
    except LensMismatchError as mismatch:
        assert workload is not None  # only a workload's own choices can lack one
        raise UsageError(
            f"the workload's lens (wellarchitected, version "
            f"{printable(client.lens_version(workload.workload_id))}) has no choice "
            f"{', '.join(mismatch.choice_ids)} in question {mismatch.question_id}; this run "
            f"follows the Well-Architected Framework {load_framework().version}: upgrade the "
            "workload's lens in the WA Tool first. Nothing written."
        ) from mismatch


def refuse_used_milestone(client: WaToolClient, workload: Workload, milestone: str) -> None:
    """A milestone name must be new in its workload (CreateMilestone's ConflictException):
    checked before anything is written, not after the answers are."""
    if milestone in client.milestone_names(workload.workload_id):
        raise UsageError(
            f"workload {printable(workload.name)!r} already has a milestone named "
            f"{printable(milestone)!r}: choose another --milestone. Nothing written."
        )


def compare_risks(theirs: dict[str, int], questions: Sequence[QuestionResult]) -> None:
    risks = [q.risk.value for q in questions]
    ours = {risk: risks.count(risk) for risk in set(risks)}
    echo(risk_counts_text("Well-Architected Tool risk", theirs))
    echo(risk_counts_text("wa-audit risk", ours))
    if {k: v for k, v in theirs.items() if v} != ours:
        echo(
            "They differ where wa-audit could not assess every best practice of a question (the "
            "WA Tool counts those as missing) or found only failures with no answer saying "
            "'none of these' (the WA Tool leaves the question unanswered): "
            "'wa-audit answers init' lists what to answer."
        )


class _Done:
    """What one push has written so far, to name in a refusal part-way."""

    def __init__(self) -> None:
        self.created: Workload | None = None
        self.answered: list[AnswerChange] = []

    def __bool__(self) -> bool:
        return self.created is not None or bool(self.answered)

    def describe(self) -> str:
        parts = [f"created workload {printable(self.created.name)!r}"] if self.created else []
        if self.answered:
            shown = ", ".join(f"{c.label} ({printable(c.question_id)})" for c in self.answered)
            parts.append(f"updated {plural(len(self.answered), 'question')}: {shown}")
        return "; ".join(parts)


def write(
    client: WaToolClient,
    workload: Workload | None,
    new: NewWorkload,
    changes: Sequence[AnswerChange],
    replan: Callable[[Workload], Sequence[AnswerChange]],
    milestone: str | None,
    questions: Sequence[QuestionResult],
) -> Workload:
    """Create the workload if needed (then plan again on its real choices), update the answers,
    save the milestone. Once something is written, a refusal is a WaToolError (exit 3) that
    names it, after the WA Tool's risk counts as they now stand."""
    done = _Done()
    try:
        if workload is None:
            owner = new.review_owner or client.caller_arn()
            workload = client.create_workload(
                new.name, new.environment, list(new.regions), owner, new.description
            )
            done.created = workload
            echo(f"Created workload {printable(workload.name)!r}: {workload.arn}")
            changes = replan(workload)
        for change in changes:
            client.update_answer(workload.workload_id, change.question_id, **change.request())
            done.answered.append(change)
            echo(f"Updated {change.label} ({printable(change.question_id)})")
        if milestone is not None:
            number = client.create_milestone(workload.workload_id, milestone)
            echo(f"Saved milestone {number} {printable(milestone)!r}")
    except WaAuditError as error:
        if not done or workload is None:
            raise
        _risks_if_readable(client, workload, questions)
        raise WaToolError(
            f"{str(error).rstrip('.')}. Already written, and left so: {done.describe()}; "
            "run the same push again to finish"
        ) from error
    return workload


def _risks_if_readable(
    client: WaToolClient, workload: Workload, questions: Sequence[QuestionResult]
) -> None:
    try:
        compare_risks(client.risk_counts(workload.workload_id), questions)
    except WaAuditError as error:
        echo(f"(The WA Tool's risk counts could not be read: {error})")
