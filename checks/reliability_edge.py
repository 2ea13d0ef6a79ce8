"""Reliability of the edge: load balancers across zones, protected from deletion."""

from __future__ import annotations

from collections.abc import Iterator

from wa_audit.checks._findings import verdict
from wa_audit.context import CheckContext
from wa_audit.facts import elbv2
from wa_audit.models import Finding, Pillar, Severity
from wa_audit.registry import check


@check(
    id="rel.elb-multi-az",
    pillar=Pillar.RELIABILITY,
    title="Load balancers span several Availability Zones",
    fail_title="Load balancers run in one Availability Zone",
    severity=Severity.MEDIUM,
    best_practices=["REL10-BP01", "REL02-BP01"],
    remediation=(
        "Enable at least two Availability Zones (a subnet in each) on the load balancer, with "
        "targets in each of them."
    ),
    docs_url="https://docs.aws.amazon.com/elasticloadbalancing/latest/userguide/how-elastic-load-balancing-works.html#availability-zones",
    facts=[elbv2.load_balancers],
    regional=True,
)
def elb_multi_az(ctx: CheckContext) -> Iterator[Finding]:
    """ALBs need two zones at creation, NLBs and GWLBs may have one: a zone outage stops those."""
    for balancer in ctx.fact(elbv2.load_balancers):
        zones = balancer.availability_zones
        yield verdict(
            ctx,
            balancer.arn,
            len(zones) >= 2,
            f"{balancer.label} spans {len(zones)} Availability Zones.",
            f"{balancer.label} is enabled in one Availability Zone only ({', '.join(zones)}).",
            {"availability_zones": list(zones), "type": balancer.type},
        )


@check(
    id="rel.elb-deletion-protection",
    pillar=Pillar.RELIABILITY,
    title="Load balancers have deletion protection",
    fail_title="Load balancers can be deleted by mistake",
    severity=Severity.LOW,
    best_practices=["REL02-BP01"],
    remediation=(
        "Turn on deletion protection (attribute deletion_protection.enabled) so that a stray "
        "delete, by hand or by a stack update, cannot take the endpoint away."
    ),
    docs_url="https://docs.aws.amazon.com/elasticloadbalancing/latest/application/application-load-balancers.html#deletion-protection",
    facts=[elbv2.load_balancers, elbv2.attributes],
    regional=True,
)
def elb_deletion_protection(ctx: CheckContext) -> Iterator[Finding]:
    """A deleted load balancer's DNS name is gone for good: every client and alias record
    pointing at it breaks, so the public endpoint's availability depends on it (REL02-BP01)."""
    attributes = ctx.fact(elbv2.attributes)
    for balancer in ctx.fact(elbv2.load_balancers):
        value = attributes.get(balancer.arn, {}).get("deletion_protection.enabled")
        yield verdict(
            ctx,
            balancer.arn,
            value == "true",
            f"{balancer.label} has deletion protection.",
            f"{balancer.label} has deletion protection off: one delete call removes it and its "
            "DNS name.",
            {"deletion_protection.enabled": value},
        )
