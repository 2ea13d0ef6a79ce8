"""Performance efficiency: load balancers that spread traffic over every instance of a group."""

from __future__ import annotations

from collections.abc import Iterator

from wa_audit.context import CheckContext
from wa_audit.facts import autoscaling, elbv2
from wa_audit.models import Finding, Pillar, Severity
from wa_audit.registry import check


@check(
    id="perf.asg-load-balanced",
    pillar=Pillar.PERFORMANCE,
    title="Load balancers spread traffic over every zone of their Auto Scaling groups",
    fail_title="Auto Scaling groups run instances their load balancer sends no traffic to",
    severity=Severity.MEDIUM,
    best_practices=["PERF04-BP04"],
    remediation=(
        "Enable on the load balancer every Availability Zone the group launches into (one "
        "subnet per zone), or remove those zones from the group; attach the group's target "
        "group to a load balancer listener."
    ),
    docs_url="https://docs.aws.amazon.com/elasticloadbalancing/latest/userguide/how-elastic-load-balancing-works.html#availability-zones",
    facts=[autoscaling.groups, elbv2.target_groups, elbv2.load_balancers],
    regional=True,
)
def asg_load_balanced(ctx: CheckContext) -> Iterator[Finding]:
    """Per group with an ``elbv2`` target group. "If you register targets in an Availability Zone
    but do not enable the Availability Zone, these registered targets do not receive traffic"
    (Elastic Load Balancing User Guide). Groups without a load balancer (queue workers) and
    Classic or VPC Lattice sources are not judged."""
    target_groups = {tg.arn: tg for tg in ctx.fact(elbv2.target_groups)}
    balancers = {lb.arn: lb for lb in ctx.fact(elbv2.load_balancers)}
    for group in ctx.fact(autoscaling.groups):
        arns = group.sources("elbv2")
        if not arns:
            continue
        lb_arns = {
            arn
            for tg in arns
            if tg in target_groups
            for arn in target_groups[tg].load_balancer_arns
        }
        used = [balancers[arn] for arn in sorted(lb_arns) if arn in balancers]
        zones = sorted({zone for lb in used for zone in lb.availability_zones})
        idle = [zone for zone in group.availability_zones if zone not in zones]
        evidence = {
            "group_zones": list(group.availability_zones),
            "load_balancers": [lb.name for lb in used],
            "load_balancer_zones": zones,
            "zones_without_traffic": idle,
        }
        if not used:
            message = (
                f"Auto Scaling group {group.name} is registered in target groups that no load "
                "balancer uses: its instances receive no traffic."
            )
            yield ctx.failed(group.arn, message, evidence=evidence)
        elif idle:
            names = ", ".join(lb.name for lb in used)
            message = (
                f"Auto Scaling group {group.name} launches instances in {', '.join(idle)}, which "
                f"{names} does not serve: they take no traffic while the other zones carry it all."
            )
            yield ctx.failed(group.arn, message, evidence=evidence)
        else:
            names = ", ".join(lb.name for lb in used)
            message = f"Auto Scaling group {group.name} gets traffic in all its zones from {names}."
            yield ctx.passed(group.arn, message, evidence=evidence)
