"""Root-user checks: on facts built in the test, and end to end against the sandbox."""

from __future__ import annotations

import pytest
from wa_audit.checks.security import root_access_keys, root_mfa

from tests.helpers import run_on_facts
from wa_audit.aws import AwsSession
from wa_audit.facts.iam import AccountSummary, account_summary
from wa_audit.facts.store import FactFailure
from wa_audit.models import Status
from wa_audit.registry import discover, select
from wa_audit.runner import RunOptions, run_audit
from wa_audit.sandbox.seeders.root import RootSection

ROOT_ARN = "arn:aws:iam::123456789012:root"


@pytest.mark.parametrize(
    ("function", "summary", "status"),
    [
        (root_mfa, {"AccountMFAEnabled": 1}, Status.PASS),
        (root_mfa, {"AccountMFAEnabled": 0}, Status.FAIL),
        (root_access_keys, {"AccountAccessKeysPresent": 0}, Status.PASS),
        (root_access_keys, {"AccountAccessKeysPresent": 1}, Status.FAIL),
    ],
)
def test_root_checks_on_facts(function, summary, status):
    [finding] = run_on_facts(function, {account_summary: AccountSummary(summary=summary)})
    assert (finding.status, finding.resource, finding.region) == (status, ROOT_ARN, "global")


def test_missing_permission_is_error_naming_the_action():
    failure = FactFailure("access denied: grant iam:GetAccountSummary", "iam:GetAccountSummary")
    [finding] = run_on_facts(root_mfa, {}, failures={account_summary: failure})
    assert finding.status is Status.ERROR
    assert finding.evidence["missing_permission"] == "iam:GetAccountSummary"


@pytest.mark.parametrize(
    ("root", "expected"),
    [
        (
            RootSection(mfa="none", access_keys=1),
            {"sec.root-mfa": Status.FAIL, "sec.root-access-keys": Status.FAIL},
        ),
        (
            RootSection(mfa="hardware", access_keys=0),
            {"sec.root-mfa": Status.PASS, "sec.root-access-keys": Status.PASS},
        ),
    ],
)
def test_root_checks_against_sandbox(sandbox, root, expected):
    sandbox.seed(sandbox.scenario("sample").with_section("root", root))
    checks = select(discover(), include=list(expected))
    report = run_audit(AwsSession(), checks, RunOptions(regions=("us-east-1",)))
    got = {f.check_id: f.status for f in report.findings}
    assert got == expected
    assert {f.best_practices for f in report.findings} == {
        ("SEC01-BP02", "SEC02-BP01"),
        ("SEC01-BP02", "SEC02-BP02"),
    }
