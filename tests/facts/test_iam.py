"""IAM facts against the sandbox: one credential report, the password policy, virtual MFA."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from botocore.stub import Stubber

from tests.helpers import IDENTITY
from wa_audit.aws import AwsSession
from wa_audit.facts import iam as iam_facts
from wa_audit.facts.iam import (
    AccountSummary,
    Backoff,
    credential_report,
    credential_user,
    parse_credential_report,
    password_policy,
    virtual_mfa_devices,
)
from wa_audit.facts.store import FactStore, FactUnavailable
from wa_audit.sandbox.extensions.iam import KeyUse, RootAccessKey, backdate_access_key, root_user

ACCOUNT = "123456789012"
REGION = "us-east-1"
NOW = datetime.now(UTC).replace(microsecond=0)


def _store() -> FactStore:
    session = AwsSession()
    return FactStore(session, session.identity())


@pytest.fixture(autouse=True)
def quick_polls(monkeypatch):
    monkeypatch.setattr(iam_facts, "CREDENTIAL_REPORT_POLL", Backoff(0.01, 0.05, 1.0))


def test_credential_report_is_generated_polled_and_parsed(sandbox):
    root = root_user(sandbox.state, ACCOUNT)
    root.password_last_used = NOW - timedelta(days=3)
    root.access_keys = [RootAccessKey(created=NOW - timedelta(days=500))]
    iam = sandbox.client("iam")
    iam.create_user(UserName="ci-deploy")
    key = iam.create_access_key(UserName="ci-deploy")["AccessKey"]["AccessKeyId"]
    backdate_access_key(
        ACCOUNT, key, NOW - timedelta(days=200), KeyUse(NOW - timedelta(days=120), "eu-west-1")
    )
    store = _store()

    report = store.get(credential_report, REGION)

    assert report.root is not None
    assert report.root.is_root
    assert report.root.arn == f"arn:aws:iam::{ACCOUNT}:root"
    assert report.root.password_last_used == NOW - timedelta(days=3)
    assert [k.slot for k in report.root.active_keys] == [1]
    [user] = report.users
    assert (user.name, user.password_enabled, user.mfa_active) == ("ci-deploy", False, False)
    [usage] = user.access_keys
    assert (usage.slot, usage.active, usage.last_used_region) == (1, True, "eu-west-1")
    assert usage.last_rotated == NOW - timedelta(days=200)
    assert usage.last_used == NOW - timedelta(days=120)
    calls = store.session.calls.by_action()
    # A new report: STARTED, then polled until COMPLETE; downloaded once.
    assert calls["iam:GenerateCredentialReport"] == 2
    assert calls["iam:GetCredentialReport"] == 1


def test_a_report_that_never_completes_is_unavailable_with_aws_reason(monkeypatch):
    """AWS can take long to build a report; no sandbox makes it slow, so Stubber plays AWS here."""
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setattr(iam_facts, "CREDENTIAL_REPORT_POLL", Backoff(0.001, 0.001, 0.0025))
    session = AwsSession()
    client = session.client("iam", REGION)
    stubber = Stubber(client)
    for state in ("STARTED", "INPROGRESS", "INPROGRESS"):
        stubber.add_response("generate_credential_report", {"State": state})
    stubber.add_client_error(
        "get_credential_report",
        service_error_code="ReportInProgress",
        service_message="Report generation in progress",
        http_status_code=404,
    )
    store = FactStore(session, IDENTITY)
    with stubber, pytest.raises(FactUnavailable) as raised:
        store.get(credential_report, REGION)
    assert "ReportInProgress" in raised.value.failure.reason
    stubber.assert_no_pending_responses()


def test_report_markers_parse_to_none():
    row = {
        "user": "<root_account>",
        "arn": "arn:aws:iam::123456789012:root",
        "user_creation_time": "2019-03-01T09:30:00+00:00",
        "password_enabled": "not_supported",
        "password_last_used": "no_information",
        "mfa_active": "false",
        "access_key_1_active": "false",
        "access_key_1_last_rotated": "N/A",
        "access_key_2_active": "false",
        "access_key_2_last_rotated": "2020-01-01T00:00:00+00:00",
        "access_key_2_last_used_date": "N/A",
        "access_key_2_last_used_region": "N/A",
        "access_key_2_last_used_service": "N/A",
        "cert_1_active": "false",
        "cert_2_active": "false",
    }
    user = credential_user(row)
    assert user.password_enabled is None  # not_supported proves nothing either way
    assert user.password_last_used is None
    [inactive] = user.access_keys  # slot 1 is empty, slot 2 holds an inactive key
    assert (inactive.slot, inactive.active, inactive.last_used, inactive.last_used_region) == (
        2,
        False,
        None,
        None,
    )
    assert user.active_keys == ()


NO_ROOT_CREDENTIALS = {
    "AccountPasswordPresent": 0,
    "AccountAccessKeysPresent": 0,
    "AccountSigningCertificatesPresent": 0,
    "AccountMFAEnabled": 0,
}


@pytest.mark.parametrize(
    ("summary", "none_left"),
    [
        (NO_ROOT_CREDENTIALS, True),
        ({**NO_ROOT_CREDENTIALS, "AccountPasswordPresent": 1}, False),
        ({**NO_ROOT_CREDENTIALS, "AccountAccessKeysPresent": 1}, False),
        ({**NO_ROOT_CREDENTIALS, "AccountSigningCertificatesPresent": 1}, False),
        ({**NO_ROOT_CREDENTIALS, "AccountMFAEnabled": 1}, False),
        # A key AWS did not send proves nothing.
        ({k: v for k, v in NO_ROOT_CREDENTIALS.items() if k != "AccountPasswordPresent"}, False),
    ],
)
def test_root_without_credentials_is_read_from_the_account_summary(summary, none_left):
    assert AccountSummary(summary=summary).root_has_no_credentials is none_left


def test_a_report_missing_columns_is_a_shape_error():
    from pydantic import ValidationError

    with pytest.raises(ValidationError):
        parse_credential_report(b"user,arn\nalice,arn:aws:iam::1:user/alice\n", None)


def test_backoff_doubles_up_to_the_cap_within_the_deadline():
    assert Backoff(first=0.25, longest=1.0, deadline=3.0).delays() == [0.25, 0.5, 1.0, 1.0]


def test_no_password_policy_is_a_value_not_an_error(sandbox):
    assert _store().get(password_policy, REGION).exists is False


def test_password_policy_is_read(sandbox):
    sandbox.client("iam").update_account_password_policy(
        MinimumPasswordLength=14, PasswordReusePrevention=24, RequireSymbols=True
    )
    policy = _store().get(password_policy, REGION)
    assert (policy.exists, policy.minimum_length, policy.reuse_prevention) == (True, 14, 24)
    assert policy.require_symbols is True


def test_root_virtual_mfa_device_is_told_apart(sandbox):
    root_user(sandbox.state, ACCOUNT).mfa = "virtual"
    devices = _store().get(virtual_mfa_devices, REGION)
    [root_device] = devices.assigned_to(f"arn:aws:iam::{ACCOUNT}:root")
    assert root_device.serial_number == f"arn:aws:iam::{ACCOUNT}:mfa/root-account-mfa-device"
