"""Answers files: the template round-trips, answers change the demo's scores, bad files exit 2."""

from __future__ import annotations

import json

from tests.helpers import ROOT_CHECKS
from wa_audit.answers import load_answers
from wa_audit.exitcodes import ExitCode
from wa_audit.framework import load_framework
from wa_audit.registry import discover


def test_init_lists_uncovered_best_practices_and_round_trips(run_cli, tmp_path):
    path = tmp_path / "answers.toml"
    result = run_cli("answers", "init", "--output", str(path))
    assert result.exit_code == 0, result.output
    text = path.read_text()
    assert '[answers."SEC01-BP07"]' in text
    assert '[answers."SEC01-BP02"]' not in text  # covered by sec.root-mfa
    assert "# SEC 1: " in text
    parsed = load_answers(path, load_framework())
    assert parsed.given() == {}
    covered = {bp for check in discover() for bp in check.spec.best_practices}
    assert len(parsed.answers) == 307 - len(covered)

    filled = text.replace(
        '[answers."SEC01-BP07"]\nstatus = "unanswered"\nnote = ""',
        '[answers."SEC01-BP07"]\nstatus = "met"\nnote = "four accounts"\ndate = 2026-11-01',
    )
    path.write_text(filled)
    assert run_cli("answers", "init", "--output", str(path)).exit_code == 0
    again = load_answers(path, load_framework())
    assert again.given()["SEC01-BP07"].note == "four accounts"


def test_answers_change_the_score(sandbox, run_cli, tmp_path):
    first = tmp_path / "first"
    run_cli("run", *ROOT_CHECKS, "--region", "us-east-1", "--output-dir", str(first))
    before = json.loads((first / "results.json").read_text())
    answers = tmp_path / "answers.toml"
    answers.write_text('[answers."SEC01-BP01"]\nstatus = "met"\nnote = "org"\ndate = 2026-11-01\n')
    second = tmp_path / "second"
    run_cli(
        "run",
        *ROOT_CHECKS,
        "--region",
        "us-east-1",
        "--output-dir",
        str(second),
        "--answers",
        str(answers),
    )
    after = json.loads((second / "results.json").read_text())

    def security(report):
        return next(p for p in report["scores"]["pillars"] if p["pillar"] == "security")

    # Graded, all high risk: SEC01-BP02 50 (root MFA FAIL, root keys PASS, both critical),
    # SEC02-BP01 0 (root MFA FAIL), SEC02-BP02 100 (root keys PASS).
    assert security(before)["score"] == 50.0
    assert security(after)["score"] == 62.5  # and now SEC01-BP01 (high), answered met: 100
    assert security(after)["coverage"]["answered"] == 1
    assert len(after["questions"]) == 57


def test_answer_without_date_is_a_config_error(run_cli, tmp_path):
    answers = tmp_path / "answers.toml"
    answers.write_text('[answers."SEC01-BP01"]\nstatus = "met"\n')
    result = run_cli("questions", "--answers", str(answers))
    assert result.exit_code == ExitCode.USAGE
    assert "needs the date" in result.output


def test_unknown_best_practice_is_a_config_error(run_cli, tmp_path):
    answers = tmp_path / "answers.toml"
    answers.write_text('[answers."SEC99-BP01"]\nstatus = "met"\ndate = 2026-01-01\n')
    result = run_cli("questions", "--answers", str(answers))
    assert result.exit_code == ExitCode.USAGE
    assert "unknown best practice 'SEC99-BP01'" in result.output


def test_questions_lists_how_each_is_assessed(run_cli):
    result = run_cli("questions", "--pillar", "sec", "--format", "json")
    rows = json.loads(result.output)
    by_id = {row["best_practice"]: row for row in rows}
    assert len(rows) == 63
    assert {"sec.root-mfa", "sec.root-access-keys"} <= set(by_id["SEC01-BP02"]["checks"])
    assert by_id["SEC01-BP07"]["checks"] == []
    uncovered = json.loads(run_cli("questions", "--uncovered", "--format", "json").output)
    assert "SEC01-BP02" not in {row["best_practice"] for row in uncovered}
