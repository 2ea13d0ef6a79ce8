"""RDS facts: DB instances, Aurora clusters, and the account's RDS quotas with their usage."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict

from wa_audit.facts.base import FetchContext, fact


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True)


class _Database(_Model):
    id: str
    arn: str
    engine: str
    multi_az: bool
    backup_retention_days: int
    replica_source: str | None = None
    """The source this database replicates, if it is a read replica (instance or cluster)."""
    storage_encrypted: bool = False
    tags: dict[str, str] = {}


class DbInstance(_Database):
    cluster_id: str | None = None
    """Set for Aurora (and Multi-AZ DB cluster) members: their cluster holds backups and failover."""
    instance_class: str = ""
    publicly_accessible: bool = False
    performance_insights: bool = False
    allocated_storage_gib: int = 0
    max_allocated_storage_gib: int | None = None
    """The storage autoscaling ceiling; AWS omits it when storage autoscaling is off."""


class DbCluster(_Database):
    pass


class AccountQuota(_Model):
    used: int
    max: int


def _tags(raw: list[dict[str, str]] | None) -> dict[str, str]:
    return {tag["Key"]: tag["Value"] for tag in raw or []}


def _common(raw: dict[str, Any], kind: str) -> dict[str, Any]:
    """The members DescribeDBInstances and DescribeDBClusters share (``kind``: Instance, Cluster)."""
    return {
        "id": raw[f"DB{kind}Identifier"],
        "arn": raw[f"DB{kind}Arn"],
        "engine": raw.get("Engine", ""),
        "multi_az": raw.get("MultiAZ", False),
        "backup_retention_days": raw.get("BackupRetentionPeriod", 0),
        "replica_source": raw.get("ReadReplicaSourceDBInstanceIdentifier")
        or raw.get("ReadReplicaSourceDBClusterIdentifier")
        or raw.get("ReplicationSourceIdentifier"),
        "storage_encrypted": raw.get("StorageEncrypted", False),
        "tags": _tags(raw.get("TagList")),
    }


@fact("rds.db_instances", regional=True, permissions=["rds:DescribeDBInstances"])
def db_instances(ctx: FetchContext) -> tuple[DbInstance, ...]:
    return tuple(
        DbInstance(
            **_common(raw, "Instance"),
            cluster_id=raw.get("DBClusterIdentifier"),
            instance_class=raw.get("DBInstanceClass", ""),
            publicly_accessible=raw.get("PubliclyAccessible", False),
            performance_insights=raw.get("PerformanceInsightsEnabled", False),
            allocated_storage_gib=raw.get("AllocatedStorage", 0),
            max_allocated_storage_gib=raw.get("MaxAllocatedStorage"),
        )
        for raw in ctx.paginate("rds", "describe_db_instances", "DBInstances")
    )


@fact("rds.db_clusters", regional=True, permissions=["rds:DescribeDBClusters"])
def db_clusters(ctx: FetchContext) -> tuple[DbCluster, ...]:
    return tuple(
        DbCluster(**_common(raw, "Cluster"))
        for raw in ctx.paginate("rds", "describe_db_clusters", "DBClusters")
    )


@fact("rds.account_attributes", regional=True, permissions=["rds:DescribeAccountAttributes"])
def account_attributes(ctx: FetchContext) -> dict[str, AccountQuota]:
    """RDS's own count of what the account uses against each quota (storage in GiB)."""
    response = ctx.client("rds").describe_account_attributes()
    return {
        raw["AccountQuotaName"]: AccountQuota(used=raw["Used"], max=raw["Max"])
        for raw in response["AccountQuotas"]  # optional in the model: absent is not "none used"
    }
