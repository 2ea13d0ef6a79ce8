"""Security checks of databases and caches: encryption at rest and in transit, public reach."""

from __future__ import annotations

from collections.abc import Iterator

from wa_audit.checks._databases import rds_databases
from wa_audit.checks._findings import verdict
from wa_audit.context import CheckContext
from wa_audit.facts import elasticache, rds
from wa_audit.models import Finding, Pillar, Severity
from wa_audit.registry import check


@check(
    id="sec.elasticache-encryption",
    pillar=Pillar.SECURITY,
    title="ElastiCache encrypts data at rest and in transit",
    fail_title="ElastiCache data is unencrypted at rest or in transit",
    severity=Severity.MEDIUM,
    best_practices=["SEC08-BP02", "SEC09-BP02"],
    remediation=(
        "Turn on in-transit encryption (TLS, mode preferred then required) on the replication "
        "group; encryption at rest is set at creation: restore a backup into a new encrypted "
        "replication group."
    ),
    docs_url="https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/encryption.html",
    facts=[elasticache.replication_groups, elasticache.cache_clusters],
    regional=True,
)
def elasticache_encryption(ctx: CheckContext) -> Iterator[Finding]:
    """Replication groups, and cache clusters outside one. Memcached has no encryption at rest
    (ElastiCache's data security page), so only its in-transit encryption is judged."""
    caches: list[tuple[str, elasticache.ReplicationGroup | elasticache.CacheCluster, bool]] = [
        ("Replication group", group, True) for group in ctx.fact(elasticache.replication_groups)
    ]
    caches += [
        ("Cache cluster", cluster, not cluster.memcached)
        for cluster in ctx.fact(elasticache.cache_clusters)
        if cluster.replication_group_id is None
    ]
    for kind, cache, at_rest_applies in caches:
        missing = [] if cache.transit_encryption else ["in transit"]
        if at_rest_applies and not cache.at_rest_encryption:
            missing.insert(0, "at rest")
        evidence = {
            "engine": cache.engine,
            "at_rest_encryption": cache.at_rest_encryption if at_rest_applies else None,
            "transit_encryption": cache.transit_encryption,
        }
        if missing:
            yield ctx.failed(
                cache.arn,
                f"{kind} {cache.id} ({cache.engine}) is not encrypted {' or '.join(missing)}.",
                evidence=evidence,
            )
        else:
            scope = "at rest and in transit" if at_rest_applies else "in transit"
            message = f"{kind} {cache.id} ({cache.engine}) is encrypted {scope}."
            yield ctx.passed(cache.arn, message, evidence=evidence)


@check(
    id="sec.rds-encryption",
    pillar=Pillar.SECURITY,
    title="RDS storage is encrypted",
    fail_title="RDS storage is unencrypted",
    severity=Severity.HIGH,
    best_practices=["SEC08-BP02"],
    remediation=(
        "Encryption is chosen at creation: copy a snapshot with encryption on (a KMS key), "
        "restore it into a new DB instance or cluster, and switch the application over."
    ),
    docs_url="https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/Overview.Encryption.html",
    facts=[rds.db_instances, rds.db_clusters],
    regional=True,
)
def rds_encryption(ctx: CheckContext) -> Iterator[Finding]:
    """Per standalone DB instance and per cluster: a cluster's members share its storage."""
    for kind, db in rds_databases(ctx):
        yield verdict(
            ctx,
            db.arn,
            db.storage_encrypted,
            f"{kind} {db.id} encrypts its storage, backups and snapshots.",
            f"{kind} {db.id} stores its data, backups and snapshots unencrypted.",
            {"storage_encrypted": db.storage_encrypted, "engine": db.engine},
        )


@check(
    id="sec.rds-public-access",
    pillar=Pillar.SECURITY,
    title="RDS instances are not publicly accessible",
    fail_title="RDS instances are publicly accessible",
    severity=Severity.HIGH,
    best_practices=["SEC05-BP01", "SEC03-BP07"],
    remediation=(
        "Modify the DB instance to turn off public accessibility, keep it in private subnets and "
        "reach it from the application tier, a bastion or AWS Systems Manager."
    ),
    docs_url="https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_VPC.WorkingWithRDSInstanceinaVPC.html#USER_VPC.Hiding",
    facts=[rds.db_instances],
    regional=True,
)
def rds_public_access(ctx: CheckContext) -> Iterator[Finding]:
    """``PubliclyAccessible`` gives the instance a public address; whether traffic reaches it
    then rests on security groups alone, one rule away from the internet."""
    for db in ctx.fact(rds.db_instances):
        yield verdict(
            ctx,
            db.arn,
            not db.publicly_accessible,
            f"DB instance {db.id} is reachable from inside its VPC only.",
            f"DB instance {db.id} is publicly accessible: it resolves to a public IP address, "
            "and only its security groups stand between it and the internet.",
            {"publicly_accessible": db.publicly_accessible},
        )
