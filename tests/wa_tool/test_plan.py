"""The push plan and the pull mapping, on answers built in the test (no AWS)."""

from __future__ import annotations

from datetime import date

import pytest

from wa_audit.answers import Answer, AnswersFile
from wa_audit.framework import load_framework
from wa_audit.models import (
    AnswerRecord,
    AssessedBy,
    BestPracticeResult,
    BestPracticeStatus,
    QuestionResult,
    QuestionRisk,
)
from wa_audit.wa_tool.client import ChoiceState, CurrentAnswer
from wa_audit.wa_tool.diff import diff_text
from wa_audit.wa_tool.evidence import (
    EVIDENCE_END,
    EVIDENCE_MARKER,
    NONE_BY_WA_AUDIT,
    Evidence,
    merged_notes,
    recorded,
)
from wa_audit.wa_tool.plan import LensMismatchError, plan_question
from wa_audit.wa_tool.pull import IMPORTED_NOTE, imported_answers

FRAMEWORK = load_framework()
SEC3 = next(q for q in FRAMEWORK.questions if q.label == "SEC 3")
NONE = "sec_permissions_no"
RUN = date(2026, 11, 30)
MET, NOT_MET, NA, UNKNOWN = (
    BestPracticeStatus.MET,
    BestPracticeStatus.NOT_MET,
    BestPracticeStatus.NOT_APPLICABLE,
    BestPracticeStatus.UNKNOWN,
)


def question(*statuses: BestPracticeStatus, answered: bool = False) -> QuestionResult:
    results = []
    for bp, status in zip(SEC3.best_practices, statuses, strict=True):
        record = (
            AnswerRecord(status=status, answered_on=RUN)
            if answered and status is not UNKNOWN
            else None
        )
        results.append(
            BestPracticeResult(
                id=bp.id,
                choice_id=bp.choice_id,
                title=bp.title,
                risk=bp.risk.value,
                status=status,
                assessed_by=AssessedBy.ANSWERED if record else AssessedBy.AUTOMATED,
                checks=() if record else ("sec.some-check",),
                answer=record,
            )
        )
    return QuestionResult(
        pillar=SEC3.pillar,
        label=SEC3.label,
        id=SEC3.id,
        title=SEC3.title,
        risk=QuestionRisk.HIGH,
        best_practices=tuple(results),
    )


def current(selected=(), notes="", choices=None, applicable=True) -> CurrentAnswer:
    titles = {bp.choice_id: bp.title for bp in SEC3.best_practices} | {NONE: "None of these"}
    return CurrentAnswer(
        question_id=SEC3.id,
        choice_titles=titles,
        selected=tuple(selected),
        notes=notes,
        choices=choices or {},
        is_applicable=applicable,
    )


EVIDENCE = Evidence(
    run_date=RUN, account_id="123456789012", counts={"sec.some-check": {"FAIL": 2, "PASS": 5}}
)
IDS = [bp.choice_id for bp in SEC3.best_practices]
N = len(IDS)


def test_met_selected_failed_unselected_unknown_kept():
    statuses = (MET, NOT_MET, UNKNOWN, *([UNKNOWN] * (N - 3)))
    change = plan_question(question(*statuses), current(selected=[IDS[1], IDS[2]]), EVIDENCE, 2084)
    assert change.selected == (IDS[0], IDS[2])
    assert change.added == (IDS[0],)
    assert change.removed == (IDS[1],)
    assert change.kept == (IDS[2],)
    assert change.request()["SelectedChoices"] == [IDS[0], IDS[2]]
    assert f"{SEC3.best_practices[1].id} not met: sec.some-check FAIL 2, PASS 5" in change.notes


def test_not_applicable_choices_and_whole_question():
    statuses = (MET, NA, *([UNKNOWN] * (N - 2)))
    change = plan_question(question(*statuses), current(), EVIDENCE, 2084)
    assert change.request()["ChoiceUpdates"] == {
        IDS[1]: {"Status": "NOT_APPLICABLE", "Reason": "OUT_OF_SCOPE"}
    }
    whole = plan_question(question(*([NA] * N)), current(selected=[IDS[0]]), EVIDENCE, 2084)
    assert whole.request()["IsApplicable"] is False
    assert whole.request()["Reason"] == "OUT_OF_SCOPE"
    assert whole.selected == (IDS[0],)  # left as reviewers had it
    # wa-audit's own marks (its evidence block says so) are withdrawn when the run disagrees
    ours = merged_notes("", question(*([NA] * N)), EVIDENCE, 2084)
    back = plan_question(
        question(MET, *([UNKNOWN] * (N - 1))),
        current(
            choices={IDS[0]: ChoiceState(status="NOT_APPLICABLE")}, applicable=False, notes=ours
        ),
        EVIDENCE,
        2084,
    )
    assert back.applicability_changed
    assert back.request()["ChoiceUpdates"] == {IDS[0]: {"Status": "SELECTED"}}


def test_a_reviewers_not_applicable_is_never_overridden():
    """No evidence block records the mark as wa-audit's: a reviewer made it, and it stays."""
    marked = {IDS[0]: ChoiceState(status="NOT_APPLICABLE", reason="BUSINESS_PRIORITIES")}
    change = plan_question(
        question(MET, NOT_MET, *([UNKNOWN] * (N - 2))), current(choices=marked), EVIDENCE, 2084
    )
    assert change.selected == ()
    assert "ChoiceUpdates" not in change.request()
    assert change.kept_not_applicable == (IDS[0],)
    text = diff_text([change], {})
    assert f"= kept not applicable: {IDS[0]}  [{SEC3.best_practices[0].id} met; a reviewer" in text

    whole = plan_question(
        question(MET, *([UNKNOWN] * (N - 1))),
        current(selected=[IDS[1]], applicable=False),
        EVIDENCE,
        2084,
    )
    assert whole.kept_question_not_applicable
    assert not whole.applicability_changed
    assert whole.request()["IsApplicable"] is False
    assert "Reason" not in whole.request()  # the reviewer's reason is not replaced
    assert whole.selected == (IDS[1],)
    assert "= kept question not applicable (a reviewer's decision)" in diff_text([whole], {})


def test_none_of_these_only_when_every_practice_is_answered_not_met():
    failing_checks = plan_question(question(*([NOT_MET] * N)), current(), EVIDENCE, 2084)
    assert failing_checks.selected == ()
    answered = plan_question(question(*([NOT_MET] * N), answered=True), current(), EVIDENCE, 2084)
    assert answered.selected == (NONE,)
    reviewer_none = plan_question(
        question(MET, *([UNKNOWN] * (N - 1))), current(selected=[NONE]), EVIDENCE, 2084
    )
    assert reviewer_none.selected == (IDS[0],)
    kept_none = plan_question(
        question(NOT_MET, *([UNKNOWN] * (N - 1))), current(selected=[NONE]), EVIDENCE, 2084
    )
    assert kept_none.selected == (NONE,)


def test_none_of_these_wa_audit_selected_is_withdrawn_when_the_answers_change():
    answered_none = question(*([NOT_MET] * N), answered=True)
    first = plan_question(answered_none, current(), EVIDENCE, 2084)
    assert first.selected == (NONE,)
    assert NONE_BY_WA_AUDIT in first.notes
    assert recorded(first.notes).none_selected
    # The owner now answers one best practice not applicable: no longer "none of these".
    changed = question(NA, *([NOT_MET] * (N - 1)), answered=True)
    withdrawn = plan_question(changed, current(selected=[NONE], notes=first.notes), EVIDENCE, 2084)
    assert withdrawn.selected == ()
    assert withdrawn.removed == (NONE,)
    assert "wa-audit selected it" in withdrawn.why[NONE]
    assert NONE_BY_WA_AUDIT not in withdrawn.notes
    # The same change leaves a reviewer's own "None of these" alone (no record says it is ours),
    reviewers = plan_question(changed, current(selected=[NONE]), EVIDENCE, 2084)
    assert reviewers.selected == (NONE,)
    # and answers that come to agree with it do not make it wa-audit's to withdraw later.
    agreeing = plan_question(answered_none, current(selected=[NONE]), EVIDENCE, 2084)
    assert NONE_BY_WA_AUDIT not in agreeing.notes


def test_a_choice_the_workloads_lens_lacks_is_refused_before_writing():
    """An older lens version: the question has no choice for a best practice of questions/."""
    older = current()
    older = older.model_copy(
        update={"choice_titles": {c: t for c, t in older.choice_titles.items() if c != IDS[1]}}
    )
    with pytest.raises(LensMismatchError) as raised:
        plan_question(question(MET, NOT_MET, *([UNKNOWN] * (N - 2))), older, EVIDENCE, 2084)
    assert (raised.value.question_id, raised.value.choice_ids) == (SEC3.id, (IDS[1],))
    # A best practice wa-audit does not assess needs no choice.
    assert plan_question(question(MET, *([UNKNOWN] * (N - 1))), older, EVIDENCE, 2084)


def test_nothing_assessed_is_left_alone_and_unchanged_is_no_change():
    assert plan_question(question(*([UNKNOWN] * N)), current(), EVIDENCE, 2084) is None
    first = plan_question(question(MET, *([UNKNOWN] * (N - 1))), current(), EVIDENCE, 2084)
    same = current(selected=first.selected, notes=first.notes)
    assert not plan_question(question(MET, *([UNKNOWN] * (N - 1))), same, EVIDENCE, 2084).changed


def test_notes_keep_reviewers_text_above_and_below_and_fit_the_limit():
    above, below = "Agreed with the SA on 11/20.", "Follow-up: ticket OPS-12."
    block = merged_notes("", question(*([NOT_MET] * N)), EVIDENCE, 2084)
    assert block.startswith(f"{EVIDENCE_MARKER} (run 2026-11-30")
    assert block.endswith(EVIDENCE_END)
    later = Evidence(run_date=date(2026, 12, 30), account_id="123456789012")
    notes = plan_question(
        question(*([NOT_MET] * N)), current(notes=f"{above}\n\n{block}\n\n{below}"), later, 2084
    ).notes
    assert notes.startswith(f"{above}\n\n{EVIDENCE_MARKER} (run 2026-12-30")
    assert notes.endswith(f"{EVIDENCE_END}\n\n{below}")
    assert notes.count(EVIDENCE_MARKER) == 1
    # A block written before the end line existed ran to the end of the notes: replaced whole.
    legacy = f"{above}\n\n{EVIDENCE_MARKER} (run 2026-01-01, account 123456789012)\nold line"
    change = plan_question(question(*([NOT_MET] * N)), current(notes=legacy), EVIDENCE, 2084)
    assert change.notes.startswith(f"{above}\n\n{EVIDENCE_MARKER} (run 2026-11-30")
    assert "old line" not in change.notes


def test_notes_shrink_the_block_not_the_reviewers_text():
    above, below = "a" * 1500, "b" * 300
    block = merged_notes("", question(*([NOT_MET] * N)), EVIDENCE, 2084)
    notes = plan_question(
        question(*([NOT_MET] * N)),
        current(notes=f"{above}\n\n{block}\n\n{below}"),
        EVIDENCE,
        2084,
    ).notes
    assert len(notes) <= 2084
    assert notes.startswith(above)
    assert notes.endswith(below)
    # Details go first: every best practice's state is still recorded.
    assert set(recorded(notes).states) == {bp.id for bp in SEC3.best_practices}
    tight = plan_question(question(*([NOT_MET] * N)), current(notes=above), EVIDENCE, 250)
    assert len(tight.notes) <= 250
    assert tight.notes.startswith(above[:250])
    crowded = plan_question(question(*([NOT_MET] * N)), current(notes="x" * 3000), EVIDENCE, 2084)
    assert crowded.notes == "x" * 2084


BP = [bp.id for bp in SEC3.best_practices]


def pushed(*statuses: BestPracticeStatus, answered: bool = False) -> str:
    """The notes a push of these statuses leaves (its evidence block)."""
    return plan_question(question(*statuses, answered=answered), current(), EVIDENCE, 2084).notes


def test_pull_imports_reviewers_decisions_only():
    # wa-audit pushed BP0 met, BP1 not met, BP2 not applicable, the rest unassessed.
    notes = pushed(MET, NOT_MET, NA, *([UNKNOWN] * (N - 3)))
    untouched = current(
        selected=[IDS[0]], choices={IDS[2]: ChoiceState(status="NOT_APPLICABLE")}, notes=notes
    )
    assert imported_answers(FRAMEWORK, [untouched], None, RUN).answers.answers == {}
    # A reviewer selects BP1 and BP3, unselects BP0, marks BP4 not applicable.
    reviewed = current(
        selected=[IDS[1], IDS[3]],
        choices={
            IDS[2]: ChoiceState(status="NOT_APPLICABLE"),
            IDS[4]: ChoiceState(status="NOT_APPLICABLE"),
        },
        notes=notes,
    )
    pulled = imported_answers(FRAMEWORK, [reviewed], None, RUN)
    got = {bp: a.status for bp, a in pulled.answers.answers.items()}
    assert got == {BP[0]: "not_met", BP[1]: "met", BP[3]: "met", BP[4]: "not_applicable"}
    assert pulled.imported == (BP[0], BP[1], BP[3], BP[4])
    # Best practices checks assess are left to the checks unless asked for.
    checked = imported_answers(FRAMEWORK, [reviewed], None, RUN, checked={BP[0], BP[1]})
    assert set(checked.answers.answers) == {BP[3], BP[4]}


def test_pull_never_makes_an_unselected_choice_not_met_on_its_own():
    """No evidence block (a workload reviewed by hand): unselected means nobody answered."""
    pulled = imported_answers(FRAMEWORK, [current(selected=[IDS[0]])], None, RUN)
    assert {bp: a.status for bp, a in pulled.answers.answers.items()} == {BP[0]: "met"}
    none = imported_answers(FRAMEWORK, [current(selected=[NONE])], None, RUN).answers.answers
    assert {a.status for a in none.values()} == {"not_met"}
    assert len(none) == N
    # "None of these" wa-audit selected from the owner's answers is its own output.
    ours = current(selected=[NONE], notes=pushed(*([NOT_MET] * N), answered=True))
    assert recorded(ours.notes).none_selected
    assert imported_answers(FRAMEWORK, [ours], None, RUN).answers.answers == {}
    not_applicable = imported_answers(FRAMEWORK, [current(applicable=False)], None, RUN)
    assert {a.status for a in not_applicable.answers.answers.values()} == {"not_applicable"}
    ours_na = current(applicable=False, notes=pushed(*([NA] * N)))
    assert imported_answers(FRAMEWORK, [ours_na], None, RUN).answers.answers == {}


def test_pull_keeps_the_files_answers_and_notes():
    existing = AnswersFile(
        answers={
            BP[0]: Answer(status="met", note="kept", date=date(2026, 1, 2)),
            BP[1]: Answer(status="met", note="decided in the review", date=date(2026, 1, 2)),
            "SEC01-BP01": Answer(status="met", note="untouched", date=date(2026, 1, 2)),
        }
    )
    # A reviewer selected "None of these": BP1 is met in the file, and stays so.
    pulled = imported_answers(FRAMEWORK, [current(selected=[NONE])], existing, RUN)
    merged = pulled.answers.answers
    assert merged[BP[1]] == existing.answers[BP[1]]
    assert merged[BP[0]] == existing.answers[BP[0]]
    assert pulled.kept == (BP[0], BP[1])
    assert merged[BP[2]] == Answer(status="not_met", note=IMPORTED_NOTE, date=RUN)
    assert merged["SEC01-BP01"].note == "untouched"
    # An explicit selection does replace the status; the note stays, the date is today's.
    reselected = imported_answers(
        FRAMEWORK,
        [current(selected=[IDS[0]], choices={IDS[1]: ChoiceState(status="NOT_APPLICABLE")})],
        existing,
        RUN,
    ).answers.answers
    assert reselected[BP[0]] == Answer(status="met", note="kept", date=date(2026, 1, 2))
    assert reselected[BP[1]] == Answer(
        status="not_applicable", note="decided in the review", date=RUN
    )


def test_diff_escapes_text_from_the_wa_tool():
    change = plan_question(question(MET, *([UNKNOWN] * (N - 1))), current(), EVIDENCE, 2084)
    text = diff_text([change], {SEC3.id: {IDS[0]: "Separate\x1b[2J accounts\n"}})
    assert "\x1b" not in text
    assert f"+ {IDS[0]} (Separate\\x1b[2J accounts\\n)  [{SEC3.best_practices[0].id} met]" in text
    assert text.endswith("1 question to update.")
