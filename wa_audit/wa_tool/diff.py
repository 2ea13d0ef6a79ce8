"""The per-question diff ``wa-audit wa-tool push`` shows before it writes anything.

Choice titles and notes come from the WA Tool (anyone with access can write them): control
characters are shown escaped, so a title cannot move the cursor or recolour the terminal.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from wa_audit.text import plural
from wa_audit.wa_tool.client import printable
from wa_audit.wa_tool.plan import AnswerChange


def _choice(change: AnswerChange, choice_id: str, titles: Mapping[str, str]) -> str:
    title = titles.get(choice_id)
    reason = change.why.get(choice_id, "not assessed by wa-audit")
    shown = f"{printable(choice_id)} ({printable(title)})" if title else printable(choice_id)
    return f"{shown}  [{reason}]"


def change_text(change: AnswerChange, titles: Mapping[str, str]) -> list[str]:
    lines = [f"{change.label} {printable(change.question_id)}: {printable(change.title)}"]
    if change.kept_question_not_applicable:
        lines.append("  = kept question not applicable (a reviewer's decision)")
    if change.applicability_changed:
        lines.append("  ~ question " + ("applicable" if change.is_applicable else "not applicable"))
    lines += [f"  + {_choice(change, c, titles)}" for c in change.added]
    lines += [f"  - {_choice(change, c, titles)}" for c in change.removed]
    lines += [
        f"  ~ not applicable: {_choice(change, c, titles)}" for c in change.marked_not_applicable
    ]
    restored = [
        c
        for c, s in change.choice_updates.items()
        if s.status != "NOT_APPLICABLE" and c not in change.added
    ]
    lines += [f"  ~ applicable again, unselected: {_choice(change, c, titles)}" for c in restored]
    lines += [f"  = kept {_choice(change, c, titles)}" for c in change.kept]
    lines += [
        f"  = kept not applicable: {_choice(change, c, titles)}" for c in change.kept_not_applicable
    ]
    if change.notes_changed:
        lines.append(f"  ~ notes: wa-audit evidence updated ({len(change.notes)} characters)")
    return lines


def diff_text(changes: Sequence[AnswerChange], titles: Mapping[str, Mapping[str, str]]) -> str:
    """``titles``: question id -> choice id -> title, from the WA Tool."""
    if not changes:
        return "The Well-Architected Tool already matches this run: nothing to change."
    lines: list[str] = []
    for change in changes:
        lines += change_text(change, titles.get(change.question_id, {}))
    lines.append(f"{plural(len(changes), 'question')} to update.")
    return "\n".join(lines)


def risk_counts_text(label: str, counts: Mapping[str, int]) -> str:
    order = ("HIGH", "MEDIUM", "NONE", "UNANSWERED", "NOT_APPLICABLE")
    return f"{label}: " + ", ".join(f"{risk} {counts.get(risk, 0)}" for risk in order)
