"""Elastic Load Balancing (v2) facts: load balancers with their zones, and target groups.

CloudWatch names a load balancer in its ``LoadBalancer`` dimension by the end of its ARN
(``app/web/50dc6c495c0c9188``), a target group by ``targetgroup/...`` in ``TargetGroup``
(https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-cloudwatch-metrics.html).
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from wa_audit.facts.base import FetchContext, fact


class LoadBalancer(BaseModel):
    model_config = ConfigDict(frozen=True)

    name: str
    arn: str
    type: str
    """application, network or gateway."""
    availability_zones: tuple[str, ...]

    @property
    def metric_dimension(self) -> str:
        """The value of the ``LoadBalancer`` dimension of its CloudWatch metrics."""
        return self.arn.split(":loadbalancer/", 1)[-1]


class TargetGroup(BaseModel):
    model_config = ConfigDict(frozen=True)

    name: str
    arn: str
    load_balancer_arns: tuple[str, ...]


@fact(
    "elbv2.load_balancers",
    regional=True,
    permissions=["elasticloadbalancing:DescribeLoadBalancers"],
)
def load_balancers(ctx: FetchContext) -> tuple[LoadBalancer, ...]:
    return tuple(
        LoadBalancer(
            name=raw["LoadBalancerName"],
            arn=raw["LoadBalancerArn"],
            type=raw.get("Type", "application"),
            availability_zones=tuple(
                sorted(zone["ZoneName"] for zone in raw.get("AvailabilityZones", []))
            ),
        )
        for raw in ctx.paginate("elbv2", "describe_load_balancers", "LoadBalancers")
    )


@fact(
    "elbv2.target_groups", regional=True, permissions=["elasticloadbalancing:DescribeTargetGroups"]
)
def target_groups(ctx: FetchContext) -> tuple[TargetGroup, ...]:
    return tuple(
        TargetGroup(
            name=raw["TargetGroupName"],
            arn=raw["TargetGroupArn"],
            load_balancer_arns=tuple(raw.get("LoadBalancerArns", [])),
        )
        for raw in ctx.paginate("elbv2", "describe_target_groups", "TargetGroups")
    )
