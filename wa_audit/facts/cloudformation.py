"""CloudFormation facts: the region's stacks, with their rollback setting and drift status."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict

from wa_audit.facts.base import FetchContext, fact


class Stack(BaseModel):
    model_config = ConfigDict(frozen=True)

    id: str
    name: str
    status: str
    disable_rollback: bool
    drift_status: str | None
    """DRIFTED, IN_SYNC, UNKNOWN or NOT_CHECKED; None when AWS did not report it."""
    drift_checked_at: datetime | None
    parent_id: str | None
    """Set for nested stacks: their drift and rollback follow the root stack's operations."""


@fact("cloudformation.stacks", regional=True, permissions=["cloudformation:DescribeStacks"])
def stacks(ctx: FetchContext) -> tuple[Stack, ...]:
    """DescribeStacks without a name lists live stacks only (deleted ones need ListStacks)."""
    found = []
    for raw in ctx.paginate("cloudformation", "describe_stacks", "Stacks"):
        drift = raw.get("DriftInformation") or {}
        found.append(
            Stack(
                id=raw["StackId"],
                name=raw["StackName"],
                status=raw["StackStatus"],
                disable_rollback=bool(raw.get("DisableRollback")),
                drift_status=drift.get("StackDriftStatus"),
                drift_checked_at=drift.get("LastCheckTimestamp"),
                parent_id=raw.get("ParentId"),
            )
        )
    return tuple(found)
