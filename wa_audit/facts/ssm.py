"""Systems Manager facts: the nodes SSM manages, their patch states, and the account's own runbooks."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict

from wa_audit.facts.base import FetchContext, fact

PATCH_STATE_BATCH = 50
"""DescribeInstancePatchStates takes at most 50 instance ids (botocore's InstanceIdList max)."""


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True)


class ManagedNode(_Model):
    id: str
    ping_status: str | None
    """Online, ConnectionLost or Inactive."""
    resource_type: str | None
    """EC2Instance or ManagedInstance (hybrid, ``mi-…``)."""


class PatchState(_Model):
    instance_id: str
    baseline_id: str
    operation: str
    """Scan or Install: the last patching operation."""
    operation_end: datetime
    missing: int
    failed: int
    installed_pending_reboot: int

    @property
    def non_compliant(self) -> bool:
        return bool(self.missing or self.failed)


@fact("ssm.managed_nodes", regional=True, permissions=["ssm:DescribeInstanceInformation"])
def managed_nodes(ctx: FetchContext) -> tuple[ManagedNode, ...]:
    return tuple(
        ManagedNode(
            id=raw["InstanceId"],
            ping_status=raw.get("PingStatus"),
            resource_type=raw.get("ResourceType"),
        )
        for raw in ctx.paginate("ssm", "describe_instance_information", "InstanceInformationList")
    )


@fact(
    "ssm.patch_states",
    regional=True,
    permissions=["ssm:DescribeInstancePatchStates"],
    needs=(managed_nodes,),
)
def patch_states(ctx: FetchContext) -> dict[str, PatchState]:
    """Instance id → its patch state, for managed nodes only (AWS keeps none for others), in
    batches of 50 ids; a node without one was never scanned."""
    ids = [node.id for node in ctx.get(managed_nodes)]
    found: dict[str, PatchState] = {}
    for start in range(0, len(ids), PATCH_STATE_BATCH):
        batch = ids[start : start + PATCH_STATE_BATCH]
        for raw in ctx.paginate(
            "ssm", "describe_instance_patch_states", "InstancePatchStates", InstanceIds=batch
        ):
            found[raw["InstanceId"]] = PatchState(
                instance_id=raw["InstanceId"],
                baseline_id=raw["BaselineId"],
                operation=raw["Operation"],
                operation_end=raw["OperationEndTime"],
                missing=raw.get("MissingCount", 0),
                failed=raw.get("FailedCount", 0),
                installed_pending_reboot=raw.get("InstalledPendingRebootCount", 0),
            )
    return found


@fact("ssm.own_automation_runbooks", regional=True, permissions=["ssm:ListDocuments"])
def own_automation_runbooks(ctx: FetchContext) -> tuple[str, ...]:
    """Names of Automation documents the account owns (Owner Self), not AWS's or shared ones."""
    return tuple(
        raw["Name"]
        for raw in ctx.paginate(
            "ssm",
            "list_documents",
            "DocumentIdentifiers",
            Filters=[
                {"Key": "Owner", "Values": ["Self"]},
                {"Key": "DocumentType", "Values": ["Automation"]},
            ],
        )
    )
