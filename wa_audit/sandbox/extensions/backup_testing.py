"""AWS Backup: what moto lacks for vault protection and restore testing.

- ``StartBackupJob`` is missing, so moto's vaults never hold a recovery point. The sandbox starts
  the job as done at once: the vault's ``NumberOfRecoveryPoints`` (ListBackupVaults) counts it.
- Restore testing plans (``CreateRestoreTestingPlan``, ``ListRestoreTestingPlans``) are missing;
  the sandbox keeps them per account and region with AWS's request and response shapes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

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
