"""Application Auto Scaling facts: the scalable targets registered for DynamoDB capacity."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from wa_audit.facts.base import FetchContext, fact

NAMESPACE = "dynamodb"


class ScalableTarget(BaseModel):
    model_config = ConfigDict(frozen=True)

    resource_id: str
    """``table/<name>`` or ``table/<name>/index/<index>``."""
    dimension: str
    """``dynamodb:table:ReadCapacityUnits`` and the like."""
    min_capacity: int
    max_capacity: int
    policies: tuple[str, ...]
    """The scaling policies on this target: a target without one never scales."""


@fact(
    "application_autoscaling.dynamodb_targets",
    regional=True,
    permissions=[
        "application-autoscaling:DescribeScalableTargets",
        "application-autoscaling:DescribeScalingPolicies",
    ],
)
def dynamodb_targets(ctx: FetchContext) -> tuple[ScalableTarget, ...]:
    """DynamoDB auto scaling is a scalable target plus a scaling policy, both in the ``dynamodb``
    namespace of Application Auto Scaling; two listings cover every table of the region."""
    policies: dict[tuple[str, str], list[str]] = {}
    listed = ctx.paginate(
        "application-autoscaling",
        "describe_scaling_policies",
        "ScalingPolicies",
        ServiceNamespace=NAMESPACE,
    )
    for policy in listed:
        key = (policy["ResourceId"], policy["ScalableDimension"])
        policies.setdefault(key, []).append(policy["PolicyName"])
    return tuple(
        ScalableTarget(
            resource_id=raw["ResourceId"],
            dimension=raw["ScalableDimension"],
            min_capacity=raw["MinCapacity"],
            max_capacity=raw["MaxCapacity"],
            policies=tuple(policies.get((raw["ResourceId"], raw["ScalableDimension"]), ())),
        )
        for raw in ctx.paginate(
            "application-autoscaling",
            "describe_scalable_targets",
            "ScalableTargets",
            ServiceNamespace=NAMESPACE,
        )
    )
