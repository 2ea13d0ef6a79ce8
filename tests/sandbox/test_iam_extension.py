"""The IAM extension through boto3: AWS's credential report, root MFA, and key history."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from botocore.exceptions import ClientError

from tests.sandbox.shapes import response_problems
from wa_audit.sandbox.extensions.iam import (
    REPORT_COLUMNS,
    KeyUse,
    RootAccessKey,
    backdate_access_key,
    root_user,
)

ACCOUNT = "123456789012"
NOW = datetime.now(UTC).replace(microsecond=0)


def _report(iam: Any) -> tuple[dict[str, Any], list[dict[str, str]]]:
    assert iam.generate_credential_report()["State"] == "STARTED"
    assert iam.generate_credential_report()["State"] == "COMPLETE"
    response = iam.get_credential_report()
    rows = list(csv.DictReader(io.StringIO(response["Content"].decode())))
    return response, rows


def test_report_is_not_present_before_it_is_generated(sandbox):
    with pytest.raises(ClientError) as raised:
        sandbox.client("iam").get_credential_report()
    assert raised.value.response["Error"]["Code"] == "ReportNotPresent"


def test_credential_report_has_the_root_row_first_in_aws_format(sandbox):
    root = root_user(sandbox.state, ACCOUNT)
    root.created = NOW - timedelta(days=900)
    root.password_last_used = NOW - timedelta(days=4)
    root.mfa = "virtual"
    root.access_keys = [
        RootAccessKey(
            created=NOW - timedelta(days=800),
            last_used=KeyUse(NOW - timedelta(days=2), "eu-west-1", "s3"),
        )
    ]
    response, rows = _report(sandbox.client("iam"))

    assert response_problems("iam", "GetCredentialReport", response) == []
    assert response["ReportFormat"] == "text/csv"
    assert abs(response["GeneratedTime"] - datetime.now(UTC)) < timedelta(minutes=1)
    assert list(rows[0]) == REPORT_COLUMNS
    assert rows[0] == {
        "user": "<root_account>",
        "arn": f"arn:aws:iam::{ACCOUNT}:root",
        "user_creation_time": (NOW - timedelta(days=900)).isoformat(),
        # AWS: "The value for the AWS account root user is always not_supported."
        "password_enabled": "not_supported",
        "password_last_used": (NOW - timedelta(days=4)).isoformat(),
        "password_last_changed": "not_supported",
        "password_next_rotation": "not_supported",
        "mfa_active": "true",
        "access_key_1_active": "true",
        "access_key_1_last_rotated": (NOW - timedelta(days=800)).isoformat(),
        "access_key_1_last_used_date": (NOW - timedelta(days=2)).isoformat(),
        "access_key_1_last_used_region": "eu-west-1",
        "access_key_1_last_used_service": "s3",
        "access_key_2_active": "false",
        "access_key_2_last_rotated": "N/A",
        "access_key_2_last_used_date": "N/A",
        "access_key_2_last_used_region": "N/A",
        "access_key_2_last_used_service": "N/A",
        "cert_1_active": "false",
        "cert_1_last_rotated": "N/A",
        "cert_2_active": "false",
        "cert_2_last_rotated": "N/A",
    }


def test_user_rows_use_aws_markers_and_reflect_backdated_keys(sandbox):
    iam = sandbox.client("iam")
    iam.create_user(UserName="ci-deploy")
    key = iam.create_access_key(UserName="ci-deploy")["AccessKey"]["AccessKeyId"]
    created, used = NOW - timedelta(days=200), NOW - timedelta(days=120)
    backdate_access_key(ACCOUNT, key, created, KeyUse(used, "us-east-1", "s3"))
    iam.create_user(UserName="alice")
    iam.create_login_profile(UserName="alice", Password="Sandbox-only-1!")

    _, rows = _report(iam)
    by_user = {row["user"]: row for row in rows}
    ci = by_user["ci-deploy"]
    assert (ci["password_enabled"], ci["password_last_used"], ci["password_last_changed"]) == (
        "false",
        "N/A",
        "N/A",
    )
    assert ci["access_key_1_last_rotated"] == created.isoformat()
    assert ci["access_key_1_last_used_date"] == used.isoformat()
    assert (ci["access_key_1_last_used_region"], ci["access_key_1_last_used_service"]) == (
        "us-east-1",
        "s3",
    )
    assert by_user["alice"]["password_last_used"] == "no_information"  # a password never used
    assert by_user["alice"]["access_key_1_last_used_date"] == "N/A"

    # Every other API agrees with the report about the key's past.
    [listed] = iam.list_access_keys(UserName="ci-deploy")["AccessKeyMetadata"]
    assert listed["CreateDate"] == created
    assert (
        iam.get_access_key_last_used(AccessKeyId=key)["AccessKeyLastUsed"]["LastUsedDate"] == used
    )


def test_root_without_credentials_reports_no_password_use(sandbox):
    root = root_user(sandbox.state, ACCOUNT)
    root.password = False
    _, rows = _report(sandbox.client("iam"))
    assert (rows[0]["password_enabled"], rows[0]["password_last_used"]) == ("not_supported", "N/A")


ROOT_FLAGS = (
    "AccountPasswordPresent",
    "AccountAccessKeysPresent",
    "AccountSigningCertificatesPresent",
    "AccountMFAEnabled",
)


def test_account_summary_reflects_root_state(sandbox):
    root = root_user(sandbox.state, ACCOUNT)
    root.mfa = "hardware"
    root.access_keys = [RootAccessKey(created=NOW)]
    summary = sandbox.client("iam").get_account_summary()
    assert response_problems("iam", "GetAccountSummary", summary) == []
    assert [summary["SummaryMap"][key] for key in ROOT_FLAGS] == [1, 1, 0, 1]


def test_account_summary_of_a_root_without_credentials(sandbox):
    root_user(sandbox.state, ACCOUNT).password = False
    summary = sandbox.client("iam").get_account_summary()
    assert response_problems("iam", "GetAccountSummary", summary) == []
    assert [summary["SummaryMap"][key] for key in ROOT_FLAGS] == [0, 0, 0, 0]
    assert summary["SummaryMap"]["Users"] == 0  # moto's own entries are kept


def test_root_virtual_mfa_is_listed_like_aws_and_seeds_are_not(sandbox):
    iam = sandbox.client("iam")
    root_user(sandbox.state, ACCOUNT).mfa = "virtual"
    iam.create_user(UserName="alice")
    serial = iam.create_virtual_mfa_device(VirtualMFADeviceName="alice")["VirtualMFADevice"][
        "SerialNumber"
    ]
    iam.enable_mfa_device(
        UserName="alice",
        SerialNumber=serial,
        AuthenticationCode1="123456",
        AuthenticationCode2="654321",
    )

    response = iam.list_virtual_mfa_devices(AssignmentStatus="Assigned")
    devices = {d["SerialNumber"]: d for d in response["VirtualMFADevices"]}
    root_serial = f"arn:aws:iam::{ACCOUNT}:mfa/root-account-mfa-device"
    root_device = devices[root_serial]
    assert root_device["User"]["Arn"] == f"arn:aws:iam::{ACCOUNT}:root"
    assert root_device["User"]["UserId"] == ACCOUNT
    assert devices[serial]["User"]["Arn"] == f"arn:aws:iam::{ACCOUNT}:user/alice"
    assert all("Base32StringSeed" not in d and "QRCodePNG" not in d for d in devices.values())
    # The root user has no path or user name; everything else conforms.
    at = list(devices).index(root_serial)
    assert response_problems("iam", "ListVirtualMFADevices", response) == [
        f"ListVirtualMFADevices.VirtualMFADevices[{at}].User: missing required member 'Path'",
        f"ListVirtualMFADevices.VirtualMFADevices[{at}].User: missing required member 'UserName'",
    ]
    assert iam.list_virtual_mfa_devices(AssignmentStatus="Unassigned")["VirtualMFADevices"] == []


def test_hardware_root_mfa_is_not_a_virtual_device(sandbox):
    root_user(sandbox.state, ACCOUNT).mfa = "hardware"
    assert sandbox.client("iam").list_virtual_mfa_devices()["VirtualMFADevices"] == []


def test_root_virtual_mfa_appears_once_across_pages(sandbox):
    iam = sandbox.client("iam")
    root_user(sandbox.state, ACCOUNT).mfa = "virtual"
    for name in ("alice", "bob"):
        iam.create_user(UserName=name)
        serial = iam.create_virtual_mfa_device(VirtualMFADeviceName=name)["VirtualMFADevice"][
            "SerialNumber"
        ]
        iam.enable_mfa_device(
            UserName=name,
            SerialNumber=serial,
            AuthenticationCode1="123456",
            AuthenticationCode2="654321",
        )
    pages = iam.get_paginator("list_virtual_mfa_devices").paginate(PaginationConfig={"PageSize": 1})
    serials = [d["SerialNumber"] for page in pages for d in page["VirtualMFADevices"]]
    assert serials == [
        f"arn:aws:iam::{ACCOUNT}:mfa/alice",
        f"arn:aws:iam::{ACCOUNT}:mfa/bob",
        f"arn:aws:iam::{ACCOUNT}:mfa/root-account-mfa-device",
    ]
