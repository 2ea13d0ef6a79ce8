"""Systems Manager: moto has no managed nodes (no SSM Agent registers with it) and no patch states.

``DescribeInstanceInformation`` and ``DescribeInstancePatchStates`` answer from nodes the seeders
register here, in the shapes of botocore's ssm model (JSON 1.1; timestamps as epoch seconds;
InstanceIds required, at most 50). The rest of SSM (documents, parameters …) is moto's.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from werkzeug.wrappers import Response

from wa_audit.sandbox.app import Handlers
from wa_audit.sandbox.pagination import InvalidToken, page
from wa_audit.sandbox.protocol import AwsRequest, error_response, json_response
from wa_audit.sandbox.state import SandboxState

handlers = Handlers(service="ssm", signing_name="ssm")
MAX_INSTANCE_IDS = 50


@dataclass
class PatchState:
    baseline_id: str
    operation: str
    operation_end: datetime
    missing: int = 0
    failed: int = 0
    installed: int = 0


@dataclass
class ManagedNode:
    instance_id: str
    ping_status: str
    last_ping: datetime
    platform: str = "Linux"
    patch_state: PatchState | None = None


@dataclass
class Nodes:
    by_region: dict[str, dict[str, ManagedNode]] = field(default_factory=dict)


def managed_nodes(state: SandboxState, account_id: str, region: str) -> dict[str, ManagedNode]:
    """The nodes of one account and region; seeders add to it as an agent would register."""
    nodes: Nodes = state.area(account_id, "ssm.nodes", Nodes)
    return nodes.by_region.setdefault(region, {})


def _information(node: ManagedNode) -> dict[str, Any]:
    return {
        "InstanceId": node.instance_id,
        "PingStatus": node.ping_status,
        "LastPingDateTime": node.last_ping.timestamp(),
        "AgentVersion": "3.3.1142.0",
        "IsLatestVersion": False,
        "PlatformType": node.platform,
        "PlatformName": "Amazon Linux",
        "PlatformVersion": "2023",
        "ResourceType": "ManagedInstance" if node.instance_id.startswith("mi-") else "EC2Instance",
    }


def _patch_state(node: ManagedNode, patch: PatchState) -> dict[str, Any]:
    return {
        "InstanceId": node.instance_id,
        "PatchGroup": "",
        "BaselineId": patch.baseline_id,
        "InstalledCount": patch.installed,
        "InstalledOtherCount": 0,
        "InstalledPendingRebootCount": 0,
        "InstalledRejectedCount": 0,
        "MissingCount": patch.missing,
        "FailedCount": patch.failed,
        "NotApplicableCount": 0,
        "OperationStartTime": patch.operation_end.timestamp() - 60,
        "OperationEndTime": patch.operation_end.timestamp(),
        "Operation": patch.operation,
        "RebootOption": "RebootIfNeeded",
    }


def _paged(request: AwsRequest, key: str, items: list[dict[str, Any]], default: int) -> Response:
    body = request.json()
    try:
        found, token = page(items, body.get("NextToken"), int(body.get("MaxResults") or default))
    except InvalidToken:
        return error_response(request, "InvalidNextToken", "The specified token is not valid.")
    answer: dict[str, Any] = {key: found}
    if token:
        answer["NextToken"] = token
    return json_response(answer)


@handlers.operation("DescribeInstanceInformation")
def describe_instance_information(request: AwsRequest, state: SandboxState) -> Response:
    """Filters are not implemented: asking with one is refused rather than answered wrongly."""
    body = request.json()
    if body.get("Filters") or body.get("InstanceInformationFilterList"):
        return error_response(
            request, "InvalidFilter", "The wa-audit sandbox does not implement filters here."
        )
    nodes = managed_nodes(state, request.account_id, request.region).values()
    return _paged(request, "InstanceInformationList", [_information(n) for n in nodes], 50)


@handlers.operation("DescribeInstancePatchStates")
def describe_instance_patch_states(request: AwsRequest, state: SandboxState) -> Response:
    ids = request.json().get("InstanceIds")
    if ids is None or len(ids) > MAX_INSTANCE_IDS:
        return error_response(
            request,
            "ValidationException",
            f"InstanceIds is required and takes at most {MAX_INSTANCE_IDS} ids.",
        )
    nodes = managed_nodes(state, request.account_id, request.region)
    states = [
        _patch_state(node, node.patch_state)
        for instance_id in ids
        if (node := nodes.get(instance_id)) is not None and node.patch_state is not None
    ]
    return _paged(request, "InstancePatchStates", states, 10)
