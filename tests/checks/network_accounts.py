"""Two small accounts for the network checks: one with every network gap, one without.

Each is a tiny workload (one VPC over two zones, one app instance, a detached volume, a logs
bucket) plus a ``network`` section, seeded alone: not the whole sample scenario.
"""

from __future__ import annotations

from typing import Any

from tests.checks.sandbox_audit import audit
from wa_audit.models import Finding
from wa_audit.sandbox.scenario import Scenario
from wa_audit.sandbox.seeders.network import (
    FlowLogs,
    NatGateway,
    NetworkSection,
    RegionNetwork,
    Vpc,
    VpnConnection,
)
from wa_audit.sandbox.seeders.workload_section import (
    Bucket,
    Image,
    Ingress,
    Instance,
    Network,
    RegionWorkload,
    SecurityGroup,
    Subnet,
    Volume,
    WorkloadSection,
)

EAST, WEST = "us-east-1", "eu-west-1"
REGIONS = (EAST, WEST)
LOGS = "logs-{account_id}"


def workload() -> WorkloadSection:
    network = Network(
        name="app",
        cidr="10.0.0.0/16",
        subnets=(
            Subnet(name="public-a", cidr="10.0.0.0/24", zone="a", public=True),
            Subnet(name="public-b", cidr="10.0.1.0/24", zone="b", public=True),
            Subnet(name="private-a", cidr="10.0.10.0/24", zone="a"),
            Subnet(name="private-b", cidr="10.0.11.0/24", zone="b"),
        ),
    )
    east = RegionWorkload(
        network=network,
        security_groups=(
            SecurityGroup(
                name="web", description="HTTPS", ingress=(Ingress(port=443, cidr="0.0.0.0/0"),)
            ),
        ),
        images=(Image(name="app-image", architecture="arm64"),),
        instances=(
            Instance(
                name="app-1",
                type="t4g.small",
                image="app-image",
                subnet="private-a",
                security_groups=("web",),
            ),
        ),
        volumes=(Volume(name="old-data", zone="a", size_gib=10),),
        buckets=(Bucket(name=LOGS),),
    )
    return WorkloadSection(regions={EAST: east})


def bad_network() -> NetworkSection:
    east = RegionNetwork(
        flow_logs=FlowLogs(vpcs="workload", bucket=LOGS, traffic="REJECT"),
        nat_gateways=(
            NatGateway(name="nat-a", subnet="public-a", routes_from=("private-a", "private-b")),
        ),
        vpn_connections=(
            VpnConnection(
                name="office", customer_gateway_ip="203.0.113.10", tunnels=("UP", "DOWN")
            ),
        ),
        security_groups=(
            SecurityGroup(
                name="bastion",
                description="SSH and Postgres from anywhere",
                ingress=(Ingress(port=22, cidr="0.0.0.0/0"), Ingress(port=5432, cidr="0.0.0.0/0")),
            ),
        ),
        instances=(
            Instance(
                name="bastion",
                type="t4g.nano",
                image="app-image",
                subnet="public-a",
                security_groups=("bastion",),
            ),
        ),
        public_snapshots=("old-data",),
    )
    west = RegionNetwork(
        vpcs=(
            Vpc(
                name="staging",
                cidr="10.0.128.0/17",
                subnets=(Subnet(name="staging-a", cidr="10.0.128.0/24", zone="a"),),
            ),
        ),
    )
    return NetworkSection(regions={EAST: east, WEST: west})


def good_network() -> NetworkSection:
    east = RegionNetwork(
        flow_logs=FlowLogs(vpcs="all", bucket=LOGS),
        nat_gateways=(
            NatGateway(name="nat-a", subnet="public-a", routes_from=("private-a",)),
            NatGateway(name="nat-b", subnet="public-b", routes_from=("private-b",)),
        ),
        gateway_endpoints=("s3", "dynamodb"),
        vpn_connections=(VpnConnection(name="office", customer_gateway_ip="203.0.113.10"),),
        empty_default_security_groups=True,
        require_imdsv2=True,
    )
    west = RegionNetwork(
        empty_default_security_groups=True,
        vpcs=(
            Vpc(
                name="eu",
                cidr="10.1.0.0/16",
                subnets=(
                    Subnet(name="eu-a", cidr="10.1.0.0/24", zone="a"),
                    Subnet(name="eu-b", cidr="10.1.1.0/24", zone="b"),
                ),
            ),
        ),
    )
    return NetworkSection(regions={EAST: east, WEST: west})


def seed(sandbox: Any, network: NetworkSection) -> None:
    sandbox.seed(Scenario("network", REGIONS, {"workload": workload(), "network": network}))


def findings(check_ids: list[str], regions: tuple[str, ...] = REGIONS) -> dict[str, list[Finding]]:
    """Each check's findings, from one audit of ``regions``."""
    found: dict[str, list[Finding]] = {check_id: [] for check_id in check_ids}
    for finding in audit(check_ids, regions).findings:
        found[finding.check_id].append(finding)
    return found


def summary(found: list[Finding]) -> list[tuple[str, str, str]]:
    """(status, region, resource) of each finding, in the audit's order."""
    return [(f.status.value, f.region, f.resource) for f in found]


def ec2_arn(region: str, kind: str, resource_id: str) -> str:
    return f"arn:aws:ec2:{region}:123456789012:{kind}/{resource_id}"


def region_resource(region: str) -> str:
    return f"123456789012/{region}"


def named(sandbox: Any, region: str, describe: str, key: str, id_key: str) -> dict[str, str]:
    """Name tag → id of one kind of EC2 resource (``describe_instances`` is flattened)."""
    ec2 = sandbox.client("ec2", region)
    items = getattr(ec2, describe)()[key]
    if key == "Reservations":
        items = [i for r in items for i in r["Instances"]]
    found = {}
    for item in items:
        tags = {t["Key"]: t["Value"] for t in item.get("Tags", [])}
        found[tags.get("Name", item.get("GroupName", ""))] = item[id_key]
    return found


def vpc_ids(sandbox: Any, region: str) -> dict[str, str]:
    """Name tag (or ``default``) → VPC id."""
    found = {}
    for vpc in sandbox.client("ec2", region).describe_vpcs()["Vpcs"]:
        tags = {t["Key"]: t["Value"] for t in vpc.get("Tags", [])}
        found["default" if vpc.get("IsDefault") else tags.get("Name", "")] = vpc["VpcId"]
    return found


def vpc_arn(region: str, vpc_id: str) -> str:
    return f"arn:aws:ec2:{region}:123456789012:vpc/{vpc_id}"
