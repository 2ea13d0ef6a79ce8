"""wa-audit's evidence block in a question's WA Tool notes: written by push, read back by push and
pull.

The block sits between a start line (``-- wa-audit evidence (run ..., account ...)``) and an end
line, so reviewers can write above and below it and a push replaces only what lies between (a
block from before the end line existed runs to the end of the notes). Besides the evidence (check
ids, FAIL/WARN/PASS counts, answers and their dates) it records, per best practice, the state
wa-audit wrote (``SEC01-BP02 not met``) and whether wa-audit selected "None of these": that record
is how pull tells a reviewer's decision from wa-audit's own output, and how push knows which
"None of these" and which not-applicable marks are its own to withdraw. When room is short the
details go first, the per-practice states last.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from datetime import date

from pydantic import Field

from wa_audit.models import BestPracticeResult, BestPracticeStatus, Finding, Frozen, QuestionResult
from wa_audit.models import Status as FindingStatus

EVIDENCE_MARKER = "-- wa-audit evidence"
EVIDENCE_END = "-- end of wa-audit evidence --"
NONE_BY_WA_AUDIT = "None of these: selected by wa-audit (answers say no best practice is met)"
WORDS = {
    BestPracticeStatus.MET: "met",
    BestPracticeStatus.NOT_MET: "not met",
    BestPracticeStatus.NOT_APPLICABLE: "not applicable",
    BestPracticeStatus.UNKNOWN: "not assessed",
}
_STATE_LINE = re.compile(
    r"^(?P<bp>[A-Z]+\d{2}-BP\d{2}) (?P<word>met|not met|not applicable|not assessed)(?::|$)"
)
_BY_WORD = {word: status for status, word in WORDS.items()}
_COUNTED = (FindingStatus.FAIL, FindingStatus.WARN, FindingStatus.PASS, FindingStatus.ERROR)


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


class Recorded(Frozen):
    """What the evidence block of the last push says wa-audit wrote (empty: no block)."""

    states: dict[str, BestPracticeStatus] = Field(default_factory=dict)
    """best practice id -> the status wa-audit pushed for it."""
    none_selected: bool = False
    """wa-audit selected "None of these" (not a reviewer)."""

    def marked_question_not_applicable(self, bp_ids: Sequence[str]) -> bool:
        """wa-audit marked the whole question not applicable: it does exactly when every best
        practice of the question is not applicable."""
        return bool(bp_ids) and all(
            self.states.get(bp) is BestPracticeStatus.NOT_APPLICABLE for bp in bp_ids
        )


class NotesParts(Frozen):
    before: str
    block: str
    after: str


def split_notes(notes: str) -> NotesParts:
    """Reviewers' text above the block, the block, reviewers' text below it."""
    start = notes.find(EVIDENCE_MARKER)
    if start < 0:
        return NotesParts(before=notes.rstrip(), block="", after="")
    end = notes.find(EVIDENCE_END, start)
    stop = len(notes) if end < 0 else end + len(EVIDENCE_END)
    return NotesParts(
        before=notes[:start].rstrip(), block=notes[start:stop], after=notes[stop:].strip()
    )


def recorded(notes: str) -> Recorded:
    states: dict[str, BestPracticeStatus] = {}
    none_selected = False
    for line in split_notes(notes).block.splitlines():
        if line == NONE_BY_WA_AUDIT:
            none_selected = True
        elif (match := _STATE_LINE.match(line)) is not None:
            states[match["bp"]] = _BY_WORD[match["word"]]
    return Recorded(states=states, none_selected=none_selected)


def _bp_line(bp: BestPracticeResult, evidence: Evidence) -> str:
    parts = []
    for check in bp.checks:
        counts = evidence.counts.get(check, {})
        shown = ", ".join(f"{s.value} {counts[s.value]}" for s in _COUNTED if counts.get(s.value))
        parts.append(f"{check} {shown or 'no findings'}")
    if bp.answer is not None:
        answered_on = bp.answer.answered_on.isoformat() if bp.answer.answered_on else "undated"
        parts.append(f"answered {bp.answer.status.value} on {answered_on}")
    return f"{bp.id} {WORDS[bp.status]}" + (f": {'; '.join(parts)}" if parts else "")


def evidence_block(
    question: QuestionResult, evidence: Evidence, room: int, *, none_selected: bool = False
) -> str:
    """The block that fits in ``room`` characters: details dropped from the last practice up,
    then whole practices (counted), so the states survive as long as they can."""
    head = f"{EVIDENCE_MARKER} (run {evidence.run_date.isoformat()}, account {evidence.account_id})"
    tail = [NONE_BY_WA_AUDIT] if none_selected else []
    full = [_bp_line(bp, evidence) for bp in question.best_practices]
    short = [f"{bp.id} {WORDS[bp.status]}" for bp in question.best_practices]
    candidates = [[*full[:detailed], *short[detailed:]] for detailed in range(len(full), -1, -1)]
    candidates += [
        [*short[:kept], f"... {len(short) - kept} more in results.json"]
        for kept in range(len(short) - 1, -1, -1)
    ]
    for lines in candidates:
        text = "\n".join([head, *lines, *tail, EVIDENCE_END])
        if len(text) <= room:
            return text
    return ""


def merged_notes(
    current: str,
    question: QuestionResult,
    evidence: Evidence,
    limit: int,
    *,
    none_selected: bool = False,
) -> str:
    """Reviewers' text above and below kept, wa-audit's block replaced by this run's, within
    ``limit`` (reviewers' text first: the block shrinks, or goes, to make room)."""
    parts = split_notes(current)
    before = parts.before[:limit]
    after = parts.after[: max(0, limit - len(before) - 2)]
    room = limit - sum(len(text) + 2 for text in (before, after) if text)
    block = evidence_block(question, evidence, room, none_selected=none_selected)
    return "\n\n".join(text for text in (before, block, after) if text)
