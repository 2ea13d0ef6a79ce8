"""ElastiCache facts: replication groups (Valkey/Redis OSS) and cache clusters (every engine).

A Valkey or Redis OSS deployment with replicas, failover or cluster mode is a replication group;
its nodes are also listed as cache clusters carrying its ``ReplicationGroupId``. A cache cluster
without one is a standalone deployment: a single Valkey/Redis OSS node, or a Memcached cluster.
Serverless caches (DescribeServerlessCaches) are always encrypted and spread over zones, so they
are not read here.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict

from wa_audit.facts.base import FetchContext, fact

MEMCACHED = "memcached"


class _Cache(BaseModel):
    model_config = ConfigDict(frozen=True)

    id: str
    arn: str
    engine: str
    node_type: str
    snapshot_retention_days: int
    at_rest_encryption: bool
    transit_encryption: bool


class ReplicationGroup(_Cache):
    automatic_failover: str
    """enabled, disabled, enabling or disabling."""
    multi_az: str
    """enabled or disabled."""
    member_clusters: tuple[str, ...]
    cluster_mode: bool


class CacheCluster(_Cache):
    replication_group_id: str | None
    nodes: int
    preferred_zone: str
    """An Availability Zone, or ``Multiple`` for Memcached nodes spread over zones."""

    @property
    def memcached(self) -> bool:
        return self.engine == MEMCACHED


def _common(raw: dict[str, Any], key: str, engine: str) -> dict[str, Any]:
    return {
        "id": raw[key],
        "arn": raw["ARN"],
        "engine": engine,
        "node_type": raw.get("CacheNodeType", ""),
        "snapshot_retention_days": raw.get("SnapshotRetentionLimit", 0),
        "at_rest_encryption": raw.get("AtRestEncryptionEnabled", False),
        "transit_encryption": raw.get("TransitEncryptionEnabled", False),
    }


@fact(
    "elasticache.replication_groups",
    regional=True,
    permissions=["elasticache:DescribeReplicationGroups"],
)
def replication_groups(ctx: FetchContext) -> tuple[ReplicationGroup, ...]:
    """``Engine`` is recent in the model: a group without it predates Valkey, so Redis OSS."""
    return tuple(
        ReplicationGroup(
            **_common(raw, "ReplicationGroupId", raw.get("Engine", "redis")),
            automatic_failover=raw.get("AutomaticFailover", "disabled"),
            multi_az=raw.get("MultiAZ", "disabled"),
            member_clusters=tuple(raw.get("MemberClusters", ())),
            cluster_mode=raw.get("ClusterEnabled", False),
        )
        for raw in ctx.paginate("elasticache", "describe_replication_groups", "ReplicationGroups")
    )


@fact(
    "elasticache.cache_clusters", regional=True, permissions=["elasticache:DescribeCacheClusters"]
)
def cache_clusters(ctx: FetchContext) -> tuple[CacheCluster, ...]:
    return tuple(
        CacheCluster(
            **_common(raw, "CacheClusterId", raw.get("Engine", "")),
            replication_group_id=raw.get("ReplicationGroupId"),
            nodes=raw.get("NumCacheNodes", 0),
            preferred_zone=raw.get("PreferredAvailabilityZone", ""),
        )
        for raw in ctx.paginate("elasticache", "describe_cache_clusters", "CacheClusters")
    )
