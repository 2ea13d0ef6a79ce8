"""IAM-user checks: on credential reports built in the test, and against the sandbox."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.checks.security_facts import ROOT_ARN, key, report, user
from tests.helpers import ACCOUNT_ID, NOW, run_on_facts
from wa_audit.aws import AwsSession
from wa_audit.checks.security_iam import (
    KeyRotationParams,
    KeyUnusedParams,
    PasswordPolicyParams,
    access_key_rotation,
    access_key_unused,
    iam_user_mfa,
    long_term_credentials,
    password_policy_strength,
)
from wa_audit.facts.iam import (
    AccessKeyUsage,
    PasswordPolicy,
    credential_report,
    password_policy,
)
from wa_audit.facts.store import FactFailure
from wa_audit.models import Status
from wa_audit.registry import discover, select
from wa_audit.runner import RunOptions, run_audit
from wa_audit.sandbox.seeders.iam import (
    AccessKeySpec,
    IamSection,
    PasswordPolicySpec,
    UserSpec,
)


def arn(name: str) -> str:
    return f"arn:aws:iam::{ACCOUNT_ID}:user/{name}"


def statuses(findings):
    return [(f.status, f.resource, f.region) for f in findings]


def test_iam_user_mfa_one_finding_per_console_user():
    facts = {
        credential_report: report(
            user("admin", password=True),
            user("alice", password=True, mfa=True),
            user("ci-deploy", password=False, keys=(key(),)),  # no console: not judged here
        )
    }
    findings = run_on_facts(iam_user_mfa, facts)
    assert statuses(findings) == [
        (Status.FAIL, arn("admin"), "global"),
        (Status.PASS, arn("alice"), "global"),
    ]
    assert {f.best_practices for f in findings} == {("SEC02-BP01",)}


def test_iam_user_mfa_passes_an_account_without_console_users():
    [finding] = run_on_facts(iam_user_mfa, {credential_report: report()})
    assert statuses([finding]) == [(Status.PASS, ROOT_ARN, "global")]


@pytest.mark.parametrize(
    ("age", "params", "status"),
    [
        (200, None, Status.FAIL),
        (91, None, Status.FAIL),
        (90, None, Status.PASS),
        (10, None, Status.PASS),
        (200, KeyRotationParams(max_age_days=365), Status.PASS),
    ],
)
def test_access_key_rotation(age, params, status):
    facts = {credential_report: report(user("ci-deploy", keys=(key(age=age),)))}
    [finding] = run_on_facts(access_key_rotation, facts, params=params)
    assert statuses([finding]) == [(status, arn("ci-deploy"), "global")]
    assert finding.best_practices == ("SEC02-BP05",)
    assert finding.evidence["max_age_days"] == (params or KeyRotationParams()).max_age_days
    assert finding.evidence["age_days"] == age


def test_rotation_judges_each_active_key_and_skips_inactive_ones():
    facts = {
        credential_report: report(
            user("ci", keys=(key(slot=1, age=200), key(slot=2, age=5))),
            user("old", keys=(key(slot=1, age=900, active=False),)),
        )
    }
    findings = run_on_facts(access_key_rotation, facts)
    assert [(f.status, f.resource, f.evidence["access_key"]) for f in findings] == [
        (Status.FAIL, arn("ci"), 1),
        (Status.PASS, arn("ci"), 2),
    ]
    assert findings[0].message == (
        "Access key 1 of IAM user ci is 200 days old (rotate within 90 days)."
    )


@pytest.mark.parametrize(
    ("age", "used", "params", "status"),
    [
        (200, 120, None, Status.FAIL),
        (200, 90, None, Status.FAIL),
        (200, 89, None, Status.PASS),
        (8, None, None, Status.FAIL),  # never used, past the grace period
        (7, None, None, Status.PASS),  # never used, still in it
        (200, 120, KeyUnusedParams(max_unused_days=180), Status.PASS),
        (30, None, KeyUnusedParams(never_used_grace_days=45), Status.PASS),
    ],
)
def test_access_key_unused(age, used, params, status):
    facts = {credential_report: report(user("ci-deploy", keys=(key(age=age, used=used),)))}
    [finding] = run_on_facts(access_key_unused, facts, params=params)
    assert statuses([finding]) == [(status, arn("ci-deploy"), "global")]
    assert finding.best_practices == ("SEC02-BP05", "SEC03-BP04")
    expected = params or KeyUnusedParams()
    assert finding.evidence["max_unused_days"] == expected.max_unused_days
    assert finding.evidence["never_used_grace_days"] == expected.never_used_grace_days


def test_key_used_after_the_run_began_was_used_0_days_ago():
    # The auditing key itself: the credential report is read after the run's clock was taken.
    used_later = AccessKeyUsage(
        slot=1, active=True, last_rotated=NOW, last_used=NOW + timedelta(seconds=5)
    )
    facts = {credential_report: report(user("auditor", keys=(used_later,)))}
    [finding] = run_on_facts(access_key_unused, facts)
    assert finding.message == "Access key 1 of IAM user auditor was last used 0 days ago."


@pytest.mark.parametrize("check", [access_key_rotation, access_key_unused, long_term_credentials])
def test_key_checks_pass_an_account_without_active_keys(check):
    facts = {credential_report: report(user("old", keys=(key(active=False),)))}
    [finding] = run_on_facts(check, facts)
    assert statuses([finding]) == [(Status.PASS, ROOT_ARN, "global")]


def test_long_term_credentials_warns_per_user_with_active_keys():
    facts = {
        credential_report: report(
            user("ci", keys=(key(slot=1), key(slot=2))),
            user("bob", password=True, mfa=True),
        )
    }
    [finding] = run_on_facts(long_term_credentials, facts)
    assert statuses([finding]) == [(Status.WARN, arn("ci"), "global")]
    assert finding.evidence["active_access_keys"] == [1, 2]
    assert finding.best_practices == ("SEC02-BP02", "SEC02-BP04")


@pytest.mark.parametrize(
    ("policy", "params", "status", "message"),
    [
        (PasswordPolicy(exists=False), None, Status.FAIL, "no password policy"),
        (
            PasswordPolicy(exists=True, minimum_length=8),
            None,
            Status.FAIL,
            "minimum length 8 < 14; reuse prevention off < 24",
        ),
        (
            PasswordPolicy(exists=True, minimum_length=14, reuse_prevention=5),
            None,
            Status.FAIL,
            "reuse prevention 5 < 24",
        ),
        (
            PasswordPolicy(exists=True, minimum_length=14, reuse_prevention=24),
            None,
            Status.PASS,
            "strong",
        ),
        (
            PasswordPolicy(exists=True, minimum_length=12, reuse_prevention=10),
            PasswordPolicyParams(minimum_length=12, reuse_prevention=10),
            Status.PASS,
            "strong",
        ),
    ],
)
def test_password_policy(policy, params, status, message):
    [finding] = run_on_facts(password_policy_strength, {password_policy: policy}, params=params)
    assert statuses([finding]) == [(status, ROOT_ARN, "global")]
    assert message in finding.message
    assert finding.best_practices == ("SEC02-BP01",)
    assert finding.evidence["required"] == (params or PasswordPolicyParams()).model_dump()


@pytest.mark.parametrize(
    "check",
    [iam_user_mfa, access_key_rotation, access_key_unused, long_term_credentials],
)
def test_credential_report_checks_error_when_the_report_is_denied(check):
    failure = FactFailure("access denied: grant iam:GetCredentialReport", "iam:GetCredentialReport")
    [finding] = run_on_facts(check, {}, failures={credential_report: failure})
    assert finding.status is Status.ERROR
    assert finding.evidence["missing_permission"] == "iam:GetCredentialReport"


IAM_CHECKS = [
    "sec.iam-user-mfa",
    "sec.access-key-rotation",
    "sec.access-key-unused",
    "sec.long-term-credentials",
    "sec.password-policy",
]


def _audit(checks=IAM_CHECKS):
    return run_audit(
        AwsSession(), select(discover(), include=checks), RunOptions(regions=("us-east-1",))
    )


def test_sample_iam_users_against_sandbox(sample_report):
    got = [
        (f.check_id, f.status, f.resource)
        for f in sample_report.findings
        if f.check_id in IAM_CHECKS
    ]
    assert got == [
        ("sec.iam-user-mfa", Status.FAIL, arn("admin")),
        ("sec.iam-user-mfa", Status.PASS, arn("alice")),
        ("sec.iam-user-mfa", Status.PASS, arn("bob")),
        ("sec.access-key-rotation", Status.FAIL, arn("ci-deploy")),
        ("sec.access-key-rotation", Status.PASS, arn("alice")),
        ("sec.access-key-unused", Status.FAIL, arn("ci-deploy")),
        ("sec.access-key-unused", Status.PASS, arn("alice")),
        ("sec.long-term-credentials", Status.WARN, arn("ci-deploy")),
        ("sec.long-term-credentials", Status.WARN, arn("alice")),
        ("sec.password-policy", Status.FAIL, ROOT_ARN),
    ]


def test_compliant_iam_against_sandbox(sandbox):
    section = IamSection(
        users=[UserSpec(name="alice", console_password=True, mfa=True)],
        password_policy=PasswordPolicySpec(minimum_length=16, reuse_prevention=24),
    )
    sandbox.seed(sandbox.scenario("sample").with_section("iam", section).only("iam", "root"))
    got = [(f.check_id, f.status, f.resource) for f in _audit().findings]
    assert got == [
        ("sec.iam-user-mfa", Status.PASS, arn("alice")),
        ("sec.access-key-rotation", Status.PASS, ROOT_ARN),
        ("sec.access-key-unused", Status.PASS, ROOT_ARN),
        ("sec.long-term-credentials", Status.PASS, ROOT_ARN),
        ("sec.password-policy", Status.PASS, ROOT_ARN),
    ]


def test_never_used_key_against_sandbox(sandbox):
    section = IamSection(users=[UserSpec(name="bot", access_keys=[AccessKeySpec(age_days=30)])])
    sandbox.seed(sandbox.scenario("sample").with_section("iam", section).only("iam", "root"))
    [finding] = _audit(["sec.access-key-unused"]).findings
    assert (finding.status, finding.resource) == (Status.FAIL, arn("bot"))
    assert finding.message == (
        "Access key 1 of IAM user bot was never used and is 30 days old (limit 7 days)."
    )


@pytest.mark.parametrize(
    ("action", "checks"),
    [
        ("iam:GetCredentialReport", IAM_CHECKS[:4]),
        ("iam:GenerateCredentialReport", IAM_CHECKS[:4]),
        ("iam:GetAccountPasswordPolicy", IAM_CHECKS[4:]),
    ],
)
def test_access_denied_makes_the_readers_error(sandbox, monkeypatch, action, checks):
    sandbox.seed(sandbox.scenario("sample").only("iam", "root"))
    sandbox.enforce_iam(monkeypatch, deny=[action])
    report_ = _audit()
    errors = {
        f.check_id: f.evidence["missing_permission"]
        for f in report_.findings
        if f.status is Status.ERROR
    }
    assert errors == dict.fromkeys(checks, action)
