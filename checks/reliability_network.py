"""Reliability checks of the network: subnets across zones, address plans that can be joined,
redundant VPN tunnels, and NAT gateways that do not tie one zone to another."""

from __future__ import annotations

from collections.abc import Iterator
from ipaddress import IPv4Network, ip_network

from wa_audit.checks._network import ec2_arn, labelled, listing, subnets_by_vpc, vpc_label
from wa_audit.context import CheckContext
from wa_audit.facts.network import RouteTable, route_tables, vpn_connections
from wa_audit.facts.vpc import Vpc, nat_gateways, subnets, vpcs
from wa_audit.models import Finding, Pillar, Severity
from wa_audit.registry import check


@check(
    id="rel.vpc-multi-az-subnets",
    pillar=Pillar.RELIABILITY,
    title="VPCs have subnets in at least two Availability Zones",
    fail_title="VPCs have subnets in one Availability Zone only",
    severity=Severity.MEDIUM,
    best_practices=["REL02-BP03", "REL10-BP01"],
    remediation=(
        "Add subnets (public and private tiers alike) in a second and third Availability Zone, "
        "sized for growth, so every tier can run in more than one zone."
    ),
    docs_url="https://docs.aws.amazon.com/vpc/latest/userguide/configure-subnets.html",
    facts=[vpcs, subnets],
    regional=True,
)
def vpc_multi_az_subnets(ctx: CheckContext) -> Iterator[Finding]:
    """VPCs without subnets hold nothing to spread and are not judged."""
    grouped = subnets_by_vpc(ctx.fact(subnets))
    for vpc in ctx.fact(vpcs):
        members = grouped.get(vpc.id, [])
        if not members:
            continue
        zones = sorted({s.availability_zone for s in members})
        evidence = {"zones": zones, "subnets": len(members)}
        arn = ec2_arn(ctx, "vpc", vpc.id)
        if len(zones) >= 2:
            message = f"{vpc_label(vpc)} has subnets in {len(zones)} zones ({listing(zones)})."
            yield ctx.passed(arn, message, evidence=evidence)
        else:
            message = (
                f"{vpc_label(vpc)} has subnets in {zones[0]} only: nothing in it can survive "
                "the loss of that zone."
            )
            yield ctx.failed(arn, message, evidence=evidence)


def _ipv4(cidr: str) -> IPv4Network | None:
    network = ip_network(cidr, strict=False)
    return network if isinstance(network, IPv4Network) else None


def _networks(vpc: Vpc) -> list[IPv4Network]:
    return [n for n in map(_ipv4, vpc.cidr_blocks) if n is not None]


@check(
    id="rel.vpc-cidr-overlap",
    pillar=Pillar.RELIABILITY,
    title="VPC address ranges do not overlap",
    fail_title="VPC address ranges overlap",
    severity=Severity.MEDIUM,
    best_practices=["REL02-BP05"],
    remediation=(
        "Plan one address range per VPC from an IP address plan (Amazon VPC IPAM) and move the "
        "workload of an overlapping VPC to a new, non-overlapping one before it has to be "
        "peered or attached to a transit gateway."
    ),
    docs_url="https://docs.aws.amazon.com/vpc/latest/peering/vpc-peering-basics.html",
    facts=[vpcs],
    regional=True,
)
def vpc_cidr_overlap(ctx: CheckContext) -> Iterator[Finding]:
    """Across every audited region: VPCs with overlapping ranges cannot be peered or routed to
    each other. Default VPCs are left out: AWS gives each the same 172.31.0.0/16, they are not
    meant to be connected, and they would flag every account."""
    others = [
        (region, vpc, _networks(vpc))
        for region in ctx.regions
        for vpc in ctx.fact(vpcs, region=region)
        if not vpc.is_default
    ]
    for vpc in ctx.fact(vpcs):
        if vpc.is_default:
            continue
        mine = _networks(vpc)
        overlaps = [
            f"{labelled(other.id, other.name)} in {region} ({listing(str(n) for n in theirs)})"
            for region, other, theirs in others
            if other.id != vpc.id and any(a.overlaps(b) for a in mine for b in theirs)
        ]
        evidence = {"cidr_blocks": list(vpc.cidr_blocks), "overlapping": overlaps}
        arn = ec2_arn(ctx, "vpc", vpc.id)
        ranges = listing(vpc.cidr_blocks)
        if overlaps:
            message = (
                f"{vpc_label(vpc)}, {ranges}, overlaps {listing(overlaps)}: they cannot be "
                "peered or routed to each other."
            )
            yield ctx.failed(arn, message, evidence=evidence)
        else:
            message = f"{vpc_label(vpc)}, {ranges}, overlaps no other VPC of the account."
            yield ctx.passed(arn, message, evidence=evidence)


@check(
    id="rel.vpn-redundancy",
    pillar=Pillar.RELIABILITY,
    title="Site-to-Site VPN connections have both tunnels up",
    fail_title="Site-to-Site VPN connections have a tunnel down",
    severity=Severity.HIGH,
    best_practices=["REL02-BP02"],
    remediation=(
        "Configure both tunnels of the VPN connection on the customer gateway device (AWS "
        "maintains one tunnel at a time), and consider a second customer gateway or Direct "
        "Connect for device and site failures."
    ),
    docs_url="https://docs.aws.amazon.com/vpn/latest/s2svpn/vpn-redundant-connection.html",
    facts=[vpn_connections],
    regional=True,
)
def vpn_redundancy(ctx: CheckContext) -> Iterator[Finding]:
    """Each connection has two tunnels so that one carries traffic while AWS maintains the other;
    with one down, routine maintenance cuts the link."""
    for vpn in ctx.fact(vpn_connections):
        if vpn.state != "available":
            continue
        down = [t for t in vpn.tunnels if t.status != "UP"]
        evidence = {
            "gateway": vpn.gateway,
            "tunnels": [{"outside_ip": t.outside_ip, "status": t.status} for t in vpn.tunnels],
        }
        arn = ec2_arn(ctx, "vpn-connection", vpn.id)
        label = f"VPN connection {labelled(vpn.id, vpn.name)}"
        if not vpn.tunnels:
            yield ctx.warned(arn, f"{label}: AWS reported no tunnel status.", evidence=evidence)
        elif down and len(down) == len(vpn.tunnels):
            yield ctx.failed(
                arn, f"{label} has every tunnel down: the link is cut.", evidence=evidence
            )
        elif down:
            where = listing(t.outside_ip or "?" for t in down)
            message = (
                f"{label} has {len(down)} of {len(vpn.tunnels)} tunnels down ({where}): one "
                "tunnel carries everything, and its maintenance cuts the link."
            )
            yield ctx.failed(arn, message, evidence=evidence)
        else:
            yield ctx.passed(
                arn, f"{label} has all {len(vpn.tunnels)} tunnels up.", evidence=evidence
            )


def _table_of(subnet_id: str, vpc_id: str, tables: list[RouteTable]) -> RouteTable | None:
    """The subnet's route table: its explicit association, else its VPC's main table."""
    explicit = next((t for t in tables if subnet_id in t.subnet_ids), None)
    return explicit or next((t for t in tables if t.vpc_id == vpc_id and t.main), None)


@check(
    id="rel.nat-gateway-per-az",
    pillar=Pillar.RELIABILITY,
    title="Subnets reach the internet through a NAT gateway in their own zone",
    fail_title="Subnets reach the internet through a NAT gateway in another zone",
    severity=Severity.MEDIUM,
    best_practices=["REL10-BP01"],
    remediation=(
        "Create a NAT gateway in each Availability Zone you use and route each zone's private "
        "subnets to the one in the same zone."
    ),
    docs_url="https://docs.aws.amazon.com/vpc/latest/userguide/nat-gateway-basics.html",
    facts=[vpcs, subnets, nat_gateways, route_tables],
    regional=True,
)
def nat_gateway_per_az(ctx: CheckContext) -> Iterator[Finding]:
    """A NAT gateway lives in one zone: subnets of other zones routed to it lose the internet
    when that zone fails, though their own zone is fine."""
    zone_of = {s.id: s.availability_zone for s in ctx.fact(subnets)}
    nat_zone = {n.id: zone_of.get(n.subnet_id) for n in ctx.fact(nat_gateways)}
    tables = list(ctx.fact(route_tables))
    grouped = subnets_by_vpc(ctx.fact(subnets))
    for vpc in ctx.fact(vpcs):
        routed = []
        crossing = []
        for subnet in grouped.get(vpc.id, []):
            table = _table_of(subnet.id, vpc.id, tables)
            nat = table.default_nat_gateway if table else None
            if nat is None:
                continue
            routed.append(subnet.id)
            if nat_zone.get(nat) != subnet.availability_zone:
                crossing.append(
                    f"{subnet.id} ({subnet.availability_zone}) → {nat} ({nat_zone.get(nat) or 'unknown zone'})"
                )
        if not routed:
            continue
        arn = ec2_arn(ctx, "vpc", vpc.id)
        evidence = {"subnets_through_nat": routed, "crossing_zones": crossing}
        if crossing:
            message = (
                f"{vpc_label(vpc)}: subnets reach the internet through a NAT gateway in "
                f"another zone, which takes them down with it: {listing(crossing)}."
            )
            yield ctx.failed(arn, message, evidence=evidence)
        else:
            message = f"{vpc_label(vpc)}: each subnet uses a NAT gateway in its own zone."
            yield ctx.passed(arn, message, evidence=evidence)
