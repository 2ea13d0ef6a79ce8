"""S3 and DynamoDB gateway endpoints in VPCs with NAT gateways."""

from __future__ import annotations

import pytest

from tests.checks import network_accounts as net
from tests.checks.sandbox_audit import assert_errors_naming, audit
from tests.helpers import run_on_facts
from wa_audit.checks.performance_network import vpc_gateway_endpoints
from wa_audit.facts.network import VpcEndpoint, vpc_endpoints
from wa_audit.facts.vpc import NatGateway, Subnet, Vpc, nat_gateways, subnets, vpcs
from wa_audit.models import Status

CHECK = "perf.vpc-gateway-endpoints"
BPS = ("PERF04-BP02", "COST08-BP02", "SUS04-BP07")


@pytest.mark.parametrize(("network", "status"), [("bad", "FAIL"), ("good", "PASS")])
def test_against_the_sandbox(sandbox, network, status):
    net.seed(sandbox, net.bad_network() if network == "bad" else net.good_network())
    found = net.findings([CHECK], regions=(net.EAST,))[CHECK]
    app = net.vpc_ids(sandbox, net.EAST)["app"]
    assert net.summary(found) == [(status, net.EAST, net.ec2_arn(net.EAST, "vpc", app))]
    assert found[0].best_practices == BPS
    if network == "bad":
        assert found[0].evidence["missing"] == ["s3", "dynamodb"]
        assert "no S3, DynamoDB gateway endpoint" in found[0].message


def test_endpoints_denied_is_an_error_naming_the_action(sandbox, monkeypatch):
    sandbox.enforce_iam(monkeypatch, deny=["ec2:DescribeVpcEndpoints"])
    assert_errors_naming(audit([CHECK], (net.EAST,)).findings, "ec2:DescribeVpcEndpoints")


VPC = Vpc(id="vpc-1", is_default=False, cidr_blocks=("10.0.0.0/16",))
SUBNET = Subnet(id="subnet-a", vpc_id="vpc-1", availability_zone="us-east-1a")


def _endpoint(service: str, kind: str = "Gateway", state: str = "available") -> VpcEndpoint:
    return VpcEndpoint(
        id=f"vpce-{service}",
        vpc_id="vpc-1",
        service_name=f"com.amazonaws.us-east-1.{service}",
        type=kind,
        state=state,
    )


@pytest.mark.parametrize(
    ("nat_state", "endpoints", "expected"),
    [
        ("deleted", (), [Status.NOT_APPLICABLE]),  # no NAT gateway in use: nothing to judge
        ("available", (_endpoint("s3"), _endpoint("dynamodb")), [Status.PASS]),
        # An S3 *interface* endpoint still leaves DynamoDB and the gateway route missing.
        ("available", (_endpoint("s3", kind="Interface"), _endpoint("dynamodb")), [Status.FAIL]),
        ("available", (_endpoint("s3", state="pending"), _endpoint("dynamodb")), [Status.FAIL]),
    ],
)
def test_which_vpcs_and_endpoints_count(nat_state, endpoints, expected):
    nat = NatGateway(id="nat-1", subnet_id="subnet-a", state=nat_state)
    facts = {vpcs: (VPC,), subnets: (SUBNET,), nat_gateways: (nat,), vpc_endpoints: endpoints}
    found = run_on_facts(vpc_gateway_endpoints, facts, region="us-east-1")
    assert [f.status for f in found] == expected
