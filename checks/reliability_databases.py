"""Reliability checks of data stores: ElastiCache failover and backups, DynamoDB capacity that
follows demand, and AWS Backup vaults that are locked and restores that are tested."""

from __future__ import annotations

from collections.abc import Iterator

from pydantic import BaseModel, ConfigDict, Field

from wa_audit.checks._databases import persistent_caches
from wa_audit.checks._findings import region_resource, verdict
from wa_audit.context import CheckContext
from wa_audit.facts import application_autoscaling, backup, backup_vaults, dynamodb, elasticache
from wa_audit.facts.elasticache import CacheCluster
from wa_audit.models import Finding, Pillar, Severity
from wa_audit.registry import check
from wa_audit.text import agree, plural

ENABLED = "enabled"
CAPACITY_DIMENSIONS = ("ReadCapacityUnits", "WriteCapacityUnits")


@check(
    id="rel.elasticache-failover",
    pillar=Pillar.RELIABILITY,
    title="ElastiCache fails over to a replica in another Availability Zone",
    fail_title="ElastiCache has no automatic Multi-AZ failover",
    severity=Severity.MEDIUM,
    best_practices=["REL10-BP01", "REL11-BP02"],
    remediation=(
        "Add at least one replica in another Availability Zone and turn on automatic failover "
        "and Multi-AZ for the replication group (a standalone node: create a replication group "
        "from it)."
    ),
    docs_url="https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/AutoFailover.html",
    facts=[elasticache.replication_groups, elasticache.cache_clusters],
    regional=True,
)
def elasticache_failover(ctx: CheckContext) -> Iterator[Finding]:
    for kind, cache in persistent_caches(ctx):
        if isinstance(cache, CacheCluster):
            yield ctx.failed(
                cache.arn,
                f"{kind} {cache.id} ({cache.engine}) is a single node without replicas: losing "
                "it or its zone loses the cache and its data.",
                evidence={"engine": cache.engine, "replication_group": None},
            )
            continue
        evidence = {
            "automatic_failover": cache.automatic_failover,
            "multi_az": cache.multi_az,
            "member_clusters": len(cache.member_clusters),
        }
        yield verdict(
            ctx,
            cache.arn,
            cache.automatic_failover == ENABLED and cache.multi_az == ENABLED,
            f"{kind} {cache.id} fails over automatically to a replica in another zone.",
            f"{kind} {cache.id} has automatic failover {cache.automatic_failover} and Multi-AZ "
            f"{cache.multi_az}: a primary or zone failure needs manual recovery.",
            evidence,
        )


class CacheBackupParams(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    min_retention_days: int = Field(default=1, ge=1, le=35)


@check(
    id="rel.elasticache-backups",
    pillar=Pillar.RELIABILITY,
    title="ElastiCache takes automatic backups",
    fail_title="ElastiCache takes no automatic backups",
    severity=Severity.LOW,
    best_practices=["REL09-BP01", "REL09-BP03"],
    remediation=(
        "Set a snapshot retention limit (1 to 35 days) and a backup window on the replication "
        "group or node, or assign it to an AWS Backup plan."
    ),
    docs_url="https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/backups-automatic.html",
    facts=[elasticache.replication_groups, elasticache.cache_clusters],
    regional=True,
    params=CacheBackupParams,
)
def elasticache_backups(ctx: CheckContext) -> Iterator[Finding]:
    minimum = ctx.params(CacheBackupParams).min_retention_days
    for kind, cache in persistent_caches(ctx):
        days = cache.snapshot_retention_days
        evidence = {"snapshot_retention_days": days, "min_retention_days": minimum}
        if days >= minimum:
            message = f"{kind} {cache.id} keeps automatic snapshots {plural(days, 'day')}."
            yield ctx.passed(cache.arn, message, evidence=evidence)
        elif days == 0:
            message = f"{kind} {cache.id} takes no automatic snapshots (retention limit 0)."
            yield ctx.failed(cache.arn, message, evidence=evidence)
        else:
            message = (
                f"{kind} {cache.id} keeps automatic snapshots only {plural(days, 'day')}; at least "
                f"{minimum} expected."
            )
            yield ctx.failed(cache.arn, message, evidence=evidence)


@check(
    id="rel.dynamodb-capacity",
    pillar=Pillar.RELIABILITY,
    title="DynamoDB capacity follows demand",
    fail_title="Provisioned DynamoDB tables do not scale with demand",
    severity=Severity.MEDIUM,
    best_practices=["REL07-BP01", "COST09-BP03", "SUS02-BP01"],
    remediation=(
        "Turn on auto scaling (target tracking) for the table's read and write capacity and for "
        "its global secondary indexes, or switch the table to on-demand capacity."
    ),
    docs_url="https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/AutoScaling.html",
    facts=[dynamodb.table_capacity, application_autoscaling.dynamodb_targets],
    regional=True,
)
def dynamodb_capacity(ctx: CheckContext) -> Iterator[Finding]:
    """On-demand tables follow demand by design; provisioned ones need a scalable target and a
    policy for read and write capacity, on the table and on each global secondary index."""
    scaled = {
        (t.resource_id, t.dimension.rsplit(":", 1)[-1])
        for t in ctx.fact(application_autoscaling.dynamodb_targets)
        if t.policies
    }
    for table in ctx.fact(dynamodb.table_capacity):
        if not table.provisioned:
            yield ctx.passed(
                table.arn,
                f"Table {table.name} uses on-demand capacity: it follows demand.",
                evidence={"billing_mode": table.billing_mode},
            )
            continue
        resources = [f"table/{table.name}"]
        resources += [f"table/{table.name}/index/{index}" for index in table.global_indexes]
        unscaled = [
            f"{resource} {dimension}"
            for resource in resources
            for dimension in CAPACITY_DIMENSIONS
            if (resource, dimension) not in scaled
        ]
        yield verdict(
            ctx,
            table.arn,
            not unscaled,
            f"Table {table.name} auto scales its provisioned read and write capacity.",
            f"Table {table.name} has provisioned capacity without auto scaling for "
            f"{', '.join(unscaled)}: peaks are throttled and quiet hours paid for.",
            {"billing_mode": table.billing_mode, "without_auto_scaling": unscaled},
        )


@check(
    id="rel.backup-vault-protection",
    pillar=Pillar.RELIABILITY,
    title="Recovery points in backup vaults are protected from deletion",
    fail_title="Recovery points in backup vaults can be deleted",
    severity=Severity.MEDIUM,
    best_practices=["REL09-BP02", "SEC08-BP04"],
    remediation=(
        "Apply AWS Backup Vault Lock (governance or compliance mode, with a minimum retention) to "
        "the vault, or an access policy denying backup:DeleteRecoveryPoint to everyone but a "
        "break-glass role, so an attacker or a mistake cannot erase the backups."
    ),
    docs_url="https://docs.aws.amazon.com/aws-backup/latest/devguide/vault-lock.html",
    facts=[backup_vaults.vaults, backup_vaults.vault_access_policies],
    regional=True,
)
def backup_vault_protection(ctx: CheckContext) -> Iterator[Finding]:
    """Vaults without recovery points hold nothing to protect (the Default vault AWS Backup
    creates, say) and are not assessed."""
    policies = {p.vault_arn: p for p in ctx.fact(backup_vaults.vault_access_policies)}
    for vault in ctx.fact(backup_vaults.vaults):
        policy = policies.get(vault.arn)
        if vault.recovery_points == 0 or policy is None:
            continue
        evidence = {
            "recovery_points": vault.recovery_points,
            "locked": vault.locked,
            "min_retention_days": vault.min_retention_days,
            "access_policy": policy.present,
            "policy_denies_deletion": policy.denies_deletion,
        }
        points = f"{plural(vault.recovery_points, 'recovery point')}"
        if vault.locked:
            message = (
                f"Backup vault {vault.name} is locked: its {points} cannot be deleted before "
                "their retention ends."
            )
            yield ctx.passed(vault.arn, message, evidence=evidence)
        elif policy.denies_deletion:
            message = f"Backup vault {vault.name}'s access policy denies deleting its {points}."
            yield ctx.passed(vault.arn, message, evidence=evidence)
        else:
            message = (
                f"Backup vault {vault.name} holds {points} with no Vault Lock and no access "
                "policy denying their deletion: anyone allowed to delete recovery points can "
                "erase them."
            )
            yield ctx.failed(vault.arn, message, evidence=evidence)


@check(
    id="rel.backup-restore-testing",
    pillar=Pillar.RELIABILITY,
    title="Restores from AWS Backup are tested on a schedule",
    fail_title="Restores from AWS Backup are never tested",
    severity=Severity.LOW,
    best_practices=["REL09-BP04"],
    remediation=(
        "Create an AWS Backup restore testing plan with selections for the protected resource "
        "types, so recovery points are restored and validated on a schedule."
    ),
    docs_url="https://docs.aws.amazon.com/aws-backup/latest/devguide/restore-testing.html",
    facts=[backup.selections, backup_vaults.restore_testing_plans],
    regional=True,
)
def backup_restore_testing(ctx: CheckContext) -> Iterator[Finding]:
    """Per region with AWS Backup plans; a region without any has no backups to test."""
    plans = {s.plan_name for s in ctx.fact(backup.selections)}
    if not plans:
        return
    testing = ctx.fact(backup_vaults.restore_testing_plans)
    evidence = {
        "backup_plans": sorted(plans),
        "restore_testing_plans": [plan.name for plan in testing],
    }
    names = ", ".join(plan.name for plan in testing)
    yield verdict(
        ctx,
        region_resource(ctx),
        bool(testing),
        f"{plural(len(testing), 'restore testing plan')} {agree(len(testing), 'restores', 'restore')} backups on a schedule: {names}.",
        f"{plural(len(plans), 'backup plan')} {agree(len(plans), 'takes', 'take')} backups in {ctx.region}, but no restore testing plan "
        "ever restores one: a backup that cannot be restored goes unnoticed.",
        evidence,
    )
