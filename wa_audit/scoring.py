"""From findings and answers to best-practice status, question risk and pillar score.

The rules, as the README states them:
- a best practice is *not met* on any FAIL or WARN of its checks (or a recorded ``not_met``); *met*
  when all its checks PASS (or an answer says met and no check says otherwise); *unknown* when its
  checks ERROR or nothing assesses it. An answer never overrides a failing check: the conflict shows.
- question risk as the WA Tool does it: HIGH when a high-risk best practice is not met, MEDIUM when a
  medium one is, NONE when all assessed ones are met, UNANSWERED when none is assessed.
- best-practice score: 0-100, the share of its checked resources that pass, each finding weighted
  by its severity (critical 5 … info 1) and a WARN counting half; an answer alone gives 100 or 0.
  The status above is all-or-nothing, as the WA Tool's; the score tells "one bucket of forty" from
  "every bucket".
- pillar score: the mean of its best practices' scores, weighted by AWS risk (high 3, medium 2,
  low 1); unassessed and not-applicable ones are left out.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, timedelta

from wa_audit.answers import Answer
from wa_audit.defaults import DEFAULT_ANSWER_MAX_AGE_DAYS
from wa_audit.framework import BestPracticeDef, Framework, QuestionDef, Risk
from wa_audit.models import (
    AnswerRecord,
    AssessedBy,
    BestPracticeResult,
    BestPracticeStatus,
    CheckSpec,
    Coverage,
    Finding,
    Pillar,
    PillarScore,
    QuestionResult,
    QuestionRisk,
    Scores,
    Severity,
    Status,
)

DEFAULT_ANSWER_MAX_AGE = timedelta(days=DEFAULT_ANSWER_MAX_AGE_DAYS)
_NOT_MET_STATUSES = frozenset({Status.FAIL, Status.WARN})
_CREDIT = {Status.PASS: 1.0, Status.WARN: 0.5, Status.FAIL: 0.0}


def severity_weight(severity: Severity) -> int:
    return severity.rank + 1


def graded_score(findings: Iterable[Finding]) -> float | None:
    """The severity-weighted share of PASS among PASS, WARN and FAIL findings (None: none)."""
    weighed = [
        (severity_weight(f.severity), _CREDIT[f.status]) for f in findings if f.status in _CREDIT
    ]
    total = sum(weight for weight, _ in weighed)
    if not total:
        return None
    return 100 * sum(weight * credit for weight, credit in weighed) / total


def _bp_score(
    status: BestPracticeStatus, assessed_by: AssessedBy, findings: Sequence[Finding]
) -> float | None:
    if status in (BestPracticeStatus.UNKNOWN, BestPracticeStatus.NOT_APPLICABLE):
        return None
    graded = graded_score(findings) if assessed_by is AssessedBy.AUTOMATED else None
    if graded is None:
        return 100.0 if status is BestPracticeStatus.MET else 0.0
    shown = round(graded, 1)
    if status is BestPracticeStatus.NOT_MET and shown >= 100:
        return 99.9  # never a full score beside "not met"
    return shown


def automated_status(statuses: set[Status]) -> BestPracticeStatus:
    if statuses & _NOT_MET_STATUSES:
        return BestPracticeStatus.NOT_MET
    if Status.ERROR in statuses or not statuses:
        return BestPracticeStatus.UNKNOWN
    if statuses == {Status.NOT_APPLICABLE}:
        return BestPracticeStatus.NOT_APPLICABLE
    return BestPracticeStatus.MET


def assess_best_practice(
    bp: BestPracticeDef,
    check_ids: Sequence[str],
    findings: Sequence[Finding],
    answer: Answer | None,
    today: date,
    max_age: timedelta,
) -> BestPracticeResult:
    statuses = {f.status for f in findings}
    automated = automated_status(statuses) if check_ids else BestPracticeStatus.UNKNOWN
    record = _record(answer, today, max_age)
    status, assessed_by, conflict = automated, AssessedBy.AUTOMATED, None
    if record is not None:
        answered = record.status
        if automated is BestPracticeStatus.NOT_MET and answered is not BestPracticeStatus.NOT_MET:
            conflict = f"answered {answered.value}, but a check reports it not met"
        elif automated is BestPracticeStatus.MET and answered is BestPracticeStatus.NOT_MET:
            status = BestPracticeStatus.NOT_MET
            assessed_by = AssessedBy.ANSWERED
        elif automated in (BestPracticeStatus.UNKNOWN, BestPracticeStatus.NOT_APPLICABLE):
            status, assessed_by = answered, AssessedBy.ANSWERED
    if status is BestPracticeStatus.UNKNOWN:
        assessed_by = AssessedBy.UNASSESSED
    return BestPracticeResult(
        id=bp.id,
        choice_id=bp.choice_id,
        title=bp.title,
        risk=bp.risk.value,
        status=status,
        assessed_by=assessed_by,
        checks=tuple(check_ids),
        answer=record,
        conflict=conflict,
        score=_bp_score(status, assessed_by, findings),
    )


def _record(answer: Answer | None, today: date, max_age: timedelta) -> AnswerRecord | None:
    if answer is None or not answer.answered or answer.date is None:
        return None
    return AnswerRecord(
        status=BestPracticeStatus(answer.status),
        note=answer.note,
        answered_on=answer.date,
        stale=today - answer.date > max_age,
    )


def question_risk(results: Sequence[BestPracticeResult]) -> QuestionRisk:
    assessed = [r for r in results if r.status is not BestPracticeStatus.UNKNOWN]
    if not assessed:
        return QuestionRisk.UNANSWERED
    if all(r.status is BestPracticeStatus.NOT_APPLICABLE for r in assessed):
        return QuestionRisk.NOT_APPLICABLE
    not_met = {r.risk for r in assessed if r.status is BestPracticeStatus.NOT_MET}
    if Risk.HIGH.value in not_met:
        return QuestionRisk.HIGH
    if Risk.MEDIUM.value in not_met:
        return QuestionRisk.MEDIUM
    return QuestionRisk.NONE


def weighted_score(results: Iterable[BestPracticeResult]) -> float | None:
    """The risk-weighted mean of the best practices' scores (None: none is scored)."""
    scored = [(Risk(r.risk).weight, r.score) for r in results if r.score is not None]
    total = sum(weight for weight, _ in scored)
    if not total:
        return None
    return round(sum(weight * value for weight, value in scored) / total, 1)


def score(
    framework: Framework,
    checks: Sequence[CheckSpec],
    findings: Sequence[Finding],
    answers: Mapping[str, Answer],
    today: date,
    max_age: timedelta = DEFAULT_ANSWER_MAX_AGE,
) -> tuple[tuple[QuestionResult, ...], Scores]:
    checks_by_bp: dict[str, list[str]] = defaultdict(list)
    for spec in checks:
        for bp_id in spec.best_practices:
            checks_by_bp[bp_id].append(spec.id)
    findings_by_check: dict[str, list[Finding]] = defaultdict(list)
    for finding in findings:
        findings_by_check[finding.check_id].append(finding)

    questions = []
    for question in framework.questions:
        results = tuple(
            assess_best_practice(
                bp,
                checks_by_bp.get(bp.id, []),
                [f for c in checks_by_bp.get(bp.id, []) for f in findings_by_check[c]],
                answers.get(bp.id),
                today,
                max_age,
            )
            for bp in question.best_practices
        )
        questions.append(_question_result(question, results))
    return tuple(questions), _scores(framework.version, questions)


def _question_result(
    question: QuestionDef, results: tuple[BestPracticeResult, ...]
) -> QuestionResult:
    return QuestionResult(
        pillar=question.pillar,
        label=question.label,
        id=question.id,
        title=question.title,
        risk=question_risk(results),
        best_practices=results,
    )


def _scores(version: str, questions: Sequence[QuestionResult]) -> Scores:
    pillars = []
    for pillar in Pillar:
        mine = [q for q in questions if q.pillar is pillar]
        practices = [bp for q in mine for bp in q.best_practices]
        by = [bp.assessed_by for bp in practices]
        pillars.append(
            PillarScore(
                pillar=pillar,
                score=weighted_score(practices),
                high_risks=sum(q.risk is QuestionRisk.HIGH for q in mine),
                medium_risks=sum(q.risk is QuestionRisk.MEDIUM for q in mine),
                questions=len(mine),
                coverage=Coverage(
                    automated=by.count(AssessedBy.AUTOMATED),
                    answered=by.count(AssessedBy.ANSWERED),
                    unassessed=by.count(AssessedBy.UNASSESSED),
                ),
            )
        )
    overall = weighted_score(bp for q in questions for bp in q.best_practices)
    return Scores(framework_version=version, overall=overall, pillars=tuple(pillars))
