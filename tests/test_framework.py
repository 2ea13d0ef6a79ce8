"""The framework data: the published counts, unique ids, and every id a check names exists."""

from __future__ import annotations

from collections import Counter

from wa_audit.framework import load_framework
from wa_audit.models import Pillar
from wa_audit.registry import discover

QUESTIONS = {"OPS": 11, "SEC": 11, "REL": 13, "PERF": 5, "COST": 11, "SUS": 6}
BEST_PRACTICES = {"OPS": 68, "SEC": 63, "REL": 65, "PERF": 32, "COST": 50, "SUS": 29}


def test_counts_match_the_2024_11_06_framework():
    framework = load_framework()
    assert framework.version == "2024-11-06"
    questions = Counter(q.label.split()[0] for q in framework.questions)
    practices = Counter(q.label.split()[0] for q in framework.questions for _ in q.best_practices)
    assert questions == QUESTIONS
    assert sum(questions.values()) == 57
    assert {k: practices[k] for k in BEST_PRACTICES} == BEST_PRACTICES
    assert len(framework.best_practices()) == 307


def test_ids_are_unique_and_belong_to_their_question():
    framework = load_framework()
    bp_ids = [bp.id for q in framework.questions for bp in q.best_practices]
    choice_ids = [bp.choice_id for q in framework.questions for bp in q.best_practices]
    question_ids = [q.id for q in framework.questions]
    assert len(set(bp_ids)) == len(bp_ids)
    assert len(set(choice_ids)) == len(choice_ids)
    assert len(set(question_ids)) == len(question_ids)
    for question in framework.questions:
        prefix = question.pillar.check_prefix.upper()
        for bp in question.best_practices:
            assert bp.id.startswith(f"{prefix}{question.number:02d}-BP")


def test_every_pillar_has_its_questions():
    framework = load_framework()
    assert {q.pillar for q in framework.questions} == set(Pillar)


def test_every_best_practice_named_by_a_check_exists():
    known = load_framework().best_practices()
    for check in discover():
        for bp_id in check.spec.best_practices:
            assert bp_id in known, f"{check.id} names unknown best practice {bp_id}"
