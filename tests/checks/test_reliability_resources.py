"""rel.rds-multi-az, rel.rds-backups, rel.backup-plans, rel.asg-multi-az, rel.dynamodb-pitr:
a compliant and a non-compliant account in the sandbox, and ERROR when the read is denied."""

from __future__ import annotations

import pytest

from tests.helpers import run_on_facts
from wa_audit.aws import AwsSession
from wa_audit.checks.reliability import (
    BackupRetentionParams,
    rds_backups,
    rds_multi_az,
)
from wa_audit.facts import rds
from wa_audit.facts.backup import BackupSelection, TagCondition
from wa_audit.models import Status
from wa_audit.registry import discover, select
from wa_audit.runner import RunOptions, run_audit

REGION = "us-east-1"
ACCOUNT = "123456789012"


def _findings(check_id: str, params: dict | None = None):
    checks = select(discover(), include=[check_id])
    options = RunOptions(regions=(REGION,), params={check_id: params} if params else {})
    return run_audit(AwsSession(), checks, options).findings


def _database(sandbox, name: str, **settings) -> str:
    return sandbox.client("rds").create_db_instance(
        DBInstanceIdentifier=name,
        DBInstanceClass="db.t3.micro",
        Engine="postgres",
        AllocatedStorage=20,
        MasterUsername="admin",
        MasterUserPassword="not-a-real-password",
        **settings,
    )["DBInstance"]["DBInstanceArn"]


@pytest.mark.parametrize(("multi_az", "status"), [(True, Status.PASS), (False, Status.FAIL)])
def test_rds_multi_az(sandbox, multi_az, status):
    arn = _database(sandbox, "orders", MultiAZ=multi_az)
    [finding] = _findings("rel.rds-multi-az")
    assert (finding.status, finding.resource, finding.region) == (status, arn, REGION)
    assert finding.best_practices == ("REL10-BP01", "REL11-BP02")


def test_an_aurora_member_is_as_redundant_as_its_cluster():
    member = rds.DbInstance(
        id="writer",
        arn="arn:db:writer",
        engine="aurora-postgresql",
        multi_az=False,
        backup_retention_days=7,
        cluster_id="orders",
    )
    cluster = rds.DbCluster(
        id="orders",
        arn="arn:cluster:orders",
        engine="aurora-postgresql",
        multi_az=True,
        backup_retention_days=7,
    )
    facts = {rds.db_instances: (member,), rds.db_clusters: (cluster,)}
    [finding] = run_on_facts(rds_multi_az, facts, region=REGION)
    assert (finding.status, finding.resource) == (Status.PASS, "arn:db:writer")
    [backups] = run_on_facts(rds_backups, facts, region=REGION, params=BackupRetentionParams())
    assert (backups.status, backups.resource) == (Status.PASS, "arn:cluster:orders")


@pytest.mark.parametrize(
    ("days", "params", "status", "words"),
    [
        (7, None, Status.PASS, "keeps backups 7 days"),
        (1, None, Status.FAIL, "only 1 day; at least 7"),
        (0, None, Status.FAIL, "automated backups off"),
        (3, {"min_retention_days": 3}, Status.PASS, "keeps backups 3 days"),
    ],
)
def test_rds_backup_retention(sandbox, days, params, status, words):
    arn = _database(sandbox, "orders", BackupRetentionPeriod=days)
    [finding] = _findings("rel.rds-backups", params)
    assert (finding.status, finding.resource, finding.region) == (status, arn, REGION)
    assert words in finding.message
    assert finding.evidence["min_retention_days"] == (params or {}).get("min_retention_days", 7)
    assert finding.best_practices == ("REL09-BP01", "REL09-BP03")


def test_a_read_replica_is_not_assessed_its_source_is(sandbox):
    """AWS creates read replicas with backups disabled (botocore's rds model,
    CreateDBInstanceReadReplica); the sandbox answers so, and the replica is NOT_APPLICABLE."""
    source = _database(sandbox, "orders", BackupRetentionPeriod=7)
    replica = sandbox.client("rds").create_db_instance_read_replica(
        DBInstanceIdentifier="orders-read", SourceDBInstanceIdentifier="orders"
    )["DBInstance"]
    assert replica["BackupRetentionPeriod"] == 0
    findings = {f.resource: f for f in _findings("rel.rds-backups")}
    assert {arn: f.status for arn, f in findings.items()} == {
        source: Status.PASS,
        replica["DBInstanceArn"]: Status.NOT_APPLICABLE,
    }
    skipped = findings[replica["DBInstanceArn"]]
    assert "read replica of orders" in skipped.message
    assert skipped.evidence["replica_source"] == "orders"
    assert skipped.best_practices == ("REL09-BP01", "REL09-BP03")


def _db(kind: type[rds.DbInstance] | type[rds.DbCluster], name: str, source: str | None):
    return kind(
        id=name,
        arn=f"arn:db:{name}",
        engine="mysql",
        multi_az=False,
        backup_retention_days=0,
        replica_source=source,
    )


@pytest.mark.parametrize(
    ("replica", "expected"),
    [
        (
            _db(rds.DbInstance, "reporting", "arn:aws:rds:us-east-1:123456789012:cluster:orders"),
            Status.NOT_APPLICABLE,
        ),
        (
            _db(rds.DbCluster, "orders-dr", "arn:aws:rds:eu-west-1:123456789012:cluster:orders"),
            Status.NOT_APPLICABLE,
        ),
        (_db(rds.DbInstance, "standalone", None), Status.FAIL),
    ],
)
def test_replicas_of_clusters_and_replica_clusters_are_not_applicable(replica, expected):
    facts = {
        rds.db_instances: (replica,) if isinstance(replica, rds.DbInstance) else (),
        rds.db_clusters: (replica,) if isinstance(replica, rds.DbCluster) else (),
    }
    [finding] = run_on_facts(rds_backups, facts, region=REGION, params=BackupRetentionParams())
    assert (finding.status, finding.resource) == (expected, replica.arn)


def _table(sandbox, name: str) -> str:
    return sandbox.client("dynamodb").create_table(
        TableName=name,
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST",
    )["TableDescription"]["TableArn"]


@pytest.mark.parametrize(("pitr", "status"), [(True, Status.PASS), (False, Status.FAIL)])
def test_dynamodb_pitr(sandbox, pitr, status):
    arn = _table(sandbox, "timeline")
    sandbox.client("dynamodb").update_continuous_backups(
        TableName="timeline", PointInTimeRecoverySpecification={"PointInTimeRecoveryEnabled": pitr}
    )
    [finding] = _findings("rel.dynamodb-pitr")
    assert (finding.status, finding.resource, finding.region) == (status, arn, REGION)
    assert finding.severity.value == "low"


@pytest.mark.parametrize(
    ("zones", "status"),
    [((f"{REGION}a",), Status.FAIL), ((f"{REGION}a", f"{REGION}b"), Status.PASS)],
)
def test_asg_multi_az(sandbox, zones, status):
    ec2 = sandbox.client("ec2")
    ec2.create_launch_template(
        LaunchTemplateName="web",
        LaunchTemplateData={"ImageId": "ami-12345678", "InstanceType": "t3.micro"},
    )
    autoscaling = sandbox.client("autoscaling")
    autoscaling.create_auto_scaling_group(
        AutoScalingGroupName="web",
        LaunchTemplate={"LaunchTemplateName": "web"},
        MinSize=0,
        MaxSize=2,
        AvailabilityZones=list(zones),
    )
    [group] = autoscaling.describe_auto_scaling_groups()["AutoScalingGroups"]
    [finding] = _findings("rel.asg-multi-az")
    assert (finding.status, finding.resource, finding.region) == (
        status,
        group["AutoScalingGroupARN"],
        REGION,
    )
    assert finding.evidence["availability_zones"] == list(zones)


def _plan(sandbox, selection: dict) -> None:
    backup = sandbox.client("backup")
    plan = backup.create_backup_plan(
        BackupPlan={
            "BackupPlanName": "daily",
            "Rules": [{"RuleName": "r", "TargetBackupVaultName": "Default"}],
        }
    )["BackupPlanId"]
    backup.create_backup_selection(
        BackupPlanId=plan,
        BackupSelection={
            "SelectionName": "all",
            "IamRoleArn": f"arn:aws:iam::{ACCOUNT}:role/b",
            **selection,
        },
    )


def _stateful(sandbox, tagged: bool) -> None:
    _table(sandbox, "timeline")
    if tagged:
        sandbox.client("dynamodb").tag_resource(
            ResourceArn=f"arn:aws:dynamodb:{REGION}:{ACCOUNT}:table/timeline",
            Tags=[{"Key": "backup", "Value": "daily"}],
        )
    sandbox.client("ec2").create_volume(
        AvailabilityZone=f"{REGION}a",
        Size=8,
        TagSpecifications=[
            {
                "ResourceType": "volume",
                "Tags": [{"Key": "backup", "Value": "daily" if tagged else "no"}],
            }
        ],
    )


BY_TAG = {
    "ListOfTags": [
        {"ConditionType": "STRINGEQUALS", "ConditionKey": "backup", "ConditionValue": "daily"}
    ]
}


@pytest.mark.parametrize(
    ("selection", "tagged", "status", "uncovered"),
    [
        (None, False, Status.FAIL, 2),
        ({"Resources": ["*"]}, False, Status.PASS, 0),
        (BY_TAG, True, Status.PASS, 0),
        (BY_TAG, False, Status.FAIL, 2),
        ({"Resources": ["arn:aws:ec2:*:*:volume/*"]}, False, Status.FAIL, 1),
    ],
)
def test_backup_plans_cover_the_stateful_resources(sandbox, selection, tagged, status, uncovered):
    _stateful(sandbox, tagged)
    if selection is not None:
        _plan(sandbox, selection)
    [finding] = _findings("rel.backup-plans")
    assert (finding.status, finding.resource, finding.region) == (
        status,
        f"{ACCOUNT}/{REGION}",
        REGION,
    )
    assert finding.evidence["uncovered"] == uncovered
    assert finding.best_practices == ("REL09-BP01", "REL09-BP03")


def test_no_stateful_resources_is_not_applicable(sandbox):
    [finding] = _findings("rel.backup-plans")
    assert finding.status is Status.NOT_APPLICABLE


def test_selection_rules_follow_aws_backup():
    by_type = BackupSelection(
        plan_id="p",
        plan_name="daily",
        selection_id="s",
        name="volumes",
        resources=("arn:aws:ec2:*:*:volume/*",),
        not_resources=("arn:aws:ec2:*:*:volume/vol-scratch",),
        conditions=(TagCondition(operator="StringNotEquals", key="env", value="test"),),
    )
    volume = "arn:aws:ec2:us-east-1:123456789012:volume/vol-1"
    assert by_type.covers(volume, {"env": "prod"})
    assert not by_type.covers(volume, {"env": "test"})  # a condition filters it out
    assert not by_type.covers("arn:aws:ec2:us-east-1:123456789012:volume/vol-scratch", {})
    assert not by_type.covers("arn:aws:rds:us-east-1:123456789012:db:orders", {})
    like = BackupSelection(
        plan_id="p",
        plan_name="daily",
        selection_id="s",
        name="tagged",
        list_of_tags=(TagCondition(operator="StringEquals", key="backup", value="daily"),),
        conditions=(TagCondition(operator="StringLike", key="team", value="data-*"),),
    )
    assert like.covers("arn:any", {"backup": "daily", "team": "data-eng"})
    assert not like.covers("arn:any", {"backup": "daily", "team": "web"})
    assert not like.covers("arn:any", {"team": "data-eng"})


@pytest.mark.parametrize(
    ("check_id", "denied", "setup"),
    [
        ("rel.rds-multi-az", "rds:DescribeDBInstances", "database"),
        ("rel.rds-backups", "rds:DescribeDBClusters", "database"),
        ("rel.asg-multi-az", "autoscaling:DescribeAutoScalingGroups", None),
        ("rel.dynamodb-pitr", "dynamodb:DescribeContinuousBackups", "table"),
        ("rel.backup-plans", "backup:ListBackupPlans", "plan"),
        ("rel.backup-plans", "backup:ListBackupSelections", "plan"),
        ("rel.backup-plans", "backup:GetBackupSelection", "plan"),
    ],
)
def test_access_denied_is_error_naming_the_permission(
    sandbox, monkeypatch, check_id, denied, setup
):
    if setup == "database":
        _database(sandbox, "orders")
    elif setup == "table":
        _table(sandbox, "timeline")
    elif setup == "plan":
        _stateful(sandbox, tagged=True)
        _plan(sandbox, BY_TAG)
    sandbox.enforce_iam(monkeypatch, deny=[denied])
    [finding] = _findings(check_id)
    assert (finding.status, finding.region) == (Status.ERROR, REGION)
    assert finding.evidence["missing_permission"] == denied
