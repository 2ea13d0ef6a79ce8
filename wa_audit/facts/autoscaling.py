"""Auto Scaling facts: the region's groups (zones, load balancers, health checks) and policies.

A group's load balancers come three ways: ``TargetGroupARNs`` and ``LoadBalancerNames`` (the older
attach APIs) and ``TrafficSources`` (``elbv2`` target groups, ``elb`` Classic Load Balancers,
``vpc-lattice`` target groups); the fact keeps their union. ``HealthCheckType`` is a
comma-separated list of ``EC2``, ``ELB``, ``EBS`` and ``VPC_LATTICE`` (EC2 is always on):
https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_AutoScalingGroup.html
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict

from wa_audit.facts.base import FetchContext, fact

ELB_SOURCES = frozenset({"elb", "elbv2"})
CLUSTER_AUTOSCALER_TAG = "k8s.io/cluster-autoscaler/enabled"


class AutoScalingGroup(BaseModel):
    model_config = ConfigDict(frozen=True)

    name: str
    arn: str
    availability_zones: tuple[str, ...]
    desired_capacity: int
    min_size: int = 0
    max_size: int = 0
    health_check_types: tuple[str, ...] = ("EC2",)
    traffic_sources: tuple[tuple[str, str], ...] = ()
    """(type, identifier): ``elbv2`` target group ARNs, ``elb`` names, ``vpc-lattice`` ARNs."""
    tags: dict[str, str] = {}

    def sources(self, *types: str) -> tuple[str, ...]:
        return tuple(identifier for kind, identifier in self.traffic_sources if kind in types)

    @property
    def scaled_by_kubernetes(self) -> bool:
        """Tagged for the Kubernetes Cluster Autoscaler (EKS managed node groups are): it sets
        the desired capacity from inside the cluster, without Auto Scaling policies."""
        return self.tags.get(CLUSTER_AUTOSCALER_TAG, "").lower() == "true"


def _traffic_sources(raw: dict[str, Any]) -> tuple[tuple[str, str], ...]:
    found = [("elbv2", arn) for arn in raw.get("TargetGroupARNs", [])]
    found += [("elb", name) for name in raw.get("LoadBalancerNames", [])]
    for source in raw.get("TrafficSources", []):
        kind = source.get("Type") or ("elbv2" if ":targetgroup/" in source["Identifier"] else "elb")
        found.append((kind, source["Identifier"]))
    return tuple(dict.fromkeys(found))


@fact("autoscaling.groups", regional=True, permissions=["autoscaling:DescribeAutoScalingGroups"])
def groups(ctx: FetchContext) -> tuple[AutoScalingGroup, ...]:
    return tuple(
        AutoScalingGroup(
            name=raw["AutoScalingGroupName"],
            arn=raw["AutoScalingGroupARN"],
            availability_zones=tuple(sorted(set(raw.get("AvailabilityZones", [])))),
            desired_capacity=raw.get("DesiredCapacity", 0),
            min_size=raw["MinSize"],
            max_size=raw["MaxSize"],
            health_check_types=tuple(
                kind.strip() for kind in raw["HealthCheckType"].split(",") if kind.strip()
            ),
            traffic_sources=_traffic_sources(raw),
            tags={tag["Key"]: tag.get("Value", "") for tag in raw.get("Tags", [])},
        )
        for raw in ctx.paginate("autoscaling", "describe_auto_scaling_groups", "AutoScalingGroups")
    )


class ScalingPolicy(BaseModel):
    model_config = ConfigDict(frozen=True)

    group: str
    name: str
    arn: str
    type: str
    """SimpleScaling, StepScaling, TargetTrackingScaling or PredictiveScaling."""
    enabled: bool = True
    predictive_mode: str | None = None
    """ForecastOnly (the default: forecasts, never scales) or ForecastAndScale."""


@fact("autoscaling.policies", regional=True, permissions=["autoscaling:DescribePolicies"])
def policies(ctx: FetchContext) -> tuple[ScalingPolicy, ...]:
    """Every policy of the region in one paginated call (no group name given)."""
    found = []
    for raw in ctx.paginate("autoscaling", "describe_policies", "ScalingPolicies"):
        kind = raw.get("PolicyType", "SimpleScaling")
        predictive = raw.get("PredictiveScalingConfiguration") or {}
        found.append(
            ScalingPolicy(
                group=raw["AutoScalingGroupName"],
                name=raw["PolicyName"],
                arn=raw["PolicyARN"],
                type=kind,
                # Optional in the model; PutScalingPolicy's default is enabled.
                enabled=raw.get("Enabled", True),
                predictive_mode=(
                    predictive.get("Mode", "ForecastOnly") if kind == "PredictiveScaling" else None
                ),
            )
        )
    return tuple(found)
