"""The push plan and the pull mapping, on answers built in the test (no AWS)."""

from __future__ import annotations

from datetime import date

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
from wa_audit.wa_tool.plan import EVIDENCE_MARKER, Evidence, plan_question
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
    back = plan_question(
        question(MET, *([UNKNOWN] * (N - 1))),
        current(choices={IDS[0]: ChoiceState(status="NOT_APPLICABLE")}, applicable=False),
        EVIDENCE,
        2084,
    )
    assert back.applicability_changed
    assert back.request()["ChoiceUpdates"] == {IDS[0]: {"Status": "SELECTED"}}


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


def test_nothing_assessed_is_left_alone_and_unchanged_is_no_change():
    assert plan_question(question(*([UNKNOWN] * N)), current(), EVIDENCE, 2084) is None
    first = plan_question(question(MET, *([UNKNOWN] * (N - 1))), current(), EVIDENCE, 2084)
    same = current(selected=first.selected, notes=first.notes)
    assert not plan_question(question(MET, *([UNKNOWN] * (N - 1))), same, EVIDENCE, 2084).changed


def test_notes_keep_reviewers_text_and_fit_the_limit():
    reviewers = "Agreed with the SA on 11/20."
    old = f"{reviewers}\n\n{EVIDENCE_MARKER} (run 2026-01-01, account 123456789012)\nold line"
    change = plan_question(question(*([NOT_MET] * N)), current(notes=old), EVIDENCE, 2084)
    assert change.notes.startswith(f"{reviewers}\n\n{EVIDENCE_MARKER} (run 2026-11-30")
    assert "old line" not in change.notes
    tight = plan_question(question(*([NOT_MET] * N)), current(notes=reviewers), EVIDENCE, 250)
    assert len(tight.notes) <= 250
    assert tight.notes.startswith(reviewers)
    assert "more in results.json" in tight.notes
    crowded = plan_question(question(*([NOT_MET] * N)), current(notes="x" * 3000), EVIDENCE, 2084)
    assert crowded.notes == "x" * 2084


def test_pull_maps_choices_to_answers_and_keeps_notes():
    existing = AnswersFile(
        answers={
            SEC3.best_practices[0].id: Answer(status="met", note="kept", date=date(2026, 1, 2)),
            "SEC01-BP01": Answer(status="met", note="untouched", date=date(2026, 1, 2)),
        }
    )
    answers = [
        current(selected=[IDS[0]], choices={IDS[1]: ChoiceState(status="NOT_APPLICABLE")}),
    ]
    merged = imported_answers(FRAMEWORK, answers, existing, RUN).answers
    assert merged[SEC3.best_practices[0].id] == Answer(
        status="met", note="kept", date=date(2026, 1, 2)
    )
    assert merged[SEC3.best_practices[1].id].status == "not_applicable"
    assert merged[SEC3.best_practices[2].id] == Answer(
        status="not_met", note=IMPORTED_NOTE, date=RUN
    )
    assert merged["SEC01-BP01"].note == "untouched"
    none = imported_answers(FRAMEWORK, [current(selected=[NONE])], None, RUN).answers
    assert {a.status for a in none.values()} == {"not_met"}
    assert len(none) == N
    not_applicable = imported_answers(FRAMEWORK, [current(applicable=False)], None, RUN).answers
    assert {a.status for a in not_applicable.values()} == {"not_applicable"}
    assert imported_answers(FRAMEWORK, [current()], None, RUN).answers == {}


def test_diff_escapes_text_from_the_wa_tool():
    change = plan_question(question(MET, *([UNKNOWN] * (N - 1))), current(), EVIDENCE, 2084)
    text = diff_text([change], {SEC3.id: {IDS[0]: "Separate\x1b[2J accounts\n"}})
    assert "\x1b" not in text
    assert f"+ {IDS[0]} (Separate\\x1b[2J accounts\\n)  [{SEC3.best_practices[0].id} met]" in text
    assert text.endswith("1 question(s) to update.")
