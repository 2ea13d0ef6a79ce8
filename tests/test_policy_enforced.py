"""`wa-audit policy` is enough, and each action in it is needed: the sample account audited through
the CLI by users whose only policy is what the command prints (or that less a few actions), with the
sandbox enforcing IAM as AWS does (signature, then the caller's policies).

The sample account is seeded once for the module (seeding is most of the cost) and audited three
times: unenforced, under exactly the printed policy, and under that policy less ``REMOVED``.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from tests.conftest import Sandbox, sandbox_env
from wa_audit.cli import cli
from wa_audit.exitcodes import ExitCode
from wa_audit.registry import discover
from wa_audit.sandbox.server import SandboxServer

SAMPLE_REGIONS = ("us-east-1", "eu-west-1")
# One action per IAM quirk the sandbox must get right, each read by checks no other one is:
REMOVED = (
    "guardduty:ListDetectors",  # REST GETs without parameters (moto's signature check)
    "securityhub:DescribeHub",
    "backup:ListBackupPlans",
    "cloudwatch:DescribeAlarms",  # signs as `monitoring`, IAM prefix `cloudwatch`
    "s3:GetAccountPublicAccessBlock",  # S3 Control GetPublicAccessBlock
    "s3:ListAllMyBuckets",  # ListBuckets, answered by a sandbox extension
)
# The auditing users own access keys, which the IAM checks see; they exist before the first audit
# so that every audit sees the same account.
USERS = ("wa-audit-exact", "wa-audit-short")


@dataclass(frozen=True)
class Audit:
    exit_code: int
    output: str
    report: dict[str, Any]


@dataclass(frozen=True)
class Audits:
    unenforced: Audit
    exact: Audit
    short: Audit


def _cli(*args: str) -> Any:
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def _printed_policy() -> dict[str, Any]:
    result = _cli("policy")
    assert result.exit_code == ExitCode.OK, result.output
    document: dict[str, Any] = json.loads(result.output)
    return document


def _without(policy: dict[str, Any], removed: tuple[str, ...]) -> dict[str, Any]:
    [statement] = policy["Statement"]
    missing = sorted(set(removed) - set(statement["Action"]))
    assert not missing, f"not in `wa-audit policy`: {missing}"
    actions = [action for action in statement["Action"] if action not in removed]
    return {**policy, "Statement": [{**statement, "Action": actions}]}


def _audit(out: Path) -> Audit:
    regions = [arg for region in SAMPLE_REGIONS for arg in ("--region", region)]
    result = _cli("run", *regions, "--output-dir", str(out), "--format", "json", "--quiet")
    report = json.loads((out / "results.json").read_text())
    return Audit(result.exit_code, result.output, report)


@pytest.fixture(scope="module")
def audits(sandbox_server: SandboxServer, tmp_path_factory: Any) -> Iterator[Audits]:
    sandbox_server.reset()
    box = Sandbox(sandbox_server.url, sandbox_server.state)
    out = tmp_path_factory.mktemp("policy-enforced")
    with pytest.MonkeyPatch.context() as patch:
        for name, value in sandbox_env(sandbox_server.url).items():
            patch.setenv(name, value)
        try:
            box.seed("sample")
            policy = _printed_policy()
            exact = box.user_with_policy(USERS[0], policy)
            short = box.user_with_policy(USERS[1], _without(policy, REMOVED))
            box.post("/moto-api/reset-auth", b"inf")
            unenforced = _audit(out / "unenforced")
            box.act_as(patch, exact)
            exact_audit = _audit(out / "exact")
            box.act_as(patch, short)
            yield Audits(unenforced, exact_audit, _audit(out / "short"))
        finally:
            box.post("/moto-api/reset-auth", b"inf")


def _error_lines(report: dict[str, Any]) -> list[str]:
    """One line per ERROR finding and per report error, with its reason: what to fix."""
    lines = [
        f"{f['check_id']} [{f['region']}] {f['message']}"
        f" (missing_permission={f['evidence'].get('missing_permission')})"
        for f in report["findings"]
        if f["status"] == "ERROR"
    ]
    return lines + [f"report error: {error}" for error in report["errors"]]


def _verdicts(report: dict[str, Any], skip: frozenset[str] = frozenset()) -> list[tuple[str, ...]]:
    """Every finding but those of checks in ``skip`` and of the auditing users, whose keys are
    used by one audit and not by another."""
    auditors = {f":user/{name}" for name in USERS}
    return [
        (f["check_id"], f["region"], f["resource"], f["status"], f["message"])
        for f in report["findings"]
        if f["check_id"] not in skip and not any(f["resource"].endswith(a) for a in auditors)
    ]


def _readers(action: str) -> set[str]:
    return {check.spec.id for check in discover() if action in check.permissions()}


def test_sample_account_under_exactly_the_printed_policy_has_no_error(audits):
    errors = _error_lines(audits.exact.report)
    assert not errors, "ERROR under exactly `wa-audit policy`:\n" + "\n".join(errors)
    assert audits.exact.exit_code == ExitCode.FAILED, audits.exact.output  # the sample's FAILs


def test_the_printed_policy_changes_no_verdict(audits):
    """Enforcement on or off, the same findings: no denial read as "nothing there"."""
    assert not _error_lines(audits.unenforced.report)
    assert _verdicts(audits.exact.report) == _verdicts(audits.unenforced.report)


def test_each_removed_action_errors_exactly_its_readers(audits):
    readers = {action: _readers(action) for action in REMOVED}
    removed_reads: dict[str, set[str]] = {}
    for action, checks in readers.items():
        assert checks, f"no check reads {action}"
        for check_id in checks:
            removed_reads.setdefault(check_id, set()).add(action)

    erred = [f for f in audits.short.report["findings"] if f["status"] == "ERROR"]
    lines = "\n".join(_error_lines(audits.short.report))
    assert {f["check_id"] for f in erred} == set(removed_reads), lines
    for finding in erred:
        # A check reading two removed actions (sec.s3-bucket-public lists the buckets and reads
        # the account's Block Public Access) names one of them.
        action = finding["evidence"]["missing_permission"]
        assert action in removed_reads[finding["check_id"]], lines
        assert action in finding["message"], lines
    assert {e["missing_permission"] for e in audits.short.report["errors"]} <= set(REMOVED), lines
    assert audits.short.exit_code == ExitCode.FAILED  # FAIL findings outrank the ERRORs
    # Every other check sees what it saw with the whole policy.
    affected = frozenset(removed_reads)
    assert _verdicts(audits.short.report, affected) == _verdicts(audits.exact.report, affected)
