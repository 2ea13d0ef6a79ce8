"""One broken AWS call costs exactly its checks: the run ends, writes valid results, says why.

The sample account is served by the sandbox with one operation broken the way proxies, outages and
cut connections break answers (``wa_audit.sandbox.faults``), and audited through the CLI. Every
check that reads the broken operation is ERROR with a one-line reason naming it; every other
finding is the clean run's; the exit code is the documented one for those findings.
"""

from __future__ import annotations

import json
import socket
import threading
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


def _only(checks: set[str]) -> list[str]:
    return [flag for check in sorted(checks) for flag in ("--check", check)]


WRONG_VERDICTS = {  # answers that read as "nothing there" unless refused: (broken, IAM action, reason)
    "html-200-ec2": (
        ("ec2", "DescribeVolumes", "html-200", None),
        "ec2:DescribeVolumes",
        "ec2:DescribeVolumes: malformed response (HTTP 200): root element is 'html', "
        "not 'DescribeVolumesResponse'",
    ),
    "missing-list-dynamodb": (
        ("dynamodb", "ListTables", "missing-key", "TableNames"),
        "dynamodb:ListTables",
        "dynamodb:ListTables: unexpected response: no 'TableNames' in it",
    ),
    "garbage-s3": (  # botocore makes an unreadable S3 200 a 500 and retries it (handlers.py,
        ("s3", "ListBuckets", "garbage", None),  # _handle_200_error): an error all the same
        "s3:ListAllMyBuckets",
        "s3:ListBuckets failed: HTTP 500 (no AWS error code): Internal Server Error",
    ),
    "html-200-s3": (
        ("s3", "ListBuckets", "html-200", None),
        "s3:ListAllMyBuckets",
        "s3:ListBuckets: malformed response (HTTP 200): body is an HTML page, not XML",
    ),
    "html-200-s3-bucket": (  # a per-bucket read, told from ListObjects by its ?versioning
        ("s3", "GetBucketVersioning", "html-200", None),
        "s3:GetBucketVersioning",
        "s3:GetBucketVersioning: malformed response (HTTP 200): body is an HTML page, not XML",
    ),
    "missing-list-ce": (
        ("ce", "GetAnomalyMonitors", "missing-key", "AnomalyMonitors"),
        "ce:GetAnomalyMonitors",
        "ce:GetAnomalyMonitors: unexpected response: no 'AnomalyMonitors' in it",
    ),
    "missing-list-cloudtrail": (
        ("cloudtrail", "DescribeTrails", "missing-key", "trailList"),
        "cloudtrail:DescribeTrails",
        "cloudtrail:DescribeTrails: unexpected response: no 'trailList' in it",
    ),
    "missing-list-config": (
        ("config", "DescribeConfigurationRecorders", "missing-key", "ConfigurationRecorders"),
        "config:DescribeConfigurationRecorders",
        "config:DescribeConfigurationRecorders: unexpected response: no 'ConfigurationRecorders' "
        "in it",
    ),
}


@pytest.mark.parametrize(
    ("broken", "action", "reason"), list(WRONG_VERDICTS.values()), ids=list(WRONG_VERDICTS)
)
def test_an_answer_that_would_read_as_none_is_an_error(account, faults, broken, action, reason):
    """Only the checks that read the operation are audited, clean and broken (cheap)."""
    service, operation, breakage, key = broken
    only = _only(checks_reading(action))
    clean = account.audit(f"clean-{service}-{operation}-{breakage}", *only)
    assert clean.report["errors"] == []
    faults.break_operation(service, operation, breakage, key)
    audit = account.audit(f"{service}-{operation}-{breakage}", *only)
    assert_only_these_checks_error(audit, clean, action, reason)


def _audit_without_region(account: SampleAccount, name: str, *flags: str) -> Audit:
    """One global check, no --fail-on: what the regions' listing alone does to the verdict."""
    out = account.workdir / name
    out.mkdir()
    (out / "wa-audit.toml").write_text("max_attempts = 2\n")
    args = ["run", "--check", "sec.root-mfa", "--fail-on", "never", "--format", "json"]
    result = CliRunner().invoke(
        cli, [*args, "--output-dir", str(out), "--config", str(out / "wa-audit.toml"), *flags]
    )
    report = json.loads((out / "results.json").read_text())
    jsonschema.validate(report, SCHEMA)
    return Audit(result.exit_code, result.output, report)


def test_regions_that_cannot_be_listed_make_an_incomplete_audit(account, faults):
    """Before: only us-east-1 audited, "0 ERROR", exit 0, as if the account had one region."""
    faults.break_operation("ec2", "DescribeRegions", "html-500")
    guessed = _audit_without_region(account, "regions-unlisted")
    reason = "cannot list regions (ec2:DescribeRegions failed: HTTP 500 (no AWS error code))"
    assert guessed.exit_code == guessed.report["exit_code"] == ExitCode.INCOMPLETE
    assert guessed.report["regions"] == [REGION]
    assert guessed.report["skipped_regions"] == [{"region": "*", "reason": reason}]
    assert [f for f in guessed.report["findings"] if f["status"] == "ERROR"] == []
    lines = guessed.output.splitlines()
    assert f"Regions: {reason}; audited {REGION} only" in lines
    assert "exit 3: the account's regions could not be listed" in lines
    named = _audit_without_region(account, "regions-named", "--region", REGION)
    assert named.exit_code == ExitCode.OK  # the user chose the regions: nothing was guessed
    assert named.report["regions"] == [REGION]


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


def test_the_callers_identity_on_an_html_page_is_one_line_with_its_status(
    account, faults, tmp_path
):
    """Before: "cannot identify the caller with sts:GetCallerIdentity: : " (no status, no code)."""
    faults.break_operation("sts", "GetCallerIdentity", "html-500")
    result = CliRunner().invoke(cli, ["run", "--output-dir", str(tmp_path)])
    assert result.exit_code == ExitCode.CANNOT_AUDIT
    assert result.output.splitlines(keepends=True)[-1] == (
        "wa-audit: error: cannot identify the caller with sts:GetCallerIdentity: "
        "HTTP 500 (no AWS error code)\n"
    )


class SilentEndpoint:
    """Accepts TCP connections and never answers; counts them (one per attempt)."""

    def __init__(self) -> None:
        self.socket = socket.socket()
        self.socket.bind(("127.0.0.1", 0))
        self.socket.listen(8)
        self.socket.settimeout(0.1)
        self.url = f"http://127.0.0.1:{self.socket.getsockname()[1]}"
        self.accepted: list[socket.socket] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._accept, daemon=True)
        self._thread.start()

    def _accept(self) -> None:
        while not self._stop.is_set():
            try:
                self.accepted.append(self.socket.accept()[0])
            except TimeoutError:
                continue

    def close(self) -> None:
        self._stop.set()
        self._thread.join()
        for connection in self.accepted:
            connection.close()
        self.socket.close()


def test_an_endpoint_that_never_answers_is_reported(tmp_path, monkeypatch):
    """A message after two attempts (one retry), not minutes of silence: each attempt waits
    ``read_timeout`` (here 1 s; at most 5 s for the identity call), so by default about 10 s."""
    endpoint = SilentEndpoint()
    try:
        for name, value in sandbox_env(endpoint.url).items():
            monkeypatch.setenv(name, value)
        config = tmp_path / "wa-audit.toml"
        config.write_text("read_timeout = 1\n")
        result = CliRunner().invoke(
            cli, ["run", "--config", str(config), "--output-dir", str(tmp_path / "out")]
        )
    finally:
        endpoint.close()
    assert result.exit_code == ExitCode.CANNOT_AUDIT
    said, error = result.output.splitlines()[:2]
    assert said == "wa-audit: Identifying the account and its regions…"  # before the wait
    assert error.startswith("wa-audit: error: cannot reach the AWS endpoint: Read timeout")
    assert len(endpoint.accepted) == 2  # standard retries' max_attempts=2 would have made three
    assert not (tmp_path / "out" / "results.json").exists()
