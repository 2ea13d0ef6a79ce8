"""Whether the account is enrolled in AWS Compute Optimizer (opt-in; off by default)."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict

from wa_audit.facts.base import FetchContext, fact

ACTIVE = "Active"


class EnrollmentStatus(BaseModel):
    model_config = ConfigDict(frozen=True)

    status: str
    """``Active``, ``Inactive``, ``Pending`` or ``Failed``."""
    reason: str | None = None
    last_updated: datetime | None = None

    @property
    def enrolled(self) -> bool:
        return self.status == ACTIVE


@fact(
    "compute_optimizer.enrollment",
    regional=False,
    permissions=["compute-optimizer:GetEnrollmentStatus"],
)
def enrollment(ctx: FetchContext) -> EnrollmentStatus:
    response = ctx.client("compute-optimizer").get_enrollment_status()
    return EnrollmentStatus(
        status=response["status"],
        reason=response.get("statusReason"),
        last_updated=response.get("lastUpdatedTimestamp"),
    )
