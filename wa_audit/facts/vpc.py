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
    cidr_blocks: tuple[str, ...] = ()
    """Its associated IPv4 ranges: the primary and any secondary ones."""
    name: str = ""


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
    """Rules one reference counts as: AWS's documented weight for an AWS-managed list, else
    ``MaxEntries``; None unknown."""


AWS_MANAGED_WEIGHTS = {
    "com.amazonaws.global.cloudfront.origin-facing": 55,
    "com.amazonaws.global.ipv6.cloudfront.origin-facing": 55,
    "com.amazonaws.{region}.dynamodb": 1,
    "com.amazonaws.{region}.ec2-instance-connect": 2,
    "com.amazonaws.{region}.ipv6.ec2-instance-connect": 2,
    "com.amazonaws.global.groundstation": 5,
    "com.amazonaws.{region}.route53-healthchecks": 25,
    "com.amazonaws.{region}.ipv6.route53-healthchecks": 25,
    "com.amazonaws.{region}.s3": 1,
    "com.amazonaws.{region}.s3express": 6,
    "com.amazonaws.{region}.secretsmanager-managed-external-secrets": 20,
    "com.amazonaws.{region}.vpc-lattice": 10,
    "com.amazonaws.{region}.ipv6.vpc-lattice": 10,
}
"""The weight of each AWS-managed prefix list by its exact name, ``{region}`` the list's region:
VPC User Guide, "Available AWS-managed prefix lists" and "AWS-managed prefix list weight"
(https://docs.aws.amazon.com/vpc/latest/userguide/working-with-aws-managed-prefix-lists.html).
DescribeManagedPrefixLists gives such a list no ``MaxEntries``; a name not here has no known
weight."""


class RuleTargets(_Model):
    """What one direction's rules reference: each CIDR, group or prefix list is one rule."""

    ipv4_ranges: int = 0
    ipv6_ranges: int = 0
    group_references: int = 0
    prefix_lists: tuple[str, ...] = ()
    """One id per reference."""

    @property
    def total(self) -> int:
        """Rules as written (one per CIDR, group or prefix list referenced)."""
        return self.ipv4_ranges + self.ipv6_ranges + self.group_references + len(self.prefix_lists)

    def unweighted(self, prefix_lists: Mapping[str, PrefixList]) -> tuple[str, ...]:
        """Referenced prefix lists of no known weight (each counted as one rule)."""
        return tuple(
            dict.fromkeys(
                list_id
                for list_id in self.prefix_lists
                if (known := prefix_lists.get(list_id)) is None or known.weight is None
            )
        )

    def rules_by_family(self, prefix_lists: Mapping[str, PrefixList]) -> dict[str, int]:
        """Rules as the rules-per-group quota counts them. AWS limits IPv4 and IPv6 rules apart,
        and "a rule that references a security group or prefix list ID counts as one rule for
        IPv4 and one rule for IPv6" (VPC User Guide, "Amazon VPC quotas"); a prefix list counts
        as its maximum size or AWS-managed weight ("Security group size"). So a group reference
        counts once in each family, a prefix-list reference its weight in each."""
        references = self.group_references + sum(
            (known.weight if (known := prefix_lists.get(list_id)) else None) or 1
            for list_id in self.prefix_lists
        )
        return {
            "IPv4": self.ipv4_ranges + references,
            "IPv6": self.ipv6_ranges + references,
        }


class OpenRule(_Model):
    """One inbound rule that admits every address (``0.0.0.0/0`` or ``::/0``)."""

    protocol: str
    """``tcp``, ``udp``, ``icmp``, a protocol number, or ``-1`` for all traffic."""
    from_port: int | None = None
    to_port: int | None = None
    source: str

    def opens(self, port: int) -> bool:
        """Whether it admits TCP or UDP ``port`` (all traffic, or a range that holds it)."""
        if self.protocol == "-1":
            return True
        if self.protocol not in ("tcp", "udp", "6", "17"):
            return False
        low = -1 if self.from_port is None else self.from_port
        high = -1 if self.to_port is None else self.to_port
        return (low, high) == (-1, -1) or low <= port <= high


class SecurityGroup(_Model):
    id: str
    vpc_id: str | None
    inbound: RuleTargets
    outbound: RuleTargets
    name: str = ""
    open_inbound: tuple[OpenRule, ...] = ()
    """The inbound rules open to the whole internet."""

    @property
    def is_default(self) -> bool:
        """A VPC's default group is the one named ``default`` (AWS forbids the name otherwise)."""
        return self.name == "default"

    @property
    def has_rules(self) -> bool:
        return bool(self.inbound.total or self.outbound.total)


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


WHOLE_INTERNET = {"IpRanges": ("CidrIp", "0.0.0.0/0"), "Ipv6Ranges": ("CidrIpv6", "::/0")}


def _open_rules(permissions: list[dict[str, Any]]) -> tuple[OpenRule, ...]:
    return tuple(
        OpenRule(
            protocol=str(p.get("IpProtocol", "-1")),
            from_port=p.get("FromPort"),
            to_port=p.get("ToPort"),
            source=everyone,
        )
        for p in permissions
        for ranges, (key, everyone) in WHOLE_INTERNET.items()
        if any(r.get(key) == everyone for r in p.get(ranges, []))
    )


def _name(raw: dict[str, Any]) -> str:
    return next((t["Value"] for t in raw.get("Tags", []) if t.get("Key") == "Name"), "")


def _cidr_blocks(raw: dict[str, Any]) -> tuple[str, ...]:
    """Associated ranges only: a block being disassociated no longer addresses anything."""
    associated = tuple(
        block["CidrBlock"]
        for block in raw.get("CidrBlockAssociationSet", [])
        if block.get("CidrBlockState", {}).get("State") in ("associated", "associating")
    )
    return associated or ((raw["CidrBlock"],) if "CidrBlock" in raw else ())


def _weight(raw: dict[str, Any], region: str) -> int | None:
    """AWS's documented weight for an AWS-managed list (by exact name), else ``MaxEntries``."""
    if raw.get("OwnerId") == "AWS":
        weights = {name.format(region=region): w for name, w in AWS_MANAGED_WEIGHTS.items()}
        if (weight := weights.get(raw.get("PrefixListName", ""))) is not None:
            return weight
    return int(raw["MaxEntries"]) if "MaxEntries" in raw else None


@fact("ec2.vpcs", regional=True, permissions=["ec2:DescribeVpcs"])
def vpcs(ctx: FetchContext) -> tuple[Vpc, ...]:
    return tuple(
        Vpc(
            id=raw["VpcId"],
            is_default=raw.get("IsDefault", False),
            cidr_blocks=_cidr_blocks(raw),
            name=_name(raw),
        )
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
            name=raw.get("GroupName", ""),
            open_inbound=_open_rules(raw.get("IpPermissions", [])),
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
            weight=_weight(raw, ctx.region),
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
