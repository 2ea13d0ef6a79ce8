"""The ``network`` section: what was added around the workload's VPCs, region by region.

Flow logs, NAT gateways with the private subnets' routes, S3/DynamoDB gateway endpoints, extra
VPCs, Site-to-Site VPN connections, a bastion (its security group and instance), public EBS
snapshots, and two account hardenings: default security groups emptied, IMDSv2 required on every
instance. It runs after the workload section, whose outputs (``vpc_ids``, ``subnet_ids``,
``volume_ids``, ``bucket_names`` …) name what it builds on.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field

from wa_audit.sandbox.extensions.ec2_network import set_tunnels
from wa_audit.sandbox.scenario import SectionModel, SeedEnv, Seeder
from wa_audit.sandbox.seeders.workload_section import Instance, SecurityGroup, Subnet

TunnelStatus = Literal["UP", "DOWN"]


class FlowLogs(SectionModel):
    vpcs: Literal["workload", "all"]
    """The workload's VPC only, or every VPC of the region (default and extra ones too)."""
    bucket: str
    """A workload bucket's name as written there (``mublog-logs-{account_id}``)."""
    traffic: Literal["ALL", "ACCEPT", "REJECT"] = "ALL"


class Vpc(SectionModel):
    """A VPC besides the workload's, with its subnets (no gateways)."""

    name: str
    cidr: str
    subnets: tuple[Subnet, ...] = ()


class NatGateway(SectionModel):
    name: str
    subnet: str
    """The public subnet it sits in (a workload subnet's name)."""
    routes_from: tuple[str, ...] = ()
    """Private subnets whose default route leads to it (one route table for them)."""


class VpnConnection(SectionModel):
    name: str
    customer_gateway_ip: str
    bgp_asn: int = 65000
    tunnels: tuple[TunnelStatus, TunnelStatus] = ("UP", "UP")
    """What the customer's device brought up: AWS gives every connection two tunnels."""


class RegionNetwork(SectionModel):
    flow_logs: FlowLogs | None = None
    vpcs: tuple[Vpc, ...] = ()
    nat_gateways: tuple[NatGateway, ...] = ()
    gateway_endpoints: tuple[Literal["s3", "dynamodb"], ...] = ()
    """Gateway endpoints of the workload's VPC, on the NAT gateways' route tables."""
    vpn_connections: tuple[VpnConnection, ...] = ()
    security_groups: tuple[SecurityGroup, ...] = ()
    """More groups in the workload's VPC (as the workload section writes them)."""
    instances: tuple[Instance, ...] = ()
    """More instances (a bastion): in a public subnet they get a public IP address."""
    public_snapshots: tuple[str, ...] = ()
    """Workload volumes (by name) snapshotted and shared with every AWS account."""
    empty_default_security_groups: bool = False
    require_imdsv2: bool = False
    """Set HttpTokens=required on every instance of the region (after all the above)."""


class NetworkSection(SectionModel):
    tags: dict[str, str] = Field(default_factory=dict)
    regions: dict[str, RegionNetwork]


def seed_network(section: NetworkSection, env: SeedEnv) -> None:
    from wa_audit.sandbox.seeders.workload_resources import Builder

    for region, spec in section.regions.items():
        ec2 = env.client("ec2", region)
        builder = Builder(env, region, section.tags)
        for vpc in spec.vpcs:
            _vpc(ec2, builder, vpc)
        tables = [_nat_gateway(ec2, builder, nat) for nat in spec.nat_gateways]
        for service in spec.gateway_endpoints:
            ec2.create_vpc_endpoint(
                VpcId=env.outputs["vpc_ids"][region],
                ServiceName=f"com.amazonaws.{region}.{service}",
                VpcEndpointType="Gateway",
                RouteTableIds=tables,
            )
        for vpn in spec.vpn_connections:
            _vpn(ec2, builder, vpn)
        if spec.security_groups:
            builder.security_groups(spec.security_groups)
        builder.instances(spec.instances)
        for volume in spec.public_snapshots:
            snapshot_id = ec2.create_snapshot(
                VolumeId=env.outputs["volume_ids"][region][volume],
                Description=f"Copy of {volume}",
                TagSpecifications=[builder._tag_spec("snapshot", f"{volume}-copy")],
            )["SnapshotId"]
            ec2.modify_snapshot_attribute(
                SnapshotId=snapshot_id,
                Attribute="createVolumePermission",
                OperationType="add",
                GroupNames=["all"],
            )
        if spec.flow_logs:
            _flow_logs(ec2, env, region, spec.flow_logs)
        if spec.empty_default_security_groups:
            _empty_default_groups(ec2)
        if spec.require_imdsv2:
            _require_imdsv2(ec2)


def _vpc(ec2: Any, builder: Any, vpc: Vpc) -> None:
    vpc_id = ec2.create_vpc(
        CidrBlock=vpc.cidr, TagSpecifications=[builder._tag_spec("vpc", vpc.name)]
    )["Vpc"]["VpcId"]
    for subnet in vpc.subnets:
        ec2.create_subnet(
            VpcId=vpc_id,
            CidrBlock=subnet.cidr,
            AvailabilityZone=builder._zone(subnet.zone),
            TagSpecifications=[builder._tag_spec("subnet", subnet.name)],
        )


def _nat_gateway(ec2: Any, builder: Any, nat: NatGateway) -> str:
    """The NAT gateway with its Elastic IP, and the route table of the subnets it serves."""
    allocation = ec2.allocate_address(
        Domain="vpc", TagSpecifications=[builder._tag_spec("elastic-ip", nat.name)]
    )["AllocationId"]
    [subnet_id] = builder._ids("subnet_ids", [nat.subnet])
    nat_id = ec2.create_nat_gateway(
        SubnetId=subnet_id,
        AllocationId=allocation,
        TagSpecifications=[builder._tag_spec("natgateway", nat.name)],
    )["NatGateway"]["NatGatewayId"]
    table_id = ec2.create_route_table(
        VpcId=builder.env.outputs["vpc_ids"][builder.region],
        TagSpecifications=[builder._tag_spec("route-table", f"{nat.name}-routes")],
    )["RouteTable"]["RouteTableId"]
    ec2.create_route(RouteTableId=table_id, DestinationCidrBlock="0.0.0.0/0", NatGatewayId=nat_id)
    for private in builder._ids("subnet_ids", nat.routes_from):
        ec2.associate_route_table(RouteTableId=table_id, SubnetId=private)
    return str(table_id)


def _vpn(ec2: Any, builder: Any, vpn: VpnConnection) -> None:
    customer = ec2.create_customer_gateway(
        Type="ipsec.1",
        PublicIp=vpn.customer_gateway_ip,
        BgpAsn=vpn.bgp_asn,
        TagSpecifications=[builder._tag_spec("customer-gateway", vpn.name)],
    )["CustomerGateway"]["CustomerGatewayId"]
    gateway = ec2.create_vpn_gateway(
        Type="ipsec.1", TagSpecifications=[builder._tag_spec("vpn-gateway", vpn.name)]
    )["VpnGateway"]["VpnGatewayId"]
    ec2.attach_vpn_gateway(
        VpnGatewayId=gateway, VpcId=builder.env.outputs["vpc_ids"][builder.region]
    )
    vpn_id = ec2.create_vpn_connection(
        Type="ipsec.1",
        CustomerGatewayId=customer,
        VpnGatewayId=gateway,
        TagSpecifications=[builder._tag_spec("vpn-connection", vpn.name)],
    )["VpnConnection"]["VpnConnectionId"]
    set_tunnels(builder.env.state, builder.env.account_id, vpn_id, vpn.tunnels)


def _flow_logs(ec2: Any, env: SeedEnv, region: str, spec: FlowLogs) -> None:
    bucket = env.outputs["bucket_names"][region][spec.bucket]
    if spec.vpcs == "workload":
        vpc_ids = [env.outputs["vpc_ids"][region]]
    else:
        vpc_ids = [vpc["VpcId"] for vpc in ec2.describe_vpcs()["Vpcs"]]
    created = ec2.create_flow_logs(
        ResourceIds=vpc_ids,
        ResourceType="VPC",
        TrafficType=spec.traffic,
        LogDestinationType="s3",
        LogDestination=f"arn:aws:s3:::{bucket}",
    )
    if created["Unsuccessful"]:  # a scenario naming a bucket that is not there
        raise ValueError(f"flow logs not created: {created['Unsuccessful']}")


def _empty_default_groups(ec2: Any) -> None:
    groups = ec2.describe_security_groups(Filters=[{"Name": "group-name", "Values": ["default"]}])
    for group in groups["SecurityGroups"]:
        if group["IpPermissions"]:
            ec2.revoke_security_group_ingress(
                GroupId=group["GroupId"], IpPermissions=group["IpPermissions"]
            )
        if group["IpPermissionsEgress"]:
            ec2.revoke_security_group_egress(
                GroupId=group["GroupId"], IpPermissions=group["IpPermissionsEgress"]
            )


def _require_imdsv2(ec2: Any) -> None:
    for reservation in ec2.describe_instances()["Reservations"]:
        for instance in reservation["Instances"]:
            if instance["State"]["Name"] not in ("shutting-down", "terminated"):
                ec2.modify_instance_metadata_options(
                    InstanceId=instance["InstanceId"], HttpTokens="required"
                )


SEEDER = Seeder("network", NetworkSection, seed_network)
