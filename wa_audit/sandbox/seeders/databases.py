"""The databases section: ElastiCache caches, provisioned DynamoDB tables and their auto scaling,
AWS Backup vaults with their lock and recovery points, and restore testing plans."""

from __future__ import annotations

import json
from typing import Literal

from pydantic import Field

from wa_audit.sandbox.scenario import SectionModel, SeedEnv, Seeder
from wa_audit.sandbox.seeders.backup import BACKUP_ROLE

CAPACITY = ("Read", "Write")
DENY_DELETION = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Effect": "Deny",
            "Principal": {"AWS": "*"},
            "Action": ["backup:DeleteRecoveryPoint", "backup:UpdateRecoveryPointLifecycle"],
            "Resource": "*",
        }
    ],
}


class Cache(SectionModel):
    region: str
    id: str
    engine: Literal["redis", "valkey", "memcached"] = "redis"
    node_type: str = "cache.t4g.small"
    replicas: int = Field(default=0, ge=0, description="0: a standalone cache cluster.")
    automatic_failover: bool = False
    multi_az: bool = False
    at_rest_encryption: bool = False
    transit_encryption: bool = False
    snapshot_retention_days: int = 0


class ProvisionedTable(SectionModel):
    region: str
    name: str
    read_capacity: int = 5
    write_capacity: int = 5
    auto_scaling: bool = False
    """Register read and write capacity with Application Auto Scaling, with target tracking."""
    point_in_time_recovery: bool = False


class Vault(SectionModel):
    region: str
    name: str
    locked: bool = False
    min_retention_days: int = 7
    recovery_points: int = Field(default=0, ge=0, description="Backup jobs run into the vault.")
    deny_deletion_policy: bool = False
    """An access policy denying everyone backup:DeleteRecoveryPoint."""
    protected_resource: str = "arn:aws:dynamodb:{region}:{account_id}:table/mublog-timeline"


class RestoreTestingPlan(SectionModel):
    region: str
    name: str
    schedule: str = "cron(0 6 ? * SAT *)"


class DatabasesSection(SectionModel):
    caches: tuple[Cache, ...] = ()
    tables: tuple[ProvisionedTable, ...] = ()
    vaults: tuple[Vault, ...] = ()
    restore_testing_plans: tuple[RestoreTestingPlan, ...] = ()


def _cache(cache: Cache, env: SeedEnv) -> None:
    client = env.client("elasticache", cache.region)
    if cache.replicas == 0:
        client.create_cache_cluster(
            CacheClusterId=cache.id,
            Engine=cache.engine,
            CacheNodeType=cache.node_type,
            NumCacheNodes=1,
            SnapshotRetentionLimit=cache.snapshot_retention_days,
            TransitEncryptionEnabled=cache.transit_encryption,
        )
        return
    client.create_replication_group(
        ReplicationGroupId=cache.id,
        ReplicationGroupDescription=f"{cache.id} ({cache.engine})",
        Engine=cache.engine,
        CacheNodeType=cache.node_type,
        NumCacheClusters=cache.replicas + 1,
        AutomaticFailoverEnabled=cache.automatic_failover,
        MultiAZEnabled=cache.multi_az,
        AtRestEncryptionEnabled=cache.at_rest_encryption,
        TransitEncryptionEnabled=cache.transit_encryption,
        SnapshotRetentionLimit=cache.snapshot_retention_days,
    )


def _table(table: ProvisionedTable, env: SeedEnv) -> None:
    env.client("dynamodb", table.region).create_table(
        TableName=table.name,
        BillingMode="PROVISIONED",
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
        ProvisionedThroughput={
            "ReadCapacityUnits": table.read_capacity,
            "WriteCapacityUnits": table.write_capacity,
        },
    )
    if table.point_in_time_recovery:
        env.client("dynamodb", table.region).update_continuous_backups(
            TableName=table.name,
            PointInTimeRecoverySpecification={"PointInTimeRecoveryEnabled": True},
        )
    if not table.auto_scaling:
        return
    scaling = env.client("application-autoscaling", table.region)
    for kind in CAPACITY:
        target = {
            "ServiceNamespace": "dynamodb",
            "ResourceId": f"table/{table.name}",
            "ScalableDimension": f"dynamodb:table:{kind}CapacityUnits",
        }
        scaling.register_scalable_target(**target, MinCapacity=5, MaxCapacity=500)
        scaling.put_scaling_policy(
            **target,
            PolicyName=f"{table.name}-{kind.lower()}-target-tracking",
            PolicyType="TargetTrackingScaling",
            TargetTrackingScalingPolicyConfiguration={
                "TargetValue": 70.0,
                "PredefinedMetricSpecification": {
                    "PredefinedMetricType": f"DynamoDB{kind}CapacityUtilization"
                },
            },
        )


def _vault(vault: Vault, env: SeedEnv) -> None:
    backup = env.client("backup", vault.region)
    backup.create_backup_vault(BackupVaultName=vault.name)
    if vault.locked:
        backup.put_backup_vault_lock_configuration(
            BackupVaultName=vault.name, MinRetentionDays=vault.min_retention_days
        )
    if vault.deny_deletion_policy:
        backup.put_backup_vault_access_policy(
            BackupVaultName=vault.name, Policy=json.dumps(DENY_DELETION)
        )
    resource = vault.protected_resource.format(region=vault.region, account_id=env.account_id)
    for _ in range(vault.recovery_points):
        backup.start_backup_job(
            BackupVaultName=vault.name,
            ResourceArn=resource,
            IamRoleArn=f"arn:aws:iam::{env.account_id}:role/service-role/{BACKUP_ROLE}",
        )


def seed_databases(section: DatabasesSection, env: SeedEnv) -> None:
    for cache in section.caches:
        _cache(cache, env)
    for table in section.tables:
        _table(table, env)
    for vault in section.vaults:
        _vault(vault, env)
    for plan in section.restore_testing_plans:
        env.client("backup", plan.region).create_restore_testing_plan(
            RestoreTestingPlan={
                "RestoreTestingPlanName": plan.name,
                "ScheduleExpression": plan.schedule,
                "RecoveryPointSelection": {
                    "Algorithm": "LATEST_WITHIN_WINDOW",
                    "IncludeVaults": ["*"],
                    "RecoveryPointTypes": ["SNAPSHOT"],
                    "SelectionWindowDays": 7,
                },
            }
        )


SEEDER = Seeder("databases", DatabasesSection, seed_databases)
