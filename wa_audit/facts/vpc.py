"""VPC facts (EC2 API): networks, subnets, security groups and gateways of a region.

Kept to what quotas and network checks read: ids, placement and rule counts, not whole documents.
"""

from __future__ import annotations

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


class SecurityGroup(_Model):
    id: str
    vpc_id: str | None
    inbound_rules: int
    outbound_rules: int
    """Rules as the quota counts them: one per CIDR, prefix list or referenced group."""


class NatGateway(_Model):
    id: str
    subnet_id: str
    state: str


def _rule_count(permissions: list[dict[str, list[object]]]) -> int:
    targets = ("IpRanges", "Ipv6Ranges", "PrefixListIds", "UserIdGroupPairs")
    return sum(max(1, sum(len(p.get(t, [])) for t in targets)) for p in permissions)


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
            inbound_rules=_rule_count(raw.get("IpPermissions", [])),
            outbound_rules=_rule_count(raw.get("IpPermissionsEgress", [])),
        )
        for raw in ctx.paginate("ec2", "describe_security_groups", "SecurityGroups")
    )


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
