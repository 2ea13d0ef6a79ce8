"""Sandbox corrections behind the quota and reliability facts: EC2 CpuOptions, RDS account
attributes, Lambda account settings, AWS Backup selections. Each answer fits botocore's shape."""

from __future__ import annotations

import io
import zipfile

import pytest
from botocore.exceptions import ClientError

from tests.sandbox.shapes import capture_wire, response_problems, wire_problems
from wa_audit.sandbox.extensions.servicequotas import set_applied_value

ACCOUNT = "123456789012"
REGION = "us-east-1"


def _instance_cpu(ec2, instance_id: str) -> dict[str, int]:
    [reservation] = ec2.describe_instances(InstanceIds=[instance_id])["Reservations"]
    return reservation["Instances"][0]["CpuOptions"]


@pytest.mark.parametrize(
    ("instance_type", "cpu_options", "expected"),
    [
        ("m5.xlarge", None, {"CoreCount": 2, "ThreadsPerCore": 2}),  # type default: 4 vCPUs
        ("t2.micro", None, {"CoreCount": 1, "ThreadsPerCore": 1}),  # no hyper-threading
        ("m6g.large", None, {"CoreCount": 2, "ThreadsPerCore": 1}),  # Graviton
        ("m5.xlarge", {"CoreCount": 1, "ThreadsPerCore": 1}, {"CoreCount": 1, "ThreadsPerCore": 1}),
    ],
)
def test_instances_report_cpu_options(sandbox, instance_type, cpu_options, expected):
    ec2 = sandbox.client("ec2")
    launch = {
        "ImageId": "ami-12345678",
        "InstanceType": instance_type,
        "MinCount": 1,
        "MaxCount": 1,
    }
    if cpu_options:
        launch["CpuOptions"] = cpu_options
    [launched] = ec2.run_instances(**launch)["Instances"]
    assert launched["CpuOptions"] == expected
    assert _instance_cpu(ec2, launched["InstanceId"]) == expected
    assert response_problems("ec2", "DescribeInstances", ec2.describe_instances()) == []


def test_rds_account_attributes_count_usage_against_the_quotas(sandbox):
    rds = sandbox.client("rds")
    for name, storage in (("orders", 100), ("users", 20)):
        rds.create_db_instance(
            DBInstanceIdentifier=name,
            DBInstanceClass="db.t3.micro",
            Engine="postgres",
            AllocatedStorage=storage,
            MasterUsername="admin",
            MasterUserPassword="not-a-real-password",
        )
    set_applied_value(sandbox.state, ACCOUNT, REGION, "rds", "L-7B6409FD", 60)
    answer = rds.describe_account_attributes()
    assert response_problems("rds", "DescribeAccountAttributes", answer) == []
    quotas = {q["AccountQuotaName"]: (q["Used"], q["Max"]) for q in answer["AccountQuotas"]}
    assert quotas["DBInstances"] == (2, 60)
    assert quotas["AllocatedStorage"] == (120, 100000)
    assert quotas["DBClusters"] == (0, 40)


def _zipped_handler() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("handler.py", "def handle(event, context):\n    return event\n")
    return buffer.getvalue()


def test_lambda_account_settings_follow_functions_and_quotas(sandbox):
    role = sandbox.client("iam").create_role(
        RoleName="fn", AssumeRolePolicyDocument='{"Version": "2012-10-17", "Statement": []}'
    )["Role"]["Arn"]
    lam = sandbox.client("lambda")
    lam.create_function(
        FunctionName="resize",
        Runtime="python3.12",
        Role=role,
        Handler="handler.handle",
        Code={"ZipFile": _zipped_handler()},
    )
    lam.put_function_concurrency(FunctionName="resize", ReservedConcurrentExecutions=100)
    set_applied_value(sandbox.state, ACCOUNT, REGION, "lambda", "L-B99A9384", 3000)
    with capture_wire(lam) as bodies:
        settings = lam.get_account_settings()
    assert response_problems("lambda", "GetAccountSettings", settings) == []
    assert wire_problems("lambda", "GetAccountSettings", bodies["GetAccountSettings"]) == []
    limit, usage = settings["AccountLimit"], settings["AccountUsage"]
    assert (limit["ConcurrentExecutions"], limit["UnreservedConcurrentExecutions"]) == (3000, 2900)
    assert limit["TotalCodeSize"] == 75 * 1024**3
    assert usage["FunctionCount"] == 1
    assert usage["TotalCodeSize"] > 0


def test_backup_selections_are_kept_per_plan(sandbox):
    backup = sandbox.client("backup")
    plan = backup.create_backup_plan(
        BackupPlan={
            "BackupPlanName": "daily",
            "Rules": [{"RuleName": "r", "TargetBackupVaultName": "Default"}],
        }
    )["BackupPlanId"]
    selection = {
        "SelectionName": "tagged",
        "IamRoleArn": f"arn:aws:iam::{ACCOUNT}:role/backup",
        "Resources": ["arn:aws:dynamodb:*:*:table/*"],
        "ListOfTags": [
            {"ConditionType": "STRINGEQUALS", "ConditionKey": "backup", "ConditionValue": "daily"}
        ],
    }
    with capture_wire(backup) as bodies:
        created = backup.create_backup_selection(BackupPlanId=plan, BackupSelection=selection)
        listed = backup.list_backup_selections(BackupPlanId=plan)
        fetched = backup.get_backup_selection(BackupPlanId=plan, SelectionId=created["SelectionId"])
    for operation, answer in (
        ("CreateBackupSelection", created),
        ("ListBackupSelections", listed),
        ("GetBackupSelection", fetched),
    ):
        assert response_problems("backup", operation, answer) == []
        assert wire_problems("backup", operation, bodies[operation]) == []
    assert [s["SelectionId"] for s in listed["BackupSelectionsList"]] == [created["SelectionId"]]
    assert fetched["BackupSelection"]["Resources"] == selection["Resources"]
    with pytest.raises(ClientError) as unknown:
        backup.list_backup_selections(BackupPlanId="no-such-plan")
    assert unknown.value.response["Error"]["Code"] == "ResourceNotFoundException"
    assert sandbox.client("backup", "eu-west-1").list_backup_plans()["BackupPlansList"] == []
