"""VPC facts (EC2 API): networks, subnets, security groups, prefix lists and gateways of a region.

Kept to what quotas and network checks read: ids, placement and rule targets, not whole documents.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pydantic import BaseModel, ConfigDict

from wa_audit.facts.base import FetchContext, fact


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True)


class Vpc(_Model):
    id: str
    is_default: bool


class Subnet(_Model):
    id: str
    vpc_id: str
    availability_zone: str


class PrefixList(_Model):
    id: str
    name: str
    address_family: str
    """``IPv4`` or ``IPv6``: a prefix list holds one family only."""
    weight: int | None
    """Rules one reference counts as: ``MaxEntries`` (or AWS's documented weight); None unknown."""


AWS_MANAGED_WEIGHTS = {".s3": 1, ".dynamodb": 1, "cloudfront.origin-facing": 55}
"""Weights of AWS-managed prefix lists, from the VPC User Guide ("AWS-managed prefix list
weight"), for an answer without ``MaxEntries``."""


class RuleTargets(_Model):
    """What one direction's rules reference: each CIDR, group or prefix list is one rule."""

    ipv4_ranges: int = 0
    ipv6_ranges: int = 0
    group_references: int = 0
    prefix_lists: tuple[str, ...] = ()
    """One id per reference."""

    def rules_by_family(self, prefix_lists: Mapping[str, PrefixList]) -> dict[str, int]:
        """Rules as the rules-per-group quota counts them, which it limits per IP family: a
        group reference counts once in each family, a prefix list as its weight in its own."""
        counted = {
            "IPv4": self.ipv4_ranges + self.group_references,
            "IPv6": self.ipv6_ranges + self.group_references,
        }
        for list_id in self.prefix_lists:
            known = prefix_lists.get(list_id)
            family = known.address_family if known else "IPv4"
            counted[family] = counted.get(family, 0) + ((known.weight if known else None) or 1)
        return counted


class SecurityGroup(_Model):
    id: str
    vpc_id: str | None
    inbound: RuleTargets
    outbound: RuleTargets


class NatGateway(_Model):
    id: str
    subnet_id: str
    state: str


def _targets(permissions: list[dict[str, Any]]) -> RuleTargets:
    return RuleTargets(
        ipv4_ranges=sum(len(p.get("IpRanges", [])) for p in permissions),
        ipv6_ranges=sum(len(p.get("Ipv6Ranges", [])) for p in permissions),
        group_references=sum(len(p.get("UserIdGroupPairs", [])) for p in permissions),
        prefix_lists=tuple(
            ref["PrefixListId"] for p in permissions for ref in p.get("PrefixListIds", [])
        ),
    )


def _weight(raw: dict[str, Any]) -> int | None:
    if "MaxEntries" in raw:
        return int(raw["MaxEntries"])
    name = raw.get("PrefixListName", "")
    if raw.get("OwnerId") == "AWS":
        return next((w for end, w in AWS_MANAGED_WEIGHTS.items() if name.endswith(end)), None)
    return None


@fact("ec2.vpcs", regional=True, permissions=["ec2:DescribeVpcs"])
def vpcs(ctx: FetchContext) -> tuple[Vpc, ...]:
    return tuple(
        Vpc(id=raw["VpcId"], is_default=raw.get("IsDefault", False))
        for raw in ctx.paginate("ec2", "describe_vpcs", "Vpcs")
    )


@fact("ec2.subnets", regional=True, permissions=["ec2:DescribeSubnets"])
def subnets(ctx: FetchContext) -> tuple[Subnet, ...]:
    return tuple(
        Subnet(id=raw["SubnetId"], vpc_id=raw["VpcId"], availability_zone=raw["AvailabilityZone"])
        for raw in ctx.paginate("ec2", "describe_subnets", "Subnets")
    )


@fact("ec2.security_groups", regional=True, permissions=["ec2:DescribeSecurityGroups"])
def security_groups(ctx: FetchContext) -> tuple[SecurityGroup, ...]:
    return tuple(
        SecurityGroup(
            id=raw["GroupId"],
            vpc_id=raw.get("VpcId"),
            inbound=_targets(raw.get("IpPermissions", [])),
            outbound=_targets(raw.get("IpPermissionsEgress", [])),
        )
        for raw in ctx.paginate("ec2", "describe_security_groups", "SecurityGroups")
    )


@fact("ec2.managed_prefix_lists", regional=True, permissions=["ec2:DescribeManagedPrefixLists"])
def managed_prefix_lists(ctx: FetchContext) -> dict[str, PrefixList]:
    """Yours, shared with you and AWS's: a reference to one counts as its ``MaxEntries`` rules."""
    return {
        raw["PrefixListId"]: PrefixList(
            id=raw["PrefixListId"],
            name=raw.get("PrefixListName", ""),
            address_family=raw.get("AddressFamily", "IPv4"),
            weight=_weight(raw),
        )
        for raw in ctx.paginate("ec2", "describe_managed_prefix_lists", "PrefixLists")
    }


@fact("ec2.nat_gateways", regional=True, permissions=["ec2:DescribeNatGateways"])
def nat_gateways(ctx: FetchContext) -> tuple[NatGateway, ...]:
    return tuple(
        NatGateway(id=raw["NatGatewayId"], subnet_id=raw["SubnetId"], state=raw["State"])
        for raw in ctx.paginate("ec2", "describe_nat_gateways", "NatGateways")
    )


@fact("ec2.internet_gateways", regional=True, permissions=["ec2:DescribeInternetGateways"])
def internet_gateways(ctx: FetchContext) -> tuple[str, ...]:
    return tuple(
        raw["InternetGatewayId"]
        for raw in ctx.paginate("ec2", "describe_internet_gateways", "InternetGateways")
    )


@fact("ec2.network_interfaces", regional=True, permissions=["ec2:DescribeNetworkInterfaces"])
def network_interfaces(ctx: FetchContext) -> tuple[str, ...]:
    return tuple(
        raw["NetworkInterfaceId"]
        for raw in ctx.paginate("ec2", "describe_network_interfaces", "NetworkInterfaces")
    )
