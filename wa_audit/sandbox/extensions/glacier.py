"""Glacier vault locks and access policies, which moto lacks (it has vaults and archives only).

Shapes from botocore's glacier model: ``InitiateVaultLock`` answers 201 with the lock id in
``x-amz-lock-id``; ``CompleteVaultLock`` and ``SetVaultAccessPolicy`` 204; ``GetVaultLock`` the
``Policy``, ``State`` (``InProgress`` or ``Locked``), ``CreationDate`` and, while in progress, the
``ExpirationDate`` 24 hours on; ``GetVaultAccessPolicy`` the ``{"Policy": …}`` payload. A vault
without a lock or policy, or an unknown vault, answers ``ResourceNotFoundException`` (404).
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import TypeVar

from werkzeug.wrappers import Response

from wa_audit.sandbox.app import Handlers
from wa_audit.sandbox.protocol import AwsRequest, error_response, json_response, raw_path
from wa_audit.sandbox.state import SandboxState

handlers = Handlers(service="glacier", signing_name="glacier")
LOCK_ABORT_WINDOW = timedelta(hours=24)
T = TypeVar("T")


@dataclass
class Lock:
    policy: str
    lock_id: str
    created: datetime
    state: str = "InProgress"


@dataclass
class VaultSettings:
    locks: dict[tuple[str, str], Lock] = field(default_factory=dict)
    policies: dict[tuple[str, str], str] = field(default_factory=dict)


def _settings(state: SandboxState, account_id: str) -> VaultSettings:
    return state.area(account_id, "glacier.vaults", VaultSettings)


def _vault(request: AwsRequest) -> str | None:
    """The vault named in ``/{accountId}/vaults/{vaultName}/…``, if moto has it."""
    from moto.glacier.models import glacier_backends

    name = raw_path(request.raw).split("/")[3]
    return name if name in glacier_backends[request.account_id][request.region].vaults else None


def _of_vault(request: AwsRequest, table: dict[tuple[str, str], T]) -> T | None:
    """What ``table`` holds for the request's vault, if the vault exists and has one."""
    return table.get((request.region, _vault(request) or ""))


def _not_found(request: AwsRequest, what: str) -> Response:
    return error_response(request, "ResourceNotFoundException", f"{what} not found", 404)


def _iso(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%S.000Z")


@handlers.operation("InitiateVaultLock")
def initiate_vault_lock(request: AwsRequest, state: SandboxState) -> Response:
    name = _vault(request)
    if name is None:
        return _not_found(request, "Vault")
    lock = Lock(json.loads(request.body)["Policy"], uuid.uuid4().hex, datetime.now(UTC))
    _settings(state, request.account_id).locks[(request.region, name)] = lock
    return Response(status=201, headers={"x-amz-lock-id": lock.lock_id})


@handlers.operation("CompleteVaultLock")
def complete_vault_lock(request: AwsRequest, state: SandboxState) -> Response:
    lock = _of_vault(request, _settings(state, request.account_id).locks)
    if lock is None or raw_path(request.raw).rstrip("/").split("/")[-1] != lock.lock_id:
        return _not_found(request, "Vault lock")
    lock.state = "Locked"
    return Response(status=204)


@handlers.operation("GetVaultLock")
def get_vault_lock(request: AwsRequest, state: SandboxState) -> Response:
    lock = _of_vault(request, _settings(state, request.account_id).locks)
    if lock is None:
        return _not_found(request, "Vault lock")
    body = {"Policy": lock.policy, "State": lock.state, "CreationDate": _iso(lock.created)}
    if lock.state == "InProgress":
        body["ExpirationDate"] = _iso(lock.created + LOCK_ABORT_WINDOW)
    return json_response(body)


@handlers.operation("SetVaultAccessPolicy")
def set_vault_access_policy(request: AwsRequest, state: SandboxState) -> Response:
    name = _vault(request)
    if name is None:
        return _not_found(request, "Vault")
    policy = json.loads(request.body)["Policy"]
    _settings(state, request.account_id).policies[(request.region, name)] = policy
    return Response(status=204)


@handlers.operation("GetVaultAccessPolicy")
def get_vault_access_policy(request: AwsRequest, state: SandboxState) -> Response:
    policy = _of_vault(request, _settings(state, request.account_id).policies)
    if policy is None:
        return _not_found(request, "Vault access policy")
    return json_response({"Policy": policy})
