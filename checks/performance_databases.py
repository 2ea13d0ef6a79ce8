"""Performance checks of databases and caches: current-generation classes, and the metrics that
show where database time goes."""

from __future__ import annotations

from collections.abc import Iterator

from wa_audit.checks._databases import database_classes
from wa_audit.checks._findings import verdict
from wa_audit.context import CheckContext
from wa_audit.facts import elasticache, rds
from wa_audit.models import Finding, Pillar, Severity
from wa_audit.registry import check

GENERATION_BPS = ["PERF05-BP06", "PERF03-BP02", "SUS06-BP03"]


def _successor(class_name: str, table: dict[str, str]) -> str | None:
    """``db.m7g`` for ``db.m4.large`` when m4 is a previous generation; None if current.

    A family, not a class: sizes differ between generations (no cache.m7g.medium)."""
    prefix, _, rest = class_name.partition(".")
    current = table.get(rest.partition(".")[0])
    return f"{prefix}.{current}" if current else None


def _generation_finding(
    ctx: CheckContext, arn: str, what: str, class_name: str, table: dict[str, str]
) -> Finding:
    successor = _successor(class_name, table)
    return verdict(
        ctx,
        arn,
        successor is None,
        f"{what} runs {class_name}, a current generation.",
        f"{what} runs {class_name}, a previous generation: move to a {successor} size.",
        {"class": class_name, "suggested_family": successor},
    )


@check(
    id="perf.rds-instance-generation",
    pillar=Pillar.PERFORMANCE,
    title="RDS instances use current-generation classes",
    fail_title="RDS instances use previous-generation classes",
    severity=Severity.LOW,
    best_practices=GENERATION_BPS,
    remediation=(
        "Modify the DB instance to the current-generation class (in the maintenance window, or "
        "with a Multi-AZ failover for a short interruption)."
    ),
    docs_url="https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/Concepts.DBInstanceClass.Types.html",
    facts=[rds.db_instances],
    regional=True,
)
def rds_instance_generation(ctx: CheckContext) -> Iterator[Finding]:
    table = database_classes().rds
    for db in ctx.fact(rds.db_instances):
        yield _generation_finding(ctx, db.arn, f"DB instance {db.id}", db.instance_class, table)


@check(
    id="perf.elasticache-node-generation",
    pillar=Pillar.PERFORMANCE,
    title="ElastiCache nodes use current-generation types",
    fail_title="ElastiCache nodes use previous-generation types",
    severity=Severity.LOW,
    best_practices=GENERATION_BPS,
    remediation=(
        "Scale the replication group or cluster to the current-generation node type (online for "
        "Valkey and Redis OSS replication groups)."
    ),
    docs_url="https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/CacheNodes.SupportedTypes.html",
    facts=[elasticache.replication_groups, elasticache.cache_clusters],
    regional=True,
)
def elasticache_node_generation(ctx: CheckContext) -> Iterator[Finding]:
    """Per replication group (all its nodes share one type) and per cluster outside one."""
    table = database_classes().elasticache
    for group in ctx.fact(elasticache.replication_groups):
        what = f"Replication group {group.id}"
        yield _generation_finding(ctx, group.arn, what, group.node_type, table)
    for cluster in ctx.fact(elasticache.cache_clusters):
        if cluster.replication_group_id is None:
            what = f"Cache cluster {cluster.id}"
            yield _generation_finding(ctx, cluster.arn, what, cluster.node_type, table)


@check(
    id="perf.rds-performance-insights",
    pillar=Pillar.PERFORMANCE,
    title="RDS Performance Insights is on",
    fail_title="RDS Performance Insights is off",
    severity=Severity.LOW,
    best_practices=["PERF03-BP03"],
    remediation=(
        "Turn on Performance Insights (or CloudWatch Database Insights) for the DB instance: "
        "7 days of history are free and show database load by wait, SQL and host."
    ),
    docs_url="https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_PerfInsights.html",
    facts=[rds.db_instances],
    regional=True,
)
def rds_performance_insights(ctx: CheckContext) -> Iterator[Finding]:
    """Per DB instance: Aurora turns it on per instance too. Engines and classes where AWS
    offers no Performance Insights are NOT_APPLICABLE."""
    classes = database_classes()
    for db in ctx.fact(rds.db_instances):
        evidence = {"performance_insights": db.performance_insights, "class": db.instance_class}
        if not db.performance_insights and not classes.insights_supported(
            db.engine, db.instance_class
        ):
            message = (
                f"DB instance {db.id} ({db.engine} on {db.instance_class}): AWS offers no "
                "Performance Insights for this engine and class."
            )
            yield ctx.not_applicable(db.arn, message, evidence=evidence)
        else:
            yield verdict(
                ctx,
                db.arn,
                db.performance_insights,
                f"DB instance {db.id} records its load with Performance Insights.",
                f"DB instance {db.id} has Performance Insights off: slow queries and waits are "
                "not recorded.",
                evidence,
            )
