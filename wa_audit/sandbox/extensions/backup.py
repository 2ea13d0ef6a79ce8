"""AWS Backup: moto keeps backup plans but not their resource selections; the sandbox adds them.

Selections are kept per account and region, for plans moto knows (ResourceNotFoundException
otherwise), with AWS's request and response shapes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from werkzeug.wrappers import Response

from wa_audit.sandbox import ids
from wa_audit.sandbox.app import Handlers
from wa_audit.sandbox.protocol import AwsRequest, error_response, json_response
from wa_audit.sandbox.state import SandboxState

handlers = Handlers(service="backup", signing_name="backup")


@dataclass
class Selection:
    region: str
    plan_id: str
    selection_id: str
    body: dict[str, Any]
    created: datetime
    creator_request_id: str | None


def _selections(state: SandboxState, account_id: str) -> list[Selection]:
    return state.area(account_id, "backup.selections", list)


def _path_ids(request: AwsRequest) -> list[str]:
    """``/backup/plans/{plan}/selections/{selection}`` → [plan, selection]."""
    parts = [p for p in request.raw.path.split("/") if p]
    return [parts[2], *parts[4:5]]


def _plan_missing(request: AwsRequest, plan_id: str) -> Response | None:
    """AWS's ResourceNotFoundException when moto knows no such plan."""
    from moto.backup.models import backup_backends

    if plan_id in backup_backends[request.account_id][request.region].plans:
        return None
    return error_response(
        request, "ResourceNotFoundException", f"Backup plan {plan_id} not found.", 404
    )


def _find(request: AwsRequest, state: SandboxState) -> Selection | Response:
    plan_id, selection_id = _path_ids(request)
    for selection in _selections(state, request.account_id):
        if (selection.region, selection.plan_id, selection.selection_id) == (
            request.region,
            plan_id,
            selection_id,
        ):
            return selection
    return error_response(
        request, "ResourceNotFoundException", f"Backup selection {selection_id} not found.", 404
    )


@handlers.operation("CreateBackupSelection")
def create_backup_selection(request: AwsRequest, state: SandboxState) -> Response:
    [plan_id] = _path_ids(request)
    if (missing := _plan_missing(request, plan_id)) is not None:
        return missing
    body = request.json()
    selection = Selection(
        region=request.region,
        plan_id=plan_id,
        selection_id=ids.uuid4(),
        body=body.get("BackupSelection", {}),
        created=datetime.now(UTC),
        creator_request_id=body.get("CreatorRequestId"),
    )
    _selections(state, request.account_id).append(selection)
    return json_response(
        {
            "SelectionId": selection.selection_id,
            "BackupPlanId": plan_id,
            "CreationDate": selection.created.timestamp(),
        }
    )


@handlers.operation("ListBackupSelections")
def list_backup_selections(request: AwsRequest, state: SandboxState) -> Response:
    [plan_id] = _path_ids(request)
    if (missing := _plan_missing(request, plan_id)) is not None:
        return missing
    listed = [
        {
            "SelectionId": s.selection_id,
            "SelectionName": s.body.get("SelectionName", ""),
            "BackupPlanId": s.plan_id,
            "CreationDate": s.created.timestamp(),
            "IamRoleArn": s.body.get("IamRoleArn", ""),
            **({"CreatorRequestId": s.creator_request_id} if s.creator_request_id else {}),
        }
        for s in _selections(state, request.account_id)
        if (s.region, s.plan_id) == (request.region, plan_id)
    ]
    return json_response({"BackupSelectionsList": listed})


@handlers.operation("GetBackupSelection")
def get_backup_selection(request: AwsRequest, state: SandboxState) -> Response:
    found = _find(request, state)
    if isinstance(found, Response):
        return found
    return json_response(
        {
            "BackupSelection": found.body,
            "SelectionId": found.selection_id,
            "BackupPlanId": found.plan_id,
            "CreationDate": found.created.timestamp(),
            **({"CreatorRequestId": found.creator_request_id} if found.creator_request_id else {}),
        }
    )


@handlers.operation("DeleteBackupSelection")
def delete_backup_selection(request: AwsRequest, state: SandboxState) -> Response:
    found = _find(request, state)
    if isinstance(found, Response):
        return found
    _selections(state, request.account_id).remove(found)
    return Response(status=200)
