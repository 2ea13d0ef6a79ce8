"""Network facts (EC2 API) the network checks read besides the VPCs themselves: flow logs, VPC
endpoints, route tables and Site-to-Site VPN connections of a region."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict

from wa_audit.facts.base import FetchContext, fact


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True)


class FlowLog(_Model):
    id: str
    resource_id: str
    """The VPC, subnet or network interface (or transit gateway) it captures."""
    traffic_type: str | None = None
    """``ACCEPT``, ``REJECT`` or ``ALL``; absent for transit gateway flow logs."""
    status: str | None = None
    deliver_status: str | None = None
    """``SUCCESS`` or ``FAILED`` (the destination refuses the records)."""
    destination_type: str | None = None

    @property
    def delivering(self) -> bool:
        return self.status in (None, "ACTIVE") and self.deliver_status != "FAILED"


class VpcEndpoint(_Model):
    id: str
    vpc_id: str
    service_name: str
    type: str
    state: str | None = None

    def serves(self, region: str, service: str) -> bool:
        """A usable gateway endpoint for ``service`` (``s3``, ``dynamodb``) of ``region``."""
        return (
            self.type == "Gateway"
            and self.service_name.endswith(f".{region}.{service}")
            and (self.state or "available").lower() == "available"
        )


class RouteTable(_Model):
    id: str
    vpc_id: str
    main: bool
    """The VPC's main table: subnets without an explicit association use it."""
    subnet_ids: tuple[str, ...] = ()
    default_nat_gateway: str | None = None
    """The NAT gateway the IPv4 default route (``0.0.0.0/0``) leads to, if it leads to one."""


class Tunnel(_Model):
    outside_ip: str | None = None
    status: str
    """``UP`` or ``DOWN``."""
    last_change: datetime | None = None
    message: str = ""


class VpnConnection(_Model):
    id: str
    state: str
    """``pending``, ``available``, ``deleting`` or ``deleted``."""
    gateway: str | None = None
    """The virtual private gateway or transit gateway it ends on."""
    tunnels: tuple[Tunnel, ...] = ()
    name: str = ""


def _name(raw: dict[str, Any]) -> str:
    return next((t["Value"] for t in raw.get("Tags", []) if t.get("Key") == "Name"), "")


@fact("ec2.flow_logs", regional=True, permissions=["ec2:DescribeFlowLogs"])
def flow_logs(ctx: FetchContext) -> tuple[FlowLog, ...]:
    return tuple(
        FlowLog(
            id=raw["FlowLogId"],
            resource_id=raw["ResourceId"],
            traffic_type=raw.get("TrafficType"),
            status=raw.get("FlowLogStatus"),
            deliver_status=raw.get("DeliverLogsStatus"),
            destination_type=raw.get("LogDestinationType"),
        )
        for raw in ctx.paginate("ec2", "describe_flow_logs", "FlowLogs")
    )


@fact("ec2.vpc_endpoints", regional=True, permissions=["ec2:DescribeVpcEndpoints"])
def vpc_endpoints(ctx: FetchContext) -> tuple[VpcEndpoint, ...]:
    return tuple(
        VpcEndpoint(
            id=raw["VpcEndpointId"],
            vpc_id=raw["VpcId"],
            service_name=raw["ServiceName"],
            type=raw.get("VpcEndpointType", "Interface"),
            state=raw.get("State"),
        )
        for raw in ctx.paginate("ec2", "describe_vpc_endpoints", "VpcEndpoints")
    )


def _default_nat(routes: list[dict[str, Any]]) -> str | None:
    return next(
        (
            r["NatGatewayId"]
            for r in routes
            if r.get("DestinationCidrBlock") == "0.0.0.0/0"
            and "NatGatewayId" in r
            and r.get("State", "active") == "active"
        ),
        None,
    )


@fact("ec2.route_tables", regional=True, permissions=["ec2:DescribeRouteTables"])
def route_tables(ctx: FetchContext) -> tuple[RouteTable, ...]:
    return tuple(
        RouteTable(
            id=raw["RouteTableId"],
            vpc_id=raw["VpcId"],
            main=any(a.get("Main", False) for a in raw.get("Associations", [])),
            subnet_ids=tuple(
                a["SubnetId"] for a in raw.get("Associations", []) if a.get("SubnetId")
            ),
            default_nat_gateway=_default_nat(raw.get("Routes", [])),
        )
        for raw in ctx.paginate("ec2", "describe_route_tables", "RouteTables")
    )


@fact("ec2.vpn_connections", regional=True, permissions=["ec2:DescribeVpnConnections"])
def vpn_connections(ctx: FetchContext) -> tuple[VpnConnection, ...]:
    """One call: AWS does not paginate DescribeVpnConnections (no NextToken in its model)."""
    response = ctx.client("ec2").describe_vpn_connections()
    return tuple(
        VpnConnection(
            id=raw["VpnConnectionId"],
            state=raw["State"],
            gateway=raw.get("VpnGatewayId") or raw.get("TransitGatewayId"),
            tunnels=tuple(
                Tunnel(
                    outside_ip=t.get("OutsideIpAddress"),
                    status=t["Status"],
                    last_change=t.get("LastStatusChange"),
                    message=t.get("StatusMessage", ""),
                )
                for t in raw.get("VgwTelemetry", [])
            ),
            name=_name(raw),
        )
        for raw in response["VpnConnections"]
    )
