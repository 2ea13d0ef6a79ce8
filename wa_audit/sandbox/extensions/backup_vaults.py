"""AWS Backup: what moto lacks for vault protection and restore testing.

- ``StartBackupJob`` is missing, so moto's vaults never hold a recovery point. The sandbox starts
  the job as done at once: the vault's ``NumberOfRecoveryPoints`` (ListBackupVaults) counts it.
- Vault access policies (``Put``/``Get``/``DeleteBackupVaultAccessPolicy``) are missing. A vault
  without one answers Get with AWS's ResourceNotFoundException ("... has no associated POLICY").
- Restore testing plans (``CreateRestoreTestingPlan``, ``ListRestoreTestingPlans``) are missing;
  the sandbox keeps them per account and region with AWS's request and response shapes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import unquote

from werkzeug.wrappers import Response

from wa_audit.sandbox import ids
from wa_audit.sandbox.app import Handlers
from wa_audit.sandbox.protocol import AwsRequest, error_response, json_response
from wa_audit.sandbox.state import SandboxState

handlers = Handlers(service="backup", signing_name="backup")


@dataclass(frozen=True)
class RestoreTestingPlan:
    region: str
    name: str
    arn: str
    schedule: str
    created: datetime


def _plans(state: SandboxState, account_id: str) -> list[RestoreTestingPlan]:
    return state.area(account_id, "backup.restore_testing_plans", list)


@handlers.operation("StartBackupJob")
def start_backup_job(request: AwsRequest, state: SandboxState) -> Response:
    from moto.backup.models import backup_backends

    body = request.json()
    vaults = backup_backends[request.account_id][request.region].vaults
    vault = vaults.get(body.get("BackupVaultName", ""))
    if vault is None:
        message = f"Backup vault {body.get('BackupVaultName')} not found."
        return error_response(request, "ResourceNotFoundException", message, 404)
    vault.num_of_recovery_points += 1
    job_id = ids.uuid4()
    recovery_point = f"{vault.backup_vault_arn}:recovery-point:{job_id}"
    return json_response(
        {
            "BackupJobId": job_id,
            "RecoveryPointArn": recovery_point,
            "CreationDate": datetime.now(UTC).timestamp(),
            "IsParent": False,
        }
    )


def _policies(state: SandboxState, account_id: str) -> dict[tuple[str, str], str]:
    """(region, vault name) → the vault's access policy document."""
    return state.area(account_id, "backup.vault_policies", dict)


def _vault(request: AwsRequest) -> tuple[str, Any] | Response:
    """The vault named in ``/backup-vaults/{name}/access-policy``, or AWS's not-found error."""
    from moto.backup.models import backup_backends

    name = unquote(request.raw.path.split("/")[2])
    vault = backup_backends[request.account_id][request.region].vaults.get(name)
    if vault is None:
        return error_response(
            request, "ResourceNotFoundException", f"Backup vault {name} not found.", 404
        )
    return name, vault


@handlers.operation("PutBackupVaultAccessPolicy")
def put_vault_policy(request: AwsRequest, state: SandboxState) -> Response:
    found = _vault(request)
    if isinstance(found, Response):
        return found
    _policies(state, request.account_id)[request.region, found[0]] = request.json()["Policy"]
    return Response(status=200)


@handlers.operation("GetBackupVaultAccessPolicy")
def get_vault_policy(request: AwsRequest, state: SandboxState) -> Response:
    found = _vault(request)
    if isinstance(found, Response):
        return found
    name, vault = found
    policy = _policies(state, request.account_id).get((request.region, name))
    if policy is None:
        message = f"Backup Vault {vault.backup_vault_arn} has no associated POLICY"
        return error_response(request, "ResourceNotFoundException", message, 400)
    return json_response(
        {"BackupVaultName": name, "BackupVaultArn": vault.backup_vault_arn, "Policy": policy}
    )


@handlers.operation("DeleteBackupVaultAccessPolicy")
def delete_vault_policy(request: AwsRequest, state: SandboxState) -> Response:
    found = _vault(request)
    if isinstance(found, Response):
        return found
    _policies(state, request.account_id).pop((request.region, found[0]), None)
    return Response(status=200)


@handlers.operation("CreateRestoreTestingPlan")
def create_restore_testing_plan(request: AwsRequest, state: SandboxState) -> Response:
    spec = request.json().get("RestoreTestingPlan", {})
    name = spec.get("RestoreTestingPlanName", "")
    plans = _plans(state, request.account_id)
    if any((p.region, p.name) == (request.region, name) for p in plans):
        message = f"Restore testing plan {name} already exists."
        return error_response(request, "AlreadyExistsException", message, 400)
    arn = (
        f"arn:aws:backup:{request.region}:{request.account_id}:restore-testing-plan:"
        f"{name}-{ids.uuid4()[:6]}"
    )
    plan = RestoreTestingPlan(
        request.region, name, arn, spec.get("ScheduleExpression", ""), datetime.now(UTC)
    )
    plans.append(plan)
    return json_response(
        {
            "CreationTime": plan.created.timestamp(),
            "RestoreTestingPlanArn": plan.arn,
            "RestoreTestingPlanName": plan.name,
        },
        status=201,
    )


@handlers.operation("ListRestoreTestingPlans")
def list_restore_testing_plans(request: AwsRequest, state: SandboxState) -> Response:
    listed = [
        {
            "CreationTime": p.created.timestamp(),
            "RestoreTestingPlanArn": p.arn,
            "RestoreTestingPlanName": p.name,
            "ScheduleExpression": p.schedule,
        }
        for p in _plans(state, request.account_id)
        if p.region == request.region
    ]
    return json_response({"RestoreTestingPlans": listed})
