"""IAM in the sandbox as AWS does it: the signature checked for every service (wrong keys refused,
right keys accepted, whatever the request's shape), then the action AWS's IAM names, denied in the
service's own error shape."""

from __future__ import annotations

import boto3
import pytest
from botocore.exceptions import ClientError

from wa_audit.aws import keep_host_labels_off_local_endpoint
from wa_audit.exitcodes import ExitCode

REGION = "us-east-1"
ACCOUNT = "123456789012"

# (service, operation, kwargs, IAM action): REST GETs without parameters (moto hashed its headers
# as the body), JSON and query services, an extension, CloudWatch (signs as `monitoring`) and
# S3 Control (moto names the action `s3:GetPublicAccessBlock`).
CALLS = [
    ("guardduty", "list_detectors", {}, "guardduty:ListDetectors"),
    ("securityhub", "describe_hub", {}, "securityhub:DescribeHub"),
    ("backup", "list_backup_plans", {}, "backup:ListBackupPlans"),
    ("backup", "list_backup_vaults", {}, "backup:ListBackupVaults"),
    ("dynamodb", "list_tables", {}, "dynamodb:ListTables"),
    ("rds", "describe_db_instances", {}, "rds:DescribeDBInstances"),
    ("cloudwatch", "describe_alarms", {}, "cloudwatch:DescribeAlarms"),
    ("budgets", "describe_budgets", {"AccountId": ACCOUNT}, "budgets:ViewBudget"),
    ("s3", "list_buckets", {"MaxBuckets": 10}, "s3:ListAllMyBuckets"),
    (
        "s3control",
        "get_public_access_block",
        {"AccountId": ACCOUNT},
        "s3:GetAccountPublicAccessBlock",
    ),
]
IDS = [call[1] for call in CALLS]
# What a call answers when allowed on an empty account: not an IAM error.
NOT_IAM = {"InvalidAccessException", "NoSuchPublicAccessBlockConfiguration"}


def _client(sandbox, service: str, key: dict[str, str], secret: str | None = None):
    client = boto3.client(
        service,
        region_name=REGION,
        endpoint_url=sandbox.url,
        aws_access_key_id=key["AccessKeyId"],
        aws_secret_access_key=secret or key["SecretAccessKey"],
    )
    keep_host_labels_off_local_endpoint(client)
    return client


def _call(sandbox, call, key, secret=None) -> str | None:
    """The error code of the call, None when it succeeds."""
    service, operation, kwargs, _ = call
    try:
        getattr(_client(sandbox, service, key, secret), operation)(**kwargs)
    except ClientError as error:
        return str(error.response["Error"]["Code"])
    return None


def _allow(actions: list[str]) -> dict:
    statement = {"Effect": "Allow", "Action": actions, "Resource": "*"}
    return {"Version": "2012-10-17", "Statement": [statement]}


@pytest.fixture
def keys(sandbox, monkeypatch):
    """A user allowed exactly the actions of CALLS, one allowed nothing; enforcement on."""
    allowed = sandbox.user_with_policy("allowed", _allow([call[3] for call in CALLS]))
    nothing = sandbox.user_with_policy("nothing", _allow(["sts:GetCallerIdentity"]))
    sandbox.act_as(monkeypatch, allowed)
    return allowed, nothing


@pytest.mark.parametrize("call", CALLS, ids=IDS)
def test_the_right_key_and_action_are_accepted(sandbox, keys, call):
    assert _call(sandbox, call, keys[0]) in NOT_IAM | {None}


@pytest.mark.parametrize("call", CALLS, ids=IDS)
def test_a_wrong_secret_is_refused(sandbox, keys, call):
    assert _call(sandbox, call, keys[0], secret="not-the-secret") == "SignatureDoesNotMatch"


@pytest.mark.parametrize("call", CALLS, ids=IDS)
def test_an_action_not_granted_is_denied_naming_it(sandbox, keys, call):
    service, operation, kwargs, action = call
    with pytest.raises(ClientError) as raised:
        getattr(_client(sandbox, service, keys[1]), operation)(**kwargs)
    error = raised.value.response["Error"]
    assert error["Code"] in ("AccessDenied", "AccessDeniedException")
    assert error["Message"].endswith(f"is not authorized to perform: {action}")
    assert raised.value.response["ResponseMetadata"]["HTTPStatusCode"] == 403


def test_an_unknown_key_is_refused(sandbox, keys):
    unknown = {"AccessKeyId": "AKIAUNKNOWNUNKNOWN12", "SecretAccessKey": "x"}
    assert _call(sandbox, CALLS[0], unknown) == "InvalidClientTokenId"


def test_the_cli_with_a_wrong_secret_exits_4(sandbox, keys, monkeypatch, run_cli, tmp_path):
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "not-the-secret")
    result = run_cli("run", "--region", REGION, "--output-dir", str(tmp_path), "--quiet")
    assert result.exit_code == ExitCode.CANNOT_AUDIT, result.output
    assert "SignatureDoesNotMatch" in result.output
