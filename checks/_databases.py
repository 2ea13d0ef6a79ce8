"""What several database checks share: the tables of database classes (previous generations,
where Performance Insights is unavailable), and which
RDS and ElastiCache resources carry a setting once (a cluster for its members)."""

from __future__ import annotations

import tomllib
from collections.abc import Iterator
from dataclasses import dataclass
from fnmatch import fnmatchcase
from functools import cache
from importlib.resources import files

from wa_audit.context import CheckContext
from wa_audit.facts import elasticache, rds


@dataclass(frozen=True)
class DatabaseClasses:
    rds: dict[str, str]
    elasticache: dict[str, str]
    insights_unsupported: dict[str, list[str]]

    def insights_supported(self, engine: str, class_name: str) -> bool:
        patterns = self.insights_unsupported.get(engine, [])
        return not any(fnmatchcase(class_name, pattern) for pattern in patterns)


@cache
def database_classes() -> DatabaseClasses:
    text = files("wa_audit.checks").joinpath("database_classes.toml").read_text(encoding="utf-8")
    data = tomllib.loads(text)
    return DatabaseClasses(
        rds=dict(data["rds_previous_generation"]),
        elasticache=dict(data["elasticache_previous_generation"]),
        insights_unsupported=dict(data["performance_insights_unsupported"]),
    )


def rds_databases(ctx: CheckContext) -> Iterator[tuple[str, rds.DbInstance | rds.DbCluster]]:
    """Standalone DB instances and clusters: members share their cluster's storage and backups."""
    for db in ctx.fact(rds.db_instances):
        if db.cluster_id is None:
            yield "DB instance", db
    for cluster in ctx.fact(rds.db_clusters):
        yield "DB cluster", cluster


def persistent_caches(
    ctx: CheckContext,
) -> Iterator[tuple[str, elasticache.ReplicationGroup | elasticache.CacheCluster]]:
    """Valkey/Redis OSS deployments, each once: replication groups, then standalone nodes.

    Memcached keeps no data beyond memory (no replicas, no snapshots), so failover and backups
    do not apply to it; the nodes of a replication group are assessed with their group.
    """
    for group in ctx.fact(elasticache.replication_groups):
        yield "Replication group", group
    for cluster in ctx.fact(elasticache.cache_clusters):
        if cluster.replication_group_id is None and not cluster.memcached:
            yield "Cache cluster", cluster
