"""Elastic Load Balancing (v2) facts: the region's ALBs, NLBs and GWLBs, their attributes,
listeners and target groups with their targets' health.

Attributes, listeners and target health have no list-level call (DescribeLoadBalancerAttributes,
DescribeListeners and DescribeTargetHealth each take one load balancer or target group), so they
are read per resource; botocore's elbv2 model, 2015-12-01.

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
    """``application``, ``network`` or ``gateway``."""
    availability_zones: tuple[str, ...]
    scheme: str = "internal"
    """``internet-facing`` or ``internal`` (gateway load balancers have none: ``internal``)."""

    @property
    def internet_facing(self) -> bool:
        return self.scheme == "internet-facing"

    @property
    def metric_dimension(self) -> str:
        """The value of the ``LoadBalancer`` dimension of its CloudWatch metrics."""
        return self.arn.split(":loadbalancer/", 1)[-1]

    @property
    def label(self) -> str:
        """How messages name it: ``Application load balancer web``."""
        kind = {"application": "Application", "network": "Network", "gateway": "Gateway"}
        return f"{kind.get(self.type, self.type)} load balancer {self.name}"


class Action(BaseModel):
    model_config = ConfigDict(frozen=True)

    type: str
    redirect_protocol: str | None = None


class Listener(BaseModel):
    model_config = ConfigDict(frozen=True)

    arn: str
    load_balancer_arn: str
    port: int | None = None
    protocol: str | None = None
    ssl_policy: str | None = None
    default_actions: tuple[Action, ...] = ()

    @property
    def redirects_to_https(self) -> bool:
        """Every request the default action answers is redirected to HTTPS (``#{protocol}``
        keeps HTTP, so only an explicit ``HTTPS`` counts)."""
        return any(
            a.type == "redirect" and a.redirect_protocol == "HTTPS" for a in self.default_actions
        )


class TargetGroup(BaseModel):
    model_config = ConfigDict(frozen=True)

    name: str
    arn: str
    load_balancer_arns: tuple[str, ...]
    target_type: str | None = None


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
            scheme=raw.get("Scheme", "internal"),
        )
        for raw in ctx.paginate("elbv2", "describe_load_balancers", "LoadBalancers")
    )


@fact(
    "elbv2.attributes",
    regional=True,
    permissions=["elasticloadbalancing:DescribeLoadBalancerAttributes"],
    needs=(load_balancers,),
)
def attributes(ctx: FetchContext) -> dict[str, dict[str, str]]:
    """Each load balancer's attributes by key (``access_logs.s3.enabled`` …), by its ARN."""
    client = ctx.client("elbv2")
    return {
        balancer.arn: {
            item["Key"]: item["Value"]
            for item in client.describe_load_balancer_attributes(LoadBalancerArn=balancer.arn).get(
                "Attributes", []
            )
            if "Key" in item and "Value" in item
        }
        for balancer in ctx.get(load_balancers)
    }


def _action(raw: dict[str, object]) -> Action:
    redirect = raw.get("RedirectConfig")
    protocol = redirect.get("Protocol") if isinstance(redirect, dict) else None
    return Action(type=str(raw["Type"]), redirect_protocol=protocol)


@fact(
    "elbv2.listeners",
    regional=True,
    permissions=["elasticloadbalancing:DescribeListeners"],
    needs=(load_balancers,),
)
def listeners(ctx: FetchContext) -> tuple[Listener, ...]:
    found = []
    for balancer in ctx.get(load_balancers):
        for raw in ctx.paginate(
            "elbv2", "describe_listeners", "Listeners", LoadBalancerArn=balancer.arn
        ):
            found.append(
                Listener(
                    arn=raw["ListenerArn"],
                    load_balancer_arn=raw.get("LoadBalancerArn", balancer.arn),
                    port=raw.get("Port"),
                    protocol=raw.get("Protocol"),
                    ssl_policy=raw.get("SslPolicy"),
                    default_actions=tuple(_action(a) for a in raw.get("DefaultActions", [])),
                )
            )
    return tuple(found)


@fact(
    "elbv2.ssl_policies",
    regional=True,
    permissions=["elasticloadbalancing:DescribeSSLPolicies"],
)
def ssl_policies(ctx: FetchContext) -> dict[str, tuple[str, ...]]:
    """The protocols (``TLSv1.2`` …) each predefined security policy negotiates, by name
    (``SslProtocols`` is a list of strings in botocore's model)."""
    return {
        raw["Name"]: tuple(raw.get("SslProtocols", []))
        for raw in ctx.paginate("elbv2", "describe_ssl_policies", "SslPolicies")
        if "Name" in raw
    }


@fact(
    "elbv2.target_groups", regional=True, permissions=["elasticloadbalancing:DescribeTargetGroups"]
)
def target_groups(ctx: FetchContext) -> tuple[TargetGroup, ...]:
    return tuple(
        TargetGroup(
            name=raw["TargetGroupName"],
            arn=raw["TargetGroupArn"],
            load_balancer_arns=tuple(raw.get("LoadBalancerArns", [])),
            target_type=raw.get("TargetType"),
        )
        for raw in ctx.paginate("elbv2", "describe_target_groups", "TargetGroups")
    )


@fact(
    "elbv2.target_health",
    regional=True,
    permissions=["elasticloadbalancing:DescribeTargetHealth"],
    needs=(target_groups,),
)
def target_health(ctx: FetchContext) -> dict[str, tuple[str, ...]]:
    """One TargetHealth.State per registered target (``healthy``, ``unhealthy``, ``unused`` …),
    by target group ARN. DescribeTargetHealth takes one target group and is not paginated."""
    client = ctx.client("elbv2")
    return {
        group.arn: tuple(
            d.get("TargetHealth", {}).get("State", "unknown")
            for d in client.describe_target_health(TargetGroupArn=group.arn).get(
                "TargetHealthDescriptions", []
            )
        )
        for group in ctx.get(target_groups)
    }
