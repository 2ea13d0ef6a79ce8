"""One broken AWS call costs exactly its checks: the run ends, writes valid results, says why.

The sample account is served by the sandbox with one operation broken the way proxies, outages and
cut connections break answers (``wa_audit.sandbox.faults``), and audited through the CLI. Every
check that reads the broken operation is ERROR with a one-line reason naming it; every other
finding is the clean run's; the exit code is the documented one for those findings.
"""

from __future__ import annotations

import json
import socket
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from click.testing import CliRunner

from tests.conftest import sandbox_env
from wa_audit.cli import cli
from wa_audit.exitcodes import ExitCode, decide_exit_code
from wa_audit.facts.base import Fact, all_permissions
from wa_audit.models import Report, Severity
from wa_audit.registry import discover
from wa_audit.sandbox.scenario import SeedEnv, load_scenario, seed
from wa_audit.sandbox.seeders import all_seeders
from wa_audit.sandbox.server import SandboxServer

REGION = "us-east-1"
SCHEMA = Report.model_json_schema()


@dataclass
class Audit:
    exit_code: int
    output: str
    report: dict[str, Any]


@dataclass
class SampleAccount:
    server: SandboxServer
    workdir: Path

    def audit(self, name: str, *flags: str, config: str = "") -> Audit:
        out = self.workdir / name
        out.mkdir()
        config_file = out / "wa-audit.toml"
        config_file.write_text(config)
        args = ["run", "--region", REGION, "--output-dir", str(out), "--format", "json"]
        result = CliRunner().invoke(
            cli, [*args, "--quiet", "--config", str(config_file), *flags], catch_exceptions=False
        )
        report = json.loads((out / "results.json").read_text())
        jsonschema.validate(report, SCHEMA)
        return Audit(result.exit_code, result.output, report)


@pytest.fixture(scope="module")
def account(sandbox_server: SandboxServer, tmp_path_factory: Any) -> Iterator[SampleAccount]:
    """The sample account, seeded once: the audit is read-only, so every run sees the same."""
    sandbox_server.reset()
    with pytest.MonkeyPatch.context() as patch:
        for name, value in sandbox_env(sandbox_server.url).items():
            patch.setenv(name, value)
        scenario = load_scenario("sample", all_seeders())
        env = SeedEnv(url=sandbox_server.url, state=sandbox_server.state, regions=(REGION,))
        seed(scenario, env, all_seeders())
        yield SampleAccount(sandbox_server, tmp_path_factory.mktemp("faults"))
    sandbox_server.reset()


@pytest.fixture(scope="module")
def clean(account: SampleAccount) -> Audit:
    audit = account.audit("clean")
    assert audit.report["errors"] == []
    return audit


@pytest.fixture
def faults(account: SampleAccount) -> Iterator[Any]:
    yield account.server.state.faults
    account.server.state.clear_faults()


def _reads(fact_: Fact[Any], action: str) -> bool:
    return action in all_permissions(fact_)


def checks_reading(action: str) -> set[str]:
    """The checks whose facts (or the facts those need) call ``action``."""
    return {c.id for c in discover() if any(_reads(f, action) for f in c.facts)}


def _by_key(report: dict[str, Any]) -> dict[tuple[str, str, str], dict[str, Any]]:
    return {(f["check_id"], f["region"], f["resource"]): f for f in report["findings"]}


def assert_only_these_checks_error(
    audit: Audit, clean: Audit, action: str, reason: str
) -> set[str]:
    """Checks reading ``action`` are ERROR with ``reason``; all others match the clean run."""
    affected = checks_reading(action)
    assert affected, f"no check reads {action}"
    broken_ids = {f["check_id"] for f in audit.report["findings"] if f["status"] == "ERROR"}
    assert broken_ids, "the broken call cost no check"
    assert broken_ids <= affected  # a check may not read the fact at all (nothing to look up)
    clean_findings = _by_key(clean.report)
    for key, finding in _by_key(audit.report).items():
        if finding["status"] == "ERROR":  # one check may read other facts too (quota checks)
            assert reason in finding["message"]
            assert "\n" not in finding["message"]
            assert len(finding["message"]) < 400
        else:
            assert finding == clean_findings.pop(key)
    assert {k[0] for k in clean_findings} <= affected  # what is missing became ERROR
    reasons = {e["reason"] for e in audit.report["errors"]}
    assert reasons
    assert all(r.startswith(reason) for r in reasons), reasons
    findings = Report.model_validate(audit.report).findings
    assert audit.exit_code == decide_exit_code(findings, Severity.HIGH)
    assert audit.report["exit_code"] == audit.exit_code
    return affected


BAD_JSON = "malformed response (HTTP 200): body is not valid JSON"
BROKEN_ANSWERS = {  # id: ((service, operation, breakage, dropped key), reason)
    "html-500-query": (
        ("rds", "DescribeAccountAttributes", "html-500", None),
        "rds:DescribeAccountAttributes failed: HTTP 500 (no AWS error code)",
    ),
    "truncated-xml": (
        ("ec2", "DescribeVolumes", "truncated", None),
        "ec2:DescribeVolumes: malformed response (HTTP 200): body is not valid XML",
    ),
    "garbage-rest-json": (
        ("guardduty", "ListDetectors", "garbage", None),
        f"guardduty:ListDetectors: {BAD_JSON}",
    ),
    "garbage-json": (
        ("budgets", "DescribeBudgets", "garbage", None),
        f"budgets:DescribeBudgets: {BAD_JSON}",
    ),
    "garbage-servicequotas": (
        ("service-quotas", "ListServiceQuotas", "garbage", None),
        f"servicequotas:ListServiceQuotas: {BAD_JSON}",
    ),
    "short-body": (
        ("sns", "ListSubscriptions", "short-body", None),
        "sns:ListSubscriptions: malformed response (HTTP 200): body is ",
    ),
    "missing-key": (
        ("lambda", "GetAccountSettings", "missing-key", "AccountLimit"),
        "lambda:GetAccountSettings: unexpected response: no 'AccountLimit' in it",
    ),
    "missing-required-list": (
        ("guardduty", "ListDetectors", "missing-key", "detectorIds"),
        "guardduty:ListDetectors: unexpected response: no 'DetectorIds' in it",
    ),
}


IAM_ACTIONS = {
    "budgets:DescribeBudgets": "budgets:ViewBudget",
    "service-quotas:ListServiceQuotas": "servicequotas:ListServiceQuotas",
}


@pytest.mark.parametrize(
    ("broken", "reason"), list(BROKEN_ANSWERS.values()), ids=list(BROKEN_ANSWERS)
)
def test_a_broken_answer_errors_exactly_its_checks(account, clean, faults, broken, reason):
    service, operation, breakage, key = broken
    faults.break_operation(service, operation, breakage, key)
    audit = account.audit(f"{service}-{operation}-{breakage}", config="max_attempts = 2\n")
    action = f"{service}:{operation}"
    assert_only_these_checks_error(audit, clean, IAM_ACTIONS.get(action, action), reason)


def test_a_hanging_operation_costs_one_bounded_call(account, clean, faults):
    """Before: 8 attempts x 30 s read timeout, then "endpoint not reachable" without the call."""
    faults.break_operation("ec2", "DescribeVolumes", "hang")
    audit = account.audit("hang", config="read_timeout = 20\ncall_timeout = 20\n")
    reason = "ec2:DescribeVolumes failed: no answer in time (Read timeout on endpoint URL:"
    assert_only_these_checks_error(audit, clean, "ec2:DescribeVolumes", reason)


def test_run_timeout_keeps_what_was_fetched(account, clean, faults):
    faults.break_operation("ec2", "DescribeVolumes", "hang")
    audit = account.audit("timeout", "--timeout", "20", config="read_timeout = 300\n")
    reason = "not fetched: run timed out after 20 s"
    hung = checks_reading("ec2:DescribeVolumes")
    errors = {f["check_id"] for f in audit.report["findings"] if f["status"] == "ERROR"}
    assert hung <= errors
    for key, finding in _by_key(audit.report).items():
        if finding["status"] == "ERROR":
            assert reason in finding["message"]
        else:  # fetched in time: exactly what the clean run found
            assert finding == _by_key(clean.report)[key]
    assert {e["reason"] for e in audit.report["errors"]} == {reason}
    findings = Report.model_validate(audit.report).findings
    assert audit.exit_code == decide_exit_code(findings, Severity.HIGH)
    assert decide_exit_code(findings, None) == ExitCode.INCOMPLETE  # ERROR, so never 0


def test_an_endpoint_that_never_answers_is_reported(run_cli, tmp_path, monkeypatch):
    """Accepts TCP (the kernel's backlog) and never answers: a message, not minutes of silence."""
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(8)
        url = f"http://127.0.0.1:{silent.getsockname()[1]}"
        for name, value in sandbox_env(url).items():
            monkeypatch.setenv(name, value)
        result = CliRunner().invoke(cli, ["run", "--output-dir", str(tmp_path)])
    assert result.exit_code == ExitCode.CANNOT_AUDIT
    said, error = result.output.splitlines()[:2]
    assert said == "wa-audit: Identifying the account and its regions…"  # before the wait
    assert error.startswith("wa-audit: error: cannot reach the AWS endpoint: Read timeout")
    assert not (tmp_path / "results.json").exists()
