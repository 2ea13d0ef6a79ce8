"""Root-user checks: on facts built in the test, and end to end against the sandbox."""

from __future__ import annotations

from typing import Any

import pytest

from tests.checks.security_facts import ROOT_ARN, key, report, user
from tests.helpers import ACCOUNT_ID, run_on_facts
from wa_audit.aws import AwsSession
from wa_audit.checks.security import (
    RootRecentUseParams,
    root_access_keys,
    root_hardware_mfa,
    root_mfa,
    root_recent_use,
)
from wa_audit.facts.base import Fact
from wa_audit.facts.iam import (
    AccountSummary,
    VirtualMfaDevice,
    VirtualMfaDevices,
    account_summary,
    credential_report,
    virtual_mfa_devices,
)
from wa_audit.facts.organizations import Organization, organization
from wa_audit.facts.store import FactFailure
from wa_audit.models import Status
from wa_audit.registry import discover, select
from wa_audit.runner import RunOptions, run_audit
from wa_audit.sandbox.extensions.iam import root_user
from wa_audit.sandbox.seeders.root import RootSection

NO_MFA = AccountSummary(
    summary={
        "AccountMFAEnabled": 0,
        "AccountPasswordPresent": 1,
        "AccountAccessKeysPresent": 0,
        "AccountSigningCertificatesPresent": 0,
    }
)
WITH_MFA = AccountSummary(summary={**NO_MFA.summary, "AccountMFAEnabled": 1})
NO_ROOT_CREDENTIALS = AccountSummary(summary={**NO_MFA.summary, "AccountPasswordPresent": 0})
STANDALONE = Organization()
MEMBER = Organization(organization_id="o-abc123def4", management_account_id="111111111111")
MANAGEMENT = Organization(organization_id="o-abc123def4", management_account_id=ACCOUNT_ID)


def _root_mfa(summary, membership):
    return run_on_facts(root_mfa, {account_summary: summary, organization: membership})


def _summary(**flags: int) -> AccountSummary:
    return AccountSummary(summary={**NO_ROOT_CREDENTIALS.summary, **flags})


@pytest.mark.parametrize(
    ("summary", "membership", "status"),
    [
        (WITH_MFA, STANDALONE, Status.PASS),
        (NO_MFA, STANDALONE, Status.FAIL),
        (NO_ROOT_CREDENTIALS, MEMBER, Status.NOT_APPLICABLE),
        (NO_MFA, MEMBER, Status.FAIL),
        # A management account's root cannot be removed: whatever the summary says, it needs MFA.
        (NO_ROOT_CREDENTIALS, MANAGEMENT, Status.FAIL),
        (NO_ROOT_CREDENTIALS, STANDALONE, Status.FAIL),
        # An access key or a signing certificate is a credential too.
        (_summary(AccountAccessKeysPresent=1), MEMBER, Status.FAIL),
        (_summary(AccountSigningCertificatesPresent=1), MEMBER, Status.FAIL),
        # A flag AWS did not send proves nothing.
        (AccountSummary(summary={"AccountMFAEnabled": 0}), MEMBER, Status.FAIL),
    ],
)
def test_root_mfa(summary, membership, status):
    [finding] = _root_mfa(summary, membership)
    assert (finding.status, finding.resource, finding.region) == (status, ROOT_ARN, "global")
    assert finding.best_practices == ("SEC01-BP02", "SEC02-BP01")


def test_root_mfa_not_applicable_says_why():
    [finding] = _root_mfa(NO_ROOT_CREDENTIALS, MEMBER)
    assert "member of organization o-abc123def4" in finding.message
    assert "managed centrally" in finding.message
    assert finding.evidence["organization_id"] == "o-abc123def4"
    assert finding.evidence["root_credentials"] == NO_ROOT_CREDENTIALS.summary


@pytest.mark.parametrize(
    ("failed_fact", "action"),
    [
        (account_summary, "iam:GetAccountSummary"),
        (organization, "organizations:DescribeOrganization"),
    ],
)
def test_root_mfa_errors_name_the_missing_permission(failed_fact, action):
    facts: dict[Fact[Any], Any] = {account_summary: NO_MFA, organization: MEMBER}
    del facts[failed_fact]
    failure = FactFailure(f"access denied: grant {action}", action)
    [finding] = run_on_facts(root_mfa, facts, failures={failed_fact: failure})
    assert finding.status is Status.ERROR
    assert finding.evidence["missing_permission"] == action


ROOT_VIRTUAL = VirtualMfaDevice(
    serial_number=f"arn:aws:iam::{ACCOUNT_ID}:mfa/root-account-mfa-device", user_arn=ROOT_ARN
)
USER_VIRTUAL = VirtualMfaDevice(
    serial_number=f"arn:aws:iam::{ACCOUNT_ID}:mfa/alice",
    user_arn=f"arn:aws:iam::{ACCOUNT_ID}:user/alice",
)


@pytest.mark.parametrize(
    ("summary", "devices", "status"),
    [
        (NO_MFA, (), Status.NOT_APPLICABLE),
        (WITH_MFA, (ROOT_VIRTUAL, USER_VIRTUAL), Status.WARN),
        (WITH_MFA, (USER_VIRTUAL,), Status.PASS),  # root has MFA, and it is not virtual
    ],
)
def test_root_hardware_mfa(summary, devices, status):
    [finding] = run_on_facts(
        root_hardware_mfa,
        {account_summary: summary, virtual_mfa_devices: VirtualMfaDevices(devices=devices)},
    )
    assert (finding.status, finding.resource, finding.region) == (status, ROOT_ARN, "global")
    assert finding.best_practices == ("SEC01-BP02", "SEC02-BP01")


def test_root_hardware_mfa_error():
    failure = FactFailure("access denied", "iam:ListVirtualMFADevices")
    [finding] = run_on_facts(
        root_hardware_mfa, {account_summary: WITH_MFA}, failures={virtual_mfa_devices: failure}
    )
    assert finding.status is Status.ERROR
    assert finding.evidence["missing_permission"] == "iam:ListVirtualMFADevices"


@pytest.mark.parametrize(
    ("summary", "status"),
    [
        ({"AccountAccessKeysPresent": 0}, Status.PASS),
        ({"AccountAccessKeysPresent": 1}, Status.FAIL),
    ],
)
def test_root_access_keys(summary, status):
    [finding] = run_on_facts(root_access_keys, {account_summary: AccountSummary(summary=summary)})
    assert (finding.status, finding.resource, finding.region) == (status, ROOT_ARN, "global")
    assert finding.best_practices == ("SEC01-BP02", "SEC02-BP02")


@pytest.mark.parametrize(
    ("root", "params", "status"),
    [
        (user("<root_account>", password=True, password_used=4), None, Status.FAIL),
        (user("<root_account>", password=True, password_used=29), None, Status.FAIL),
        (user("<root_account>", password=True, password_used=30), None, Status.PASS),
        (user("<root_account>", password=True, password_used=None), None, Status.PASS),
        (user("<root_account>", password=True, keys=(key(age=500, used=2),)), None, Status.FAIL),
        (
            user("<root_account>", password=True, password_used=4),
            RootRecentUseParams(days=3),
            Status.PASS,
        ),
    ],
)
def test_root_recent_use(root, params, status):
    [finding] = run_on_facts(root_recent_use, {credential_report: report(root=root)}, params=params)
    assert (finding.status, finding.resource, finding.region) == (status, ROOT_ARN, "global")
    assert finding.best_practices == ("SEC01-BP02",)
    assert finding.evidence["days"] == (params or RootRecentUseParams()).days


def test_root_recent_use_names_what_was_used():
    root = user("<root_account>", password=True, password_used=4, keys=(key(age=500, used=2),))
    [finding] = run_on_facts(root_recent_use, {credential_report: report(root=root)})
    assert finding.message == (
        "The root user was used within the last 30 days: its first access key was last used "
        "2 days ago, its password was last used 4 days ago."
    )
    assert finding.evidence["days_since_use"] == {"password": 4, "access key 1": 2}


def test_root_recent_use_error():
    failure = FactFailure("access denied", "iam:GenerateCredentialReport")
    [finding] = run_on_facts(root_recent_use, {}, failures={credential_report: failure})
    assert finding.status is Status.ERROR


ROOT_CHECKS = [
    "sec.root-mfa",
    "sec.root-hardware-mfa",
    "sec.root-access-keys",
    "sec.root-recent-use",
]


def _audit(checks=ROOT_CHECKS):
    return run_audit(
        AwsSession(), select(discover(), include=checks), RunOptions(regions=("us-east-1",))
    )


@pytest.mark.parametrize(
    ("root", "expected"),
    [
        (
            RootSection(
                mfa="none",
                password_last_used_days_ago=4,
                access_keys=1,
                access_key_last_used_days_ago=2,
            ),
            [Status.FAIL, Status.NOT_APPLICABLE, Status.FAIL, Status.FAIL],
        ),
        (
            RootSection(mfa="virtual", password_last_used_days_ago=45),
            [Status.PASS, Status.WARN, Status.PASS, Status.PASS],
        ),
        (
            RootSection(mfa="hardware", password_last_used_days_ago=130),
            [Status.PASS, Status.PASS, Status.PASS, Status.PASS],
        ),
    ],
)
def test_root_checks_against_sandbox(sandbox, root, expected):
    sandbox.seed(sandbox.scenario("sample").with_section("root", root).only("root"))
    report_ = _audit()
    assert [(f.check_id, f.status, f.resource, f.region) for f in report_.findings] == [
        (check_id, status, ROOT_ARN, "global")
        for check_id, status in zip(ROOT_CHECKS, expected, strict=True)
    ]


def _as_account(client, account_id: str):
    """Requests from ``client`` are attributed to ``account_id`` (the sandbox's account header)."""
    client.meta.events.register(
        "before-sign.*.*",
        lambda request, **_: request.headers.__setitem__("x-moto-account-id", account_id),
    )
    return client


def test_member_account_with_centrally_removed_root_is_not_applicable(sandbox, monkeypatch):
    management = "111111111111"
    organizations = _as_account(sandbox.client("organizations"), management)
    organizations.create_organization(FeatureSet="ALL")
    member = organizations.create_account(Email="app@example.com", AccountName="app")[
        "CreateAccountStatus"
    ]["AccountId"]
    # The member's root credentials were deleted centrally: nothing left to sign in with.
    root_user(sandbox.state, member).password = False
    # Audit the member account with an IAM user's key of its own.
    iam = _as_account(sandbox.client("iam"), member)
    iam.create_user(UserName="auditor")
    access_key = iam.create_access_key(UserName="auditor")["AccessKey"]
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", access_key["AccessKeyId"])
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", access_key["SecretAccessKey"])

    report_ = _audit(["sec.root-mfa", "sec.root-hardware-mfa"])

    assert report_.account_id == member
    assert [(f.check_id, f.status, f.resource) for f in report_.findings] == [
        ("sec.root-mfa", Status.NOT_APPLICABLE, f"arn:aws:iam::{member}:root"),
        ("sec.root-hardware-mfa", Status.NOT_APPLICABLE, f"arn:aws:iam::{member}:root"),
    ]
