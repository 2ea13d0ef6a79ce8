"""AWS Backup facts: the vaults, their access policies, and the restore testing plans."""

from __future__ import annotations

import json
from fnmatch import fnmatchcase
from typing import Any

from pydantic import BaseModel, ConfigDict

from wa_audit.facts.base import FetchContext, fact, response_unless

DELETE_RECOVERY_POINT = "backup:deleterecoverypoint"


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


class VaultAccessPolicy(_Model):
    vault_arn: str
    present: bool
    denies_deletion: bool
    """A statement denies everyone ``backup:DeleteRecoveryPoint`` (conditions may exempt a
    break-glass role, as AWS's example policy does)."""


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def denies_deletion(document: dict[str, Any]) -> bool:
    for statement in _as_list(document.get("Statement", [])):
        principal = statement.get("Principal")
        everyone = principal == "*" or (
            isinstance(principal, dict) and "*" in _as_list(principal.get("AWS", []))
        )
        actions = [str(a).lower() for a in _as_list(statement.get("Action", []))]
        if (
            statement.get("Effect") == "Deny"
            and everyone
            and any(fnmatchcase(DELETE_RECOVERY_POINT, action) for action in actions)
        ):
            return True
    return False


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
    "backup.vault_access_policies",
    regional=True,
    permissions=["backup:GetBackupVaultAccessPolicy"],
    needs=(vaults,),
)
def vault_access_policies(ctx: FetchContext) -> tuple[VaultAccessPolicy, ...]:
    """One GetBackupVaultAccessPolicy per vault holding recovery points: AWS has no list form.

    A vault without a policy answers ResourceNotFoundException ("... has no associated POLICY").
    """
    client = ctx.client("backup")
    found = []
    for vault in ctx.get(vaults):
        if vault.recovery_points == 0:
            continue
        raw = response_unless(
            {"ResourceNotFoundException"},
            client.get_backup_vault_access_policy,
            BackupVaultName=vault.name,
        )
        policy = json.loads(raw["Policy"]) if raw and raw.get("Policy") else None
        found.append(
            VaultAccessPolicy(
                vault_arn=vault.arn,
                present=policy is not None,
                denies_deletion=policy is not None and denies_deletion(policy),
            )
        )
    return tuple(found)


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
