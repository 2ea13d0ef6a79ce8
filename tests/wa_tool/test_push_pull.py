"""`wa-audit wa-tool push/pull` end to end: the CLI in-process, boto3 over HTTP to the sandbox."""

from __future__ import annotations

import dataclasses
from collections import Counter
from pathlib import Path

import pytest

from tests.conftest import REGION
from tests.wa_tool.conftest import run_audit
from wa_audit.answers import load_answers
from wa_audit.framework import load_framework
from wa_audit.models import BestPracticeStatus, Report
from wa_audit.sandbox.extensions import wellarchitected as sandbox_wa
from wa_audit.sandbox.extensions.wa_lens import update_errors
from wa_audit.sandbox.extensions.wellarchitected import wa_tool as sandbox_wa_tool

WORKLOAD = "shop-prod"
CREATE = ("--create", "--environment", "PRODUCTION")


def push(run_cli, results: Path, *extra: str):
    return run_cli("wa-tool", "push", "--results", str(results), "--workload", WORKLOAD, *extra)


def writes(sandbox) -> int:
    return sandbox_wa_tool(sandbox.state, "123456789012", REGION).update_answer_calls


def workload_id(sandbox) -> str:
    [summary] = sandbox.client("wellarchitected").list_workloads()["WorkloadSummaries"]
    return summary["WorkloadId"]


def answers_of(sandbox, question_id: str) -> dict:
    client = sandbox.client("wellarchitected")
    return client.get_answer(
        WorkloadId=workload_id(sandbox), LensAlias="wellarchitected", QuestionId=question_id
    )["Answer"]


def test_risk_counts_after_push_match_wa_audit(sandbox, run_cli, answered_run):
    """Every best practice assessed (checks, then answers): the WA Tool's RiskCounts, computed by
    the sandbox from the choices alone, equal the question risks of wa-audit's own run."""
    results = answered_run
    report = Report.model_validate_json(results.read_text())
    ours = Counter(q.risk.value for q in report.questions)
    assert all(ours[risk] for risk in ("HIGH", "MEDIUM", "NONE", "NOT_APPLICABLE")), ours

    pushed = push(run_cli, results, *CREATE, "--yes")
    assert pushed.exit_code == 0, pushed.output
    review = sandbox.client("wellarchitected").get_lens_review(
        WorkloadId=workload_id(sandbox), LensAlias="wellarchitected"
    )["LensReview"]
    theirs = {risk: n for risk, n in review["RiskCounts"].items() if n}
    assert theirs == dict(ours)
    assert f"HIGH {ours['HIGH']}, MEDIUM {ours['MEDIUM']}" in pushed.output
    assert "They differ" not in pushed.output
    per_pillar = {p["PillarId"]: p["RiskCounts"]["HIGH"] for p in review["PillarReviewSummaries"]}
    assert per_pillar == {
        pillar.value: sum(q.risk.value == "HIGH" for q in report.questions if q.pillar is pillar)
        for pillar in {q.pillar for q in report.questions}
    }


def test_push_selects_met_unselects_failed_and_writes_evidence(sandbox, run_cli, audited):
    result = push(run_cli, audited, *CREATE, "--yes")
    assert result.exit_code == 0, result.output
    assert "They differ where wa-audit could not assess" in result.output  # unassessed practices
    report = Report.model_validate_json(audited.read_text())
    sec2 = next(q for q in report.questions if q.id == "identities")
    answer = answers_of(sandbox, "identities")
    for bp in sec2.best_practices:
        if bp.status is BestPracticeStatus.MET:
            assert bp.choice_id in answer["SelectedChoices"]
        elif bp.status is BestPracticeStatus.NOT_MET:
            assert bp.choice_id not in answer["SelectedChoices"]
    assert answer["Notes"].startswith("-- wa-audit evidence (run ")
    failing = next(bp for bp in sec2.best_practices if bp.status is BestPracticeStatus.NOT_MET)
    assert f"{failing.id} not met: {failing.checks[0]} FAIL" in answer["Notes"]
    assert len(answer["Notes"]) <= 2084
    untouched = [
        q
        for q in report.questions
        if all(b.status is BestPracticeStatus.UNKNOWN for b in q.best_practices)
    ]
    assert untouched
    assert answers_of(sandbox, untouched[0].id)["Risk"] == "UNANSWERED"
    assert "Notes" not in answers_of(sandbox, untouched[0].id)


def test_dry_run_writes_nothing_and_rerun_writes_nothing(sandbox, run_cli, audited):
    dry = push(run_cli, audited, *CREATE, "--dry-run")
    assert dry.exit_code == 0, dry.output
    assert "Will create workload 'shop-prod'" in dry.output
    assert "Dry run: nothing written." in dry.output
    assert sandbox.client("wellarchitected").list_workloads()["WorkloadSummaries"] == []

    first = push(run_cli, audited, *CREATE, "--yes")
    assert first.exit_code == 0, first.output
    written = writes(sandbox)
    assert written > 0
    assert push(run_cli, audited, "--dry-run").exit_code == 0
    again = push(run_cli, audited, "--yes")
    assert again.exit_code == 0, again.output
    assert "nothing to change" in again.output
    assert writes(sandbox) == written


def test_choices_wa_audit_cannot_assess_are_kept_and_reviewer_notes_too(sandbox, run_cli, audited):
    assert push(run_cli, audited, *CREATE, "--yes").exit_code == 0
    report = Report.model_validate_json(audited.read_text())
    # A question with a best practice no check assesses and one the sample fails.
    question = next(
        q
        for q in report.questions
        if {BestPracticeStatus.UNKNOWN, BestPracticeStatus.NOT_MET}
        <= {bp.status for bp in q.best_practices}
    )
    unknown = next(bp for bp in question.best_practices if bp.status is BestPracticeStatus.UNKNOWN)
    failing = next(bp for bp in question.best_practices if bp.status is BestPracticeStatus.NOT_MET)
    client = sandbox.client("wellarchitected")
    before = answers_of(sandbox, question.id)
    client.update_answer(
        WorkloadId=workload_id(sandbox),
        LensAlias="wellarchitected",
        QuestionId=question.id,
        SelectedChoices=[*before["SelectedChoices"], unknown.choice_id, failing.choice_id],
        Notes=f"Reviewed with the SA team.\n\n{before['Notes']}\n\nAction: SEC-42 by Q1.",
    )
    result = push(run_cli, audited, "--yes")
    assert result.exit_code == 0, result.output
    assert f"= kept {unknown.choice_id}" in result.output
    assert f"- {failing.choice_id}" in result.output
    after = answers_of(sandbox, question.id)
    assert unknown.choice_id in after["SelectedChoices"]
    assert failing.choice_id not in after["SelectedChoices"]
    assert after["Notes"].startswith("Reviewed with the SA team.\n\n-- wa-audit evidence")
    assert after["Notes"].endswith("-- end of wa-audit evidence --\n\nAction: SEC-42 by Q1.")


def test_none_of_these_only_where_the_owner_answered_so(sandbox, run_cli, audited, tmp_path):
    framework = load_framework()
    sus1 = next(q for q in framework.questions if q.label == "SUS 1")
    path = tmp_path / "answers.toml"
    path.write_text(
        "".join(
            f'[answers."{bp.id}"]\nstatus = "not_met"\nnote = "none yet"\ndate = 2026-11-30\n'
            for bp in sus1.best_practices
        )
    )
    result = push(run_cli, audited, *CREATE, "--answers", str(path), "--yes")
    assert result.exit_code == 0, result.output
    answer = answers_of(sandbox, sus1.id)
    [none] = [c["ChoiceId"] for c in answer["Choices"] if c["Title"] == "None of these"]
    assert answer["SelectedChoices"] == [none]
    report = Report.model_validate_json(audited.read_text())
    failing_only = [
        q
        for q in report.questions
        if BestPracticeStatus.NOT_MET in {b.status for b in q.best_practices}
        and BestPracticeStatus.MET not in {b.status for b in q.best_practices}
    ]
    for question in failing_only:  # failing checks alone never say "none of these"
        titles = {c["ChoiceId"]: c["Title"] for c in answers_of(sandbox, question.id)["Choices"]}
        selected = answers_of(sandbox, question.id)["SelectedChoices"]
        assert "None of these" not in {titles[c] for c in selected}


def test_pull_round_trip_imports_no_check_result(sandbox, run_cli, audited, tmp_path):
    """Push the sample's run, pull it back: wa-audit's own choices and the best practices checks
    assess are not answers, so the fixed (clean) account then scores SEC01-BP02 by its checks."""
    report = Report.model_validate_json(audited.read_text())
    sec1 = next(q for q in report.questions if q.id == "securely-operate")
    by_id = {bp.id: bp for bp in sec1.best_practices}
    assert by_id["SEC01-BP02"].status is BestPracticeStatus.NOT_MET  # the sample's root user
    assert push(run_cli, audited, *CREATE, "--yes").exit_code == 0
    # A reviewer selects one best practice no check assesses, and SEC01-BP02, which checks do.
    reviewed = next(bp for bp in sec1.best_practices if bp.status is BestPracticeStatus.UNKNOWN)
    before = answers_of(sandbox, sec1.id)
    sandbox.client("wellarchitected").update_answer(
        WorkloadId=workload_id(sandbox),
        LensAlias="wellarchitected",
        QuestionId=sec1.id,
        SelectedChoices=[
            *before["SelectedChoices"],
            reviewed.choice_id,
            by_id["SEC01-BP02"].choice_id,
        ],
    )
    checked_too = tmp_path / "with-checked.toml"
    args = ("wa-tool", "pull", "--workload", WORKLOAD, "--include-checked")
    assert run_cli(*args, "--output", str(checked_too)).exit_code == 0
    with_checked = load_answers(checked_too, load_framework()).given()
    assert {bp: a.status for bp, a in with_checked.items()} == {
        reviewed.id: "met",
        "SEC01-BP02": "met",
    }
    output = tmp_path / "pulled.toml"
    output.write_text(
        '[answers."SEC01-BP01"]\nstatus = "met"\nnote = "four accounts"\ndate = 2026-01-02\n'
    )
    pulled = run_cli("wa-tool", "pull", "--workload", WORKLOAD, "--output", str(output))
    assert pulled.exit_code == 0, pulled.output
    assert "1 answer imported from the WA Tool" in pulled.output
    got = load_answers(output, load_framework()).given()
    assert set(got) == {"SEC01-BP01", reviewed.id}
    assert (got["SEC01-BP01"].status, got["SEC01-BP01"].note) == ("met", "four accounts")
    assert got[reviewed.id].status == "met"

    sandbox.seed(sandbox.scenario("clean").only("root"))
    checks = ("--check", "sec.root-mfa", "--check", "sec.root-access-keys")
    rerun = run_audit(tmp_path / "fixed", *checks, "--answers", str(output))
    sec1_fixed = next(
        q
        for q in Report.model_validate_json(rerun.read_text()).questions
        if q.id == "securely-operate"
    )
    root = next(bp for bp in sec1_fixed.best_practices if bp.id == "SEC01-BP02")
    assert (root.status, root.assessed_by.value) == (BestPracticeStatus.MET, "automated")


def test_no_terminal_and_no_yes_refuses_with_exit_2(sandbox, run_cli, audited):
    result = push(run_cli, audited, *CREATE)
    assert result.exit_code == 2
    assert "no terminal to ask on" in result.output
    assert sandbox.client("wellarchitected").list_workloads()["WorkloadSummaries"] == []


def test_declining_writes_nothing(sandbox, run_cli, audited, monkeypatch):
    from click.testing import CliRunner

    from wa_audit import confirm
    from wa_audit.cli import cli

    monkeypatch.setattr(confirm, "stdin_is_interactive", lambda: True)
    args = ["wa-tool", "push", "--results", str(audited), "--workload", WORKLOAD, *CREATE]
    result = CliRunner().invoke(cli, args, input="n\n")
    assert result.exit_code == 1
    assert "Nothing written." in result.output
    assert sandbox.client("wellarchitected").list_workloads()["WorkloadSummaries"] == []


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((), "no Well-Architected Tool workload 'shop-prod'"),
        (("--create",), "--create needs --environment"),
        (("--milestone", "x"), "--milestone must be 3 to 100"),
        (("--environment", "PRODUCTION"), "--environment only applies with --create"),
        (
            ("--regions", "eu-west-1", "--review-owner", "me"),
            "--regions, --review-owner only apply with --create",
        ),
    ],
)
def test_usage_errors_exit_2(sandbox, run_cli, audited, args, message):
    result = push(run_cli, audited, *args, "--yes")
    assert result.exit_code == 2
    assert message in result.output
    assert len(result.output.strip().splitlines()) == 1
    assert sandbox.client("wellarchitected").list_workloads()["WorkloadSummaries"] == []


def test_milestone_and_workload_by_arn(sandbox, run_cli, audited, answers_file):
    """The milestone keeps the answers and risk counts of its time; the workload is found by ARN
    (GetWorkload) for the next push."""
    assert push(run_cli, audited, *CREATE, "--yes", "--milestone", "review-1").exit_code == 0
    client = sandbox.client("wellarchitected")
    [summary] = client.list_workloads()["WorkloadSummaries"]
    key = {"WorkloadId": summary["WorkloadId"], "LensAlias": "wellarchitected"}
    at_push = {
        q: answers_of(sandbox, q)["SelectedChoices"] for q in ("securely-operate", "identities")
    }
    risks_at_push = client.get_lens_review(**key)["LensReview"]["RiskCounts"]
    by_arn = run_cli(
        "wa-tool",
        "push",
        "--results",
        str(audited),
        "--answers",
        str(answers_file),
        "--workload",
        summary["WorkloadArn"],
        "--yes",
        "--milestone",
        "review-2",
    )
    assert by_arn.exit_code == 0, by_arn.output
    assert "Saved milestone 2 'review-2'" in by_arn.output
    now = client.get_lens_review(**key)["LensReview"]["RiskCounts"]
    assert now != risks_at_push  # the answers changed the risks
    first = client.get_lens_review(**key, MilestoneNumber=1)
    assert first["MilestoneNumber"] == 1
    assert first["LensReview"]["RiskCounts"] == risks_at_push
    assert client.get_lens_review(**key, MilestoneNumber=2)["LensReview"]["RiskCounts"] == now
    for question_id, selected in at_push.items():
        kept = client.get_answer(**key, QuestionId=question_id, MilestoneNumber=1)["Answer"]
        assert kept["SelectedChoices"] == selected
    listed = client.list_milestones(WorkloadId=summary["WorkloadId"])["MilestoneSummaries"]
    assert [m["MilestoneName"] for m in listed] == ["review-1", "review-2"]


def test_a_used_milestone_name_is_refused_before_anything_is_written(
    sandbox, run_cli, audited, answers_file
):
    assert push(run_cli, audited, *CREATE, "--yes", "--milestone", "review-1").exit_code == 0
    written = writes(sandbox)
    again = push(
        run_cli, audited, "--answers", str(answers_file), "--yes", "--milestone", "review-1"
    )
    assert again.exit_code == 2, again.output
    assert "already has a milestone named 'review-1'" in again.output
    assert "Nothing written." in again.output
    assert writes(sandbox) == written
    assert "Updated" not in again.output


def test_push_creates_the_workload_with_the_runs_regions_and_the_caller_as_owner(
    sandbox, run_cli, audited
):
    report = Report.model_validate_json(audited.read_text())
    assert push(run_cli, audited, *CREATE, "--yes", "--dry-run").exit_code == 0
    assert push(run_cli, audited, *CREATE, "--yes").exit_code == 0
    client = sandbox.client("wellarchitected")
    created = client.get_workload(WorkloadId=workload_id(sandbox))["Workload"]
    caller = sandbox.client("sts").get_caller_identity()["Arn"]
    assert created["AwsRegions"] == list(report.regions)
    assert created["ReviewOwner"] == caller
    assert created["Environment"] == "PRODUCTION"
    assert created["Lenses"] == ["wellarchitected"]
    assert created["Description"] == f"Audited by wa-audit (account {report.account_id})"
    given = run_cli(
        "wa-tool",
        "push",
        "--results",
        str(audited),
        "--workload",
        "shop-staging",
        "--create",
        "--environment",
        "PREPRODUCTION",
        "--regions",
        "eu-west-1,eu-central-1",
        "--regions",
        "us-west-2",
        "--review-owner",
        "alice@example.com",
        "--yes",
    )
    assert given.exit_code == 0, given.output
    staging = next(
        w
        for w in client.list_workloads()["WorkloadSummaries"]
        if w["WorkloadName"] == "shop-staging"
    )
    described = client.get_workload(WorkloadId=staging["WorkloadId"])["Workload"]
    assert described["AwsRegions"] == ["eu-west-1", "eu-central-1", "us-west-2"]
    assert described["ReviewOwner"] == "alice@example.com"
    assert described["Environment"] == "PREPRODUCTION"


def test_a_refusal_after_a_write_is_exit_3_naming_what_was_written(
    sandbox, run_cli, audited, monkeypatch
):
    """AWS refuses the second UpdateAnswer (as it would were the lens upgraded in between): what
    the first wrote stays, and the message says so (exit 3, not a usage error)."""
    assert push(run_cli, audited, *CREATE, "--dry-run").exit_code == 0
    calls = []

    def second_refused(question, body):
        calls.append(question.question_id)
        if len(calls) == 2:
            return f"Invalid choice ID x for question {question.question_id}."
        return update_errors(question, body)

    monkeypatch.setattr(sandbox_wa, "update_errors", second_refused)
    result = push(run_cli, audited, *CREATE, "--yes")
    assert result.exit_code == 3, result.output
    first, second = calls
    report = Report.model_validate_json(audited.read_text())
    label = next(q.label for q in report.questions if q.id == first)
    assert f"Updated {label} ({first})" in result.output
    refusal = (
        f"refused UpdateAnswer: ValidationException: Invalid choice ID x for question {second}"
    )
    assert refusal in result.output
    assert f"created workload 'shop-prod'; updated 1 question: {label} ({first})" in (result.output)
    assert "Well-Architected Tool risk: HIGH" in result.output
    assert writes(sandbox) == 1


def test_a_lens_without_a_wanted_choice_is_refused_before_writing(
    sandbox, run_cli, audited, monkeypatch
):
    """A workload on an older lens version: a question lacks a choice wa-audit would set."""
    report = Report.model_validate_json(audited.read_text())
    sec2 = next(q for q in report.questions if q.id == "identities")
    dropped = next(bp for bp in sec2.best_practices if bp.status is not BestPracticeStatus.UNKNOWN)
    real = sandbox_wa.question_by_id

    def older_lens(question_id):
        found = real(question_id)
        if found is None or question_id != sec2.id:
            return found
        kept = tuple(c for c in found.choices if c.choice_id != dropped.choice_id)
        return dataclasses.replace(found, choices=kept)

    monkeypatch.setattr(sandbox_wa, "question_by_id", older_lens)
    monkeypatch.setattr(sandbox_wa, "lens_version", lambda: "2023-10-03")
    sandbox.client("wellarchitected").create_workload(
        WorkloadName=WORKLOAD,
        Description="the shop",
        Environment="PRODUCTION",
        AwsRegions=[REGION],
        ReviewOwner="alice@example.com",
        Lenses=["wellarchitected"],
    )
    result = push(run_cli, audited, "--yes")
    assert result.exit_code == 2, result.output
    assert "lens (wellarchitected, version 2023-10-03) has no choice" in result.output
    assert f"{dropped.choice_id} in question {sec2.id}" in result.output
    assert "Nothing written." in result.output
    assert writes(sandbox) == 0


def test_policy_lists_wa_tool_writes_apart(run_cli):
    import json

    document = json.loads(run_cli("policy", "--wa-tool").output)
    reads, writes_statement = document["Statement"]
    assert {
        "wellarchitected:GetWorkload",
        "wellarchitected:ListMilestones",
        "wellarchitected:ListWorkloads",
    } <= set(reads["Action"])
    assert "wellarchitected:UpdateAnswer" not in reads["Action"]
    assert writes_statement["Action"] == [
        "wellarchitected:CreateMilestone",
        "wellarchitected:CreateWorkload",
        "wellarchitected:UpdateAnswer",
    ]
    plain = json.loads(run_cli("policy").output)
    assert not any("wellarchitected" in a for s in plain["Statement"] for a in s["Action"])


@pytest.mark.parametrize("extra", [(*CREATE, "--yes"), (*CREATE, "--dry-run"), ("--yes",)])
def test_an_arn_that_names_no_workload_is_refused_never_created(sandbox, run_cli, audited, extra):
    """--create takes a name: a mistyped ARN must not become a workload named after it."""
    arn = f"arn:aws:wellarchitected:{REGION}:123456789012:workload/{'ab' * 16}"
    result = run_cli("wa-tool", "push", "--results", str(audited), "--workload", arn, *extra)
    assert result.exit_code == 2, result.output
    assert f"no Well-Architected Tool workload {arn} in {REGION}" in result.output
    assert sandbox.client("wellarchitected").list_workloads()["WorkloadSummaries"] == []
    assert writes(sandbox) == 0
