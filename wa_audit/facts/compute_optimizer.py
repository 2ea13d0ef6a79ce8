"""Whether the account is enrolled in AWS Compute Optimizer (opt-in; off by default)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

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


class InstanceRecommendation(BaseModel):
    """Compute Optimizer's verdict on one EC2 instance, and the best-ranked option it offers."""

    model_config = ConfigDict(frozen=True)

    instance_arn: str
    instance_name: str | None = None
    current_type: str | None = None
    finding: str | None = None
    """``Overprovisioned``, ``Underprovisioned``, ``Optimized`` or ``NotOptimized``."""
    reasons: tuple[str, ...] = ()
    recommended_type: str | None = None
    monthly_savings_usd: float | None = None


class Ec2Recommendations(BaseModel):
    model_config = ConfigDict(frozen=True)

    enrolled: bool
    """False: the account has not opted in, so Compute Optimizer has nothing to say."""
    instances: tuple[InstanceRecommendation, ...] = ()


def _best_option(raw: dict[str, Any]) -> dict[str, Any]:
    options = sorted(raw.get("recommendationOptions", []), key=lambda o: o.get("rank", 99))
    return options[0] if options else {}


def _recommendation(raw: dict[str, Any]) -> InstanceRecommendation:
    option = _best_option(raw)
    savings = option.get("savingsOpportunity", {}).get("estimatedMonthlySavings", {})
    return InstanceRecommendation(
        instance_arn=raw["instanceArn"],
        instance_name=raw.get("instanceName"),
        current_type=raw.get("currentInstanceType"),
        finding=raw.get("finding"),
        reasons=tuple(raw.get("findingReasonCodes", [])),
        recommended_type=option.get("instanceType"),
        monthly_savings_usd=savings.get("value"),
    )


@fact(
    "compute_optimizer.ec2_recommendations",
    regional=True,
    permissions=["compute-optimizer:GetEC2InstanceRecommendations"],
    needs=(enrollment,),
)
def ec2_recommendations(ctx: FetchContext) -> Ec2Recommendations:
    """The region's EC2 recommendations, read only when the account is enrolled (AWS answers
    OptInRequiredException otherwise). The operation has no botocore paginator: nextToken by hand."""
    if not ctx.get(enrollment).enrolled:
        return Ec2Recommendations(enrolled=False)
    client = ctx.client("compute-optimizer")
    found: list[InstanceRecommendation] = []
    request: dict[str, Any] = {}
    while True:
        page = client.get_ec2_instance_recommendations(**request)
        found += [_recommendation(raw) for raw in page.get("instanceRecommendations", [])]
        if not page.get("nextToken"):
            break
        request["nextToken"] = page["nextToken"]
    return Ec2Recommendations(enrolled=True, instances=tuple(found))
