"""What the network checks share (not a check module: no entry point): EC2 resource ARNs and
the names people know their networks by."""

from __future__ import annotations

from collections.abc import Iterable

from wa_audit.checks._findings import regional_arn
from wa_audit.context import CheckContext
from wa_audit.facts.vpc import Subnet, Vpc


def ec2_arn(ctx: CheckContext, kind: str, resource_id: str) -> str:
    """``arn:…:ec2:<region>:<account>:<kind>/<id>`` (VPC, security group, instance …)."""
    return regional_arn(ctx, "ec2", f"{kind}/{resource_id}")


def shared_ec2_arn(ctx: CheckContext, kind: str, resource_id: str) -> str:
    """Snapshots and AMIs: AWS's ARN for them has no account (``arn:…:ec2:<region>::image/…``)."""
    return f"arn:{ctx.partition}:ec2:{ctx.region}::{kind}/{resource_id}"


def labelled(resource_id: str, name: str) -> str:
    """``mublog (vpc-0abc)``, or the bare id when the resource has no Name tag."""
    return f"{name} ({resource_id})" if name else resource_id


def vpc_label(vpc: Vpc) -> str:
    kind = "default VPC" if vpc.is_default else "VPC"
    return f"{kind} {labelled(vpc.id, vpc.name)}"


def subnets_by_vpc(subnets: Iterable[Subnet]) -> dict[str, list[Subnet]]:
    grouped: dict[str, list[Subnet]] = {}
    for subnet in subnets:
        grouped.setdefault(subnet.vpc_id, []).append(subnet)
    return grouped


def listing(items: Iterable[str]) -> str:
    return ", ".join(items)
