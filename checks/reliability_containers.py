"""Reliability checks of container services: ECS services that survive losing a task or a zone."""

from __future__ import annotations

from collections.abc import Iterator

from wa_audit.checks._findings import verdict
from wa_audit.context import CheckContext
from wa_audit.facts import ecs, vpc
from wa_audit.models import Finding, Pillar, Severity
from wa_audit.registry import check


@check(
    id="rel.ecs-service-spread",
    pillar=Pillar.RELIABILITY,
    title="ECS services run several tasks across Availability Zones",
    fail_title="ECS services run one task or in one Availability Zone",
    severity=Severity.MEDIUM,
    best_practices=["REL10-BP01", "REL11-BP03"],
    remediation=(
        "Run at least two tasks (desiredCount >= 2) and give an awsvpc/Fargate service subnets in "
        "at least two Availability Zones; ECS spreads a service's tasks across them."
    ),
    docs_url="https://docs.aws.amazon.com/AmazonECS/latest/developerguide/service-rebalancing.html",
    facts=[ecs.services, vpc.subnets],
    regional=True,
)
def ecs_service_spread(ctx: CheckContext) -> Iterator[Finding]:
    """Zones from the awsvpc subnets (always set on Fargate). A service on EC2 container instances
    without awsvpc runs where the instances are: only its task count is judged here, the
    instances' zones by rel.asg-multi-az."""
    zones_of = {subnet.id: subnet.availability_zone for subnet in ctx.fact(vpc.subnets)}
    for service in ctx.fact(ecs.services):
        zones = sorted({zones_of[s] for s in service.subnets if s in zones_of})
        evidence = {
            "desiredCount": service.desired_count,
            "schedulingStrategy": service.scheduling_strategy,
            "subnets": list(service.subnets),
            "availability_zones": zones,
        }
        if service.scheduling_strategy == "DAEMON" or service.desired_count == 0:
            why = (
                "a daemon service runs one task on every container instance"
                if service.scheduling_strategy == "DAEMON"
                else "it is scaled to zero tasks"
            )
            yield ctx.not_applicable(
                service.arn, f"ECS service {service.name} is not judged: {why}.", evidence=evidence
            )
            continue
        problems = []
        if service.desired_count < 2:
            problems.append(f"runs {service.desired_count} task")
        if service.subnets and len(zones) < 2:
            problems.append(f"places tasks in {len(zones) or 'no known'} Availability Zone")
        where = f" across {len(zones)} zones" if zones else " on its cluster's instances"
        yield verdict(
            ctx,
            service.arn,
            not problems,
            f"ECS service {service.name} runs {service.desired_count} tasks{where}.",
            f"ECS service {service.name} {' and '.join(problems)}: one failure stops it.",
            evidence,
        )
