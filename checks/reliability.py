"""Checks of the reliability pillar: quota headroom, redundancy across zones, and backups."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from wa_audit.checks._databases import rds_databases
from wa_audit.checks._findings import verdict
from wa_audit.context import CheckContext
from wa_audit.facts import autoscaling, backup, dynamodb, rds
from wa_audit.facts.quota_usage import QUOTA_USAGE_FACTS, global_usage, regional_usage
from wa_audit.models import Finding, Pillar, QuotaUsage, Severity, Status
from wa_audit.models.sections import QUOTA_CHECK_ID
from wa_audit.quotas.thresholds import ServiceQuotaParams, Thresholds, quota_key
from wa_audit.registry import check
from wa_audit.text import agree, every, plural

LISTED_RESOURCES = 20


def _number(value: float) -> str:
    return f"{value:,.3f}".rstrip("0").rstrip(".")


def _quota_finding(ctx: CheckContext, usage: QuotaUsage, limits: Thresholds) -> Finding:
    key = quota_key(usage)
    resource = usage.quota_arn or (
        f"arn:{ctx.partition}:servicequotas:{usage.region}:{ctx.account_id}:{key}"
    )
    evidence: dict[str, Any] = {
        "service_code": usage.service_code,
        "quota_code": usage.quota_code,
        "quota_name": usage.quota_name,
        "usage": usage.usage,
        "limit": usage.limit,
        "percent": usage.percent,
        "adjustable": usage.adjustable,
        "usage_source": usage.usage_source,
        "limit_source": usage.limit_source,
        "warn_percent": limits.warn_percent,
        "critical_percent": limits.critical_percent,
        "open_request": usage.open_request.model_dump(mode="json") if usage.open_request else None,
        "note": usage.note,
    }
    if usage.usage is None or usage.percent is None:
        message = f"{usage.quota_name}: usage could not be read ({usage.note})."
        return ctx.finding(Status.ERROR, resource, message, region=usage.region, evidence=evidence)
    summary = (
        f"{usage.quota_name}: {_number(usage.usage)} of {_number(usage.limit)} used "
        f"({usage.percent:g}%)"
    )
    if usage.percent < limits.warn_percent:
        return ctx.passed(resource, f"{summary}.", region=usage.region, evidence=evidence)
    if usage.open_request:
        advice = (
            f"An increase to {_number(usage.open_request.desired_value)} is open "
            f"({usage.open_request.id}, {usage.open_request.status})."
        )
    elif usage.adjustable:
        advice = f"Request an increase: wa-audit quotas request {key} --value N."
    else:
        advice = "Not adjustable: reduce usage or design around it."
    if usage.percent >= limits.critical_percent:
        message = f"{summary}, at or above the {limits.critical_percent:g}% critical threshold."
        return ctx.failed(resource, f"{message} {advice}", region=usage.region, evidence=evidence)
    message = f"{summary}, at or above the {limits.warn_percent:g}% warning threshold."
    return ctx.warned(resource, f"{message} {advice}", region=usage.region, evidence=evidence)


@check(
    id=QUOTA_CHECK_ID,
    pillar=Pillar.RELIABILITY,
    title="Service quotas have headroom",
    fail_title="Service quotas are near their limits",
    severity=Severity.HIGH,
    best_practices=["REL01-BP01", "REL01-BP04", "REL01-BP06"],
    remediation=(
        "Raise the quota before it is reached (wa-audit quotas request SERVICE/CODE --value N, or "
        "--above 80 for every quota near its limit) or reduce usage; design around fixed limits."
    ),
    docs_url="https://docs.aws.amazon.com/servicequotas/latest/userguide/request-quota-increase.html",
    facts=QUOTA_USAGE_FACTS,
    regional=True,
    params=ServiceQuotaParams,
)
def service_quotas(ctx: CheckContext) -> Iterator[Finding]:
    """One finding per quota of the region; account-wide quotas once, with the first region."""
    params = ctx.params(ServiceQuotaParams)
    usages = list(ctx.fact(regional_usage))
    if ctx.region == ctx.regions[0]:
        usages += ctx.fact(global_usage)
    for usage in usages:
        yield _quota_finding(ctx, usage, params.for_quota(quota_key(usage)))


@check(
    id="rel.rds-multi-az",
    pillar=Pillar.RELIABILITY,
    title="RDS databases fail over to another Availability Zone",
    fail_title="RDS databases run in one Availability Zone",
    severity=Severity.MEDIUM,
    best_practices=["REL10-BP01", "REL11-BP02"],
    remediation=(
        "Modify the DB instance to Multi-AZ (a standby in another zone), or add an Aurora replica "
        "in another zone."
    ),
    docs_url="https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/Concepts.MultiAZ.html",
    facts=[rds.db_instances, rds.db_clusters],
    regional=True,
)
def rds_multi_az(ctx: CheckContext) -> Iterator[Finding]:
    """Per DB instance; a cluster member is as redundant as its cluster (Aurora replicas)."""
    clusters = {cluster.id: cluster for cluster in ctx.fact(rds.db_clusters)}
    for db in ctx.fact(rds.db_instances):
        cluster = clusters.get(db.cluster_id or "")
        multi_az = cluster.multi_az if cluster else db.multi_az
        yield verdict(
            ctx,
            db.arn,
            multi_az,
            f"DB instance {db.id} is Multi-AZ.",
            f"DB instance {db.id} runs in a single Availability Zone: a zone outage stops it.",
            {"multi_az": multi_az, "engine": db.engine, "cluster": db.cluster_id},
        )


class BackupRetentionParams(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    min_retention_days: int = Field(default=7, ge=1, le=35)


@check(
    id="rel.rds-backups",
    pillar=Pillar.RELIABILITY,
    title="RDS automated backups are kept long enough",
    fail_title="RDS automated backups are kept too briefly",
    severity=Severity.MEDIUM,
    best_practices=["REL09-BP01", "REL09-BP03"],
    remediation="Set the backup retention period to at least 7 days (up to 35).",
    docs_url="https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_WorkingWithAutomatedBackups.html",
    facts=[rds.db_instances, rds.db_clusters],
    regional=True,
    params=BackupRetentionParams,
)
def rds_backups(ctx: CheckContext) -> Iterator[Finding]:
    """Per standalone DB instance and per cluster (members share their cluster's backups).

    Read replicas are created with backups disabled (CreateDBInstanceReadReplica's reference):
    their source's backups protect the data, so they are not assessed.
    """
    minimum = ctx.params(BackupRetentionParams).min_retention_days
    for kind, db in rds_databases(ctx):
        days = db.backup_retention_days
        evidence = {"backup_retention_days": days, "min_retention_days": minimum}
        if db.replica_source is not None:
            message = (
                f"{kind} {db.id} is a read replica of {db.replica_source}: RDS creates replicas "
                "with backups disabled, and the source's backups protect the data."
            )
            yield ctx.not_applicable(
                db.arn, message, evidence=evidence | {"replica_source": db.replica_source}
            )
        elif days >= minimum:
            yield ctx.passed(
                db.arn, f"{kind} {db.id} keeps backups {days} days.", evidence=evidence
            )
        elif days == 0:
            yield ctx.failed(
                db.arn, f"{kind} {db.id} has automated backups off.", evidence=evidence
            )
        else:
            yield ctx.failed(
                db.arn,
                f"{kind} {db.id} keeps backups only {plural(days, 'day')}; at least {minimum} expected.",
                evidence=evidence,
            )


@check(
    id="rel.backup-plans",
    pillar=Pillar.RELIABILITY,
    title="An AWS Backup plan covers the stateful resources",
    fail_title="Stateful resources have no AWS Backup plan",
    severity=Severity.MEDIUM,
    best_practices=["REL09-BP01", "REL09-BP03"],
    remediation=(
        "Create an AWS Backup plan and assign the databases, tables, volumes and file systems to "
        "it (by resource type or by a backup tag)."
    ),
    docs_url="https://docs.aws.amazon.com/aws-backup/latest/devguide/assigning-resources.html",
    facts=[backup.coverage, backup.selections],
    regional=True,
)
def backup_plans(ctx: CheckContext) -> Iterator[Finding]:
    """Per region: FAIL listing the RDS, DynamoDB, EBS and EFS resources no selection covers."""
    resources = ctx.fact(backup.coverage)
    if not resources:
        return
    uncovered = [r for r in resources if not r.covered_by]
    selections = ctx.fact(backup.selections)
    evidence = {
        "stateful_resources": len(resources),
        "uncovered": len(uncovered),
        "uncovered_resources": [r.arn for r in uncovered[:LISTED_RESOURCES]],
        "backup_selections": len(selections),
    }
    resource = f"{ctx.account_id}/{ctx.region}"
    if not uncovered:
        yield ctx.passed(
            resource,
            f"{every(len(resources), 'stateful resource')} {agree(len(resources), 'is', 'are')} in an AWS Backup plan.",
            evidence=evidence,
        )
        return
    kinds = sorted({r.kind for r in uncovered})
    reason = "no AWS Backup plan exists" if not selections else "no backup selection covers them"
    yield ctx.failed(
        resource,
        f"{len(uncovered)} of {plural(len(resources), 'stateful resource')} ({', '.join(kinds)}) {agree(len(uncovered), 'has', 'have')} no "
        f"backup plan: {reason}.",
        evidence=evidence,
    )


@check(
    id="rel.asg-multi-az",
    pillar=Pillar.RELIABILITY,
    title="Auto Scaling groups span several Availability Zones",
    fail_title="Auto Scaling groups run in one Availability Zone",
    severity=Severity.MEDIUM,
    best_practices=["REL10-BP01", "REL11-BP03"],
    remediation="Add subnets in at least two more Availability Zones to the group.",
    docs_url="https://docs.aws.amazon.com/autoscaling/ec2/userguide/auto-scaling-benefits.html",
    facts=[autoscaling.groups],
    regional=True,
)
def asg_multi_az(ctx: CheckContext) -> Iterator[Finding]:
    for group in ctx.fact(autoscaling.groups):
        zones = group.availability_zones
        yield verdict(
            ctx,
            group.arn,
            len(zones) >= 2,
            f"Auto Scaling group {group.name} spans {len(zones)} zones.",
            f"Auto Scaling group {group.name} launches into one Availability Zone only.",
            {"availability_zones": list(zones)},
        )


@check(
    id="rel.dynamodb-pitr",
    pillar=Pillar.RELIABILITY,
    title="DynamoDB tables have point-in-time recovery",
    fail_title="DynamoDB tables lack point-in-time recovery",
    severity=Severity.LOW,
    best_practices=["REL09-BP01", "REL09-BP03"],
    remediation="Turn on point-in-time recovery for the table (continuous backups, 35 days).",
    docs_url="https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/PointInTimeRecovery.html",
    facts=[dynamodb.tables],
    regional=True,
)
def dynamodb_pitr(ctx: CheckContext) -> Iterator[Finding]:
    for table in ctx.fact(dynamodb.tables):
        yield verdict(
            ctx,
            table.arn,
            table.point_in_time_recovery,
            f"Table {table.name} has point-in-time recovery.",
            f"Table {table.name} has no point-in-time recovery: a bad write cannot be undone.",
            {"point_in_time_recovery": table.point_in_time_recovery},
        )
