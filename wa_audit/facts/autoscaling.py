"""Auto Scaling facts: the region's groups and the Availability Zones they span."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from wa_audit.facts.base import FetchContext, fact


class AutoScalingGroup(BaseModel):
    model_config = ConfigDict(frozen=True)

    name: str
    arn: str
    availability_zones: tuple[str, ...]
    desired_capacity: int


@fact("autoscaling.groups", regional=True, permissions=["autoscaling:DescribeAutoScalingGroups"])
def groups(ctx: FetchContext) -> tuple[AutoScalingGroup, ...]:
    return tuple(
        AutoScalingGroup(
            name=raw["AutoScalingGroupName"],
            arn=raw["AutoScalingGroupARN"],
            availability_zones=tuple(sorted(set(raw.get("AvailabilityZones", [])))),
            desired_capacity=raw.get("DesiredCapacity", 0),
        )
        for raw in ctx.paginate("autoscaling", "describe_auto_scaling_groups", "AutoScalingGroups")
    )
