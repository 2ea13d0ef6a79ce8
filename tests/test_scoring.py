"""Scoring on hand-built findings: best practice, question risk and pillar score."""

from __future__ import annotations

from datetime import date

import pytest

from wa_audit.answers import Answer
from wa_audit.framework import load_framework
from wa_audit.models import (
    AssessedBy,
    BestPracticeStatus,
    CheckSpec,
    Finding,
    Pillar,
    QuestionRisk,
    Severity,
    Status,
)
from wa_audit.scoring import score

TODAY = date(2026, 11, 29)


def _spec(check_id: str, *bps: str) -> CheckSpec:
    return CheckSpec(
        id=check_id,
        pillar=Pillar.SECURITY,
        title=check_id,
        severity=Severity.HIGH,
        best_practices=bps,
        remediation="r",
        docs_url="u",
        facts=(),
        regional=False,
    )


def _finding(spec: CheckSpec, status: Status, resource: str = "r") -> Finding:
    return Finding(
        check_id=spec.id,
        pillar=spec.pillar,
        severity=spec.severity,
        status=status,
        region="global",
        resource=resource,
        message="m",
        best_practices=spec.best_practices,
    )


def _question(questions, label):
    return next(q for q in questions if q.label == label)


def _bp(questions, bp_id):
    return next(bp for q in questions for bp in q.best_practices if bp.id == bp_id)


def _pillar(scores, pillar):
    return next(p for p in scores.pillars if p.pillar is pillar)


# SEC01-BP02 is high risk, SEC01-BP06 medium, SEC01-BP08 low (questions/security.toml).
MFA = _spec("sec.a", "SEC01-BP02")
BASELINE = _spec("sec.b", "SEC01-BP06")
NEW_FEATURES = _spec("sec.c", "SEC01-BP08")


def test_all_pass_is_met_and_no_risk():
    checks = [MFA, BASELINE, NEW_FEATURES]
    questions, scores = score(
        load_framework(), checks, [_finding(c, Status.PASS) for c in checks], {}, TODAY
    )
    sec1 = _question(questions, "SEC 1")
    assert sec1.risk is QuestionRisk.NONE
    assert _bp(questions, "SEC01-BP02").status is BestPracticeStatus.MET
    assert _bp(questions, "SEC01-BP02").assessed_by is AssessedBy.AUTOMATED
    assert _bp(questions, "SEC01-BP01").status is BestPracticeStatus.UNKNOWN
    security = _pillar(scores, Pillar.SECURITY)
    assert security.score == 100.0
    assert (security.coverage.automated, security.coverage.unassessed) == (3, 60)
    assert _question(questions, "SEC 2").risk is QuestionRisk.UNANSWERED


@pytest.mark.parametrize(
    ("failing", "risk", "expected_score"),
    [
        (MFA, QuestionRisk.HIGH, 100 * (2 + 1) / 6),
        (BASELINE, QuestionRisk.MEDIUM, 100 * (3 + 1) / 6),
        (NEW_FEATURES, QuestionRisk.NONE, 100 * (3 + 2) / 6),
    ],
)
def test_question_risk_follows_the_riskiest_unmet_best_practice(failing, risk, expected_score):
    checks = [MFA, BASELINE, NEW_FEATURES]
    findings = [_finding(c, Status.FAIL if c is failing else Status.PASS) for c in checks]
    questions, scores = score(load_framework(), checks, findings, {}, TODAY)
    assert _question(questions, "SEC 1").risk is risk
    assert _pillar(scores, Pillar.SECURITY).score == round(expected_score, 1)
    assert _pillar(scores, Pillar.SECURITY).high_risks == (1 if risk is QuestionRisk.HIGH else 0)


def test_one_failing_resource_among_passing_ones_is_not_met_but_scores_high():
    findings = [_finding(MFA, Status.PASS, str(n)) for n in range(9)]
    findings.append(_finding(MFA, Status.FAIL, "last"))
    questions, scores = score(load_framework(), [MFA], findings, {}, TODAY)
    bp = _bp(questions, "SEC01-BP02")
    assert bp.status is BestPracticeStatus.NOT_MET  # the WA Tool's all-or-nothing verdict
    assert _question(questions, "SEC 1").risk is QuestionRisk.HIGH
    assert bp.score == 90.0  # 9 of 10 resources pass
    assert _pillar(scores, Pillar.SECURITY).score == 90.0


def test_the_graded_score_weighs_findings_by_severity_and_a_warn_by_half():
    critical = _finding(MFA, Status.FAIL, "a").model_copy(update={"severity": Severity.CRITICAL})
    low = _finding(MFA, Status.PASS, "b").model_copy(update={"severity": Severity.LOW})
    warned = _finding(MFA, Status.WARN, "c").model_copy(update={"severity": Severity.MEDIUM})
    questions, _ = score(load_framework(), [MFA], [critical, low, warned], {}, TODAY)
    # weights critical 5, low 2, medium 3; credits 0, 1, 0.5
    assert _bp(questions, "SEC01-BP02").score == round(100 * (2 + 1.5) / 10, 1)


def test_a_not_met_best_practice_never_shows_a_full_score():
    findings = [_finding(MFA, Status.PASS, str(n)) for n in range(2000)]
    findings.append(_finding(MFA, Status.WARN, "one"))
    questions, _ = score(load_framework(), [MFA], findings, {}, TODAY)
    assert _bp(questions, "SEC01-BP02").score == 99.9


def test_pillars_with_the_same_risks_get_different_scores():
    """Both pillars have one unmet high-risk best practice; their shares of passing differ."""
    rel = _spec("sec.d", "SEC01-BP02").model_copy(
        update={"id": "rel.x", "pillar": Pillar.RELIABILITY, "best_practices": ("REL01-BP01",)}
    )
    mostly = [
        _finding(rel, Status.PASS, str(n)).model_copy(update={"pillar": Pillar.RELIABILITY})
        for n in range(6)
    ]
    mostly.append(_finding(rel, Status.FAIL, "x").model_copy(update={"pillar": Pillar.RELIABILITY}))
    findings = [*mostly, _finding(MFA, Status.FAIL)]
    _, scores = score(load_framework(), [MFA, rel], findings, {}, TODAY)
    assert _pillar(scores, Pillar.SECURITY).score == 0.0
    assert _pillar(scores, Pillar.RELIABILITY).score == round(100 * 6 / 7, 1)


def test_warn_is_not_met_and_error_is_unknown():
    questions, _ = score(load_framework(), [MFA], [_finding(MFA, Status.WARN)], {}, TODAY)
    assert _bp(questions, "SEC01-BP02").status is BestPracticeStatus.NOT_MET
    questions, scores = score(load_framework(), [MFA], [_finding(MFA, Status.ERROR)], {}, TODAY)
    assert _bp(questions, "SEC01-BP02").status is BestPracticeStatus.UNKNOWN
    assert _bp(questions, "SEC01-BP02").assessed_by is AssessedBy.UNASSESSED
    assert _pillar(scores, Pillar.SECURITY).score is None


def test_answers_fill_what_checks_cannot_see():
    answers = {
        "SEC01-BP01": Answer(status="met", note="org with 4 accounts", date=date(2026, 9, 1)),
        "SEC01-BP03": Answer(status="not_met", date=date(2026, 9, 1)),
        "SEC01-BP04": Answer(status="not_applicable", date=date(2026, 9, 1)),
    }
    questions, scores = score(load_framework(), [MFA], [_finding(MFA, Status.PASS)], answers, TODAY)
    assert _bp(questions, "SEC01-BP01").status is BestPracticeStatus.MET
    assert _bp(questions, "SEC01-BP01").assessed_by is AssessedBy.ANSWERED
    assert _bp(questions, "SEC01-BP03").status is BestPracticeStatus.NOT_MET
    assert _question(questions, "SEC 1").risk is QuestionRisk.HIGH  # SEC01-BP03 is high risk
    security = _pillar(scores, Pillar.SECURITY)
    assert security.score == round(100 * 6 / 9, 1)  # BP01 and BP02 met (3+3), BP03 not (3)
    assert (security.coverage.automated, security.coverage.answered) == (1, 3)


def test_an_answer_never_overrides_a_failing_check():
    answers = {"SEC01-BP02": Answer(status="met", date=date(2026, 11, 1))}
    questions, _ = score(load_framework(), [MFA], [_finding(MFA, Status.FAIL)], answers, TODAY)
    bp = _bp(questions, "SEC01-BP02")
    assert bp.status is BestPracticeStatus.NOT_MET
    assert bp.conflict == "answered met, but a check reports it not met"


def test_old_answers_are_flagged_stale():
    answers = {
        "SEC01-BP01": Answer(status="met", date=date(2025, 10, 1)),
        "SEC01-BP03": Answer(status="met", date=date(2026, 1, 1)),
    }
    questions, _ = score(load_framework(), [], [], answers, TODAY)
    assert _bp(questions, "SEC01-BP01").answer.stale is True
    assert _bp(questions, "SEC01-BP03").answer.stale is False


def test_all_57_questions_are_scored_even_with_no_checks():
    questions, scores = score(load_framework(), [], [], {}, TODAY)
    assert len(questions) == 57
    assert {q.risk for q in questions} == {QuestionRisk.UNANSWERED}
    assert scores.overall is None
