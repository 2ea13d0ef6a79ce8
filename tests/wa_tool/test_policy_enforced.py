"""`wa-audit policy --wa-tool` is enough for push and pull, and its milestone read is needed: both
commands run as a user whose only policy is what the command prints, the sandbox enforcing IAM
(as tests/test_policy_enforced.py does for audits). The run pushed is a small one: the root user
section of the sample account, audited by two checks."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import Sandbox, sandbox_env
from tests.wa_tool.conftest import run_audit
from wa_audit.answers import load_answers
from wa_audit.exitcodes import ExitCode
from wa_audit.framework import load_framework
from wa_audit.sandbox.scenario import load_scenario
from wa_audit.sandbox.seeders import all_seeders
from wa_audit.sandbox.server import SandboxServer

WORKLOAD = "shop-prod"
CHECKS = ("--check", "sec.root-mfa", "--check", "sec.root-access-keys")


@pytest.fixture(scope="module")
def small_run(sandbox_server: SandboxServer, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """results.json of the small run, made once (each test's account is emptied after)."""
    with pytest.MonkeyPatch.context() as patch:
        for name, value in sandbox_env(sandbox_server.url).items():
            patch.setenv(name, value)
        sandbox_server.reset()
        Sandbox(sandbox_server.url, sandbox_server.state).seed(
            load_scenario("sample", all_seeders()).only("root")
        )
        return run_audit(tmp_path_factory.mktemp("small-run"), *CHECKS)


def _policy(run_cli: Any, without: str | None = None) -> dict[str, Any]:
    document: dict[str, Any] = json.loads(run_cli("policy", "--wa-tool").output)
    if without is not None:
        reads = document["Statement"][0]
        assert without in reads["Action"]
        reads["Action"] = [action for action in reads["Action"] if action != without]
    return document


def test_push_and_pull_under_exactly_the_printed_policy(
    sandbox, run_cli, small_run, tmp_path, monkeypatch
):
    sandbox.act_as(monkeypatch, sandbox.user_with_policy("wa-tool-user", _policy(run_cli)))
    push = ("wa-tool", "push", "--results", str(small_run), "--workload", WORKLOAD, "--yes")
    created = run_cli(*push, "--create", "--environment", "PRODUCTION", "--milestone", "first")
    assert created.exit_code == ExitCode.OK, created.output
    assert "Updated SEC 1 (securely-operate)" in created.output
    arn = created.output.split(f"Created workload '{WORKLOAD}': ", 1)[1].split()[0]
    by_arn = run_cli("wa-tool", "push", "--results", str(small_run), "--workload", arn, "--yes")
    assert by_arn.exit_code == ExitCode.OK, by_arn.output
    again = run_cli(*push, "--milestone", "second")  # ListMilestones, then CreateMilestone
    assert again.exit_code == ExitCode.OK, again.output
    assert "Saved milestone 2 'second'" in again.output
    output = tmp_path / "answers.toml"
    pulled = run_cli("wa-tool", "pull", "--workload", WORKLOAD, "--output", str(output))
    assert pulled.exit_code == ExitCode.OK, pulled.output
    assert load_answers(output, load_framework()).given() == {}  # wa-audit's own output only


def test_the_milestone_read_is_needed_and_named(sandbox, run_cli, small_run, monkeypatch):
    push = ("wa-tool", "push", "--results", str(small_run), "--workload", WORKLOAD, "--yes")
    assert run_cli(*push, "--create", "--environment", "PRODUCTION").exit_code == ExitCode.OK
    short = _policy(run_cli, without="wellarchitected:ListMilestones")
    sandbox.act_as(monkeypatch, sandbox.user_with_policy("wa-tool-short", short))
    refused = run_cli(*push, "--milestone", "first")
    assert refused.exit_code == ExitCode.INCOMPLETE, refused.output
    assert "access denied to wellarchitected:ListMilestones" in refused.output
    assert "Saved milestone" not in refused.output
