"""AWS Backup facts: the vaults that hold recovery points, and the restore testing plans."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from wa_audit.facts.base import FetchContext, fact


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True)


class Vault(_Model):
    name: str
    arn: str
    vault_type: str
    """BACKUP_VAULT, LOGICALLY_AIR_GAPPED_BACKUP_VAULT or RESTORE_ACCESS_BACKUP_VAULT."""
    recovery_points: int
    locked: bool
    min_retention_days: int | None = None


class RestoreTestingPlan(_Model):
    name: str
    arn: str
    schedule: str


@fact("backup.vaults", regional=True, permissions=["backup:ListBackupVaults"])
def vaults(ctx: FetchContext) -> tuple[Vault, ...]:
    """Every vault of the region. ``VaultType`` is recent in the model: absent means a standard
    backup vault, the only kind there was."""
    return tuple(
        Vault(
            name=raw["BackupVaultName"],
            arn=raw["BackupVaultArn"],
            vault_type=raw.get("VaultType", "BACKUP_VAULT"),
            recovery_points=raw.get("NumberOfRecoveryPoints", 0),
            locked=raw.get("Locked", False),
            min_retention_days=raw.get("MinRetentionDays"),
        )
        for raw in ctx.paginate("backup", "list_backup_vaults", "BackupVaultList")
    )


@fact(
    "backup.restore_testing_plans",
    regional=True,
    permissions=["backup:ListRestoreTestingPlans"],
)
def restore_testing_plans(ctx: FetchContext) -> tuple[RestoreTestingPlan, ...]:
    return tuple(
        RestoreTestingPlan(
            name=raw["RestoreTestingPlanName"],
            arn=raw["RestoreTestingPlanArn"],
            schedule=raw["ScheduleExpression"],
        )
        for raw in ctx.paginate("backup", "list_restore_testing_plans", "RestoreTestingPlans")
    )
