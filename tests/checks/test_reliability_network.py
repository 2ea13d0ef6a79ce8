"""Subnets across zones, overlapping VPC ranges across regions, VPN tunnels and NAT gateways per
zone: against the sandbox for a compliant and a non-compliant account, and on facts for edge
cases."""

from __future__ import annotations

import pytest

from tests.checks import network_accounts as net
from tests.checks.sandbox_audit import assert_errors_naming, audit
from tests.helpers import run_on_facts
from wa_audit.checks.reliability_network import vpc_cidr_overlap, vpn_redundancy
from wa_audit.facts.network import Tunnel, VpnConnection, vpn_connections
from wa_audit.facts.vpc import Vpc, vpcs
from wa_audit.models import Status

CHECKS = [
    "rel.vpc-multi-az-subnets",
    "rel.vpc-cidr-overlap",
    "rel.vpn-redundancy",
    "rel.nat-gateway-per-az",
]
BPS = {
    "rel.vpc-multi-az-subnets": ("REL02-BP03", "REL10-BP01"),
    "rel.vpc-cidr-overlap": ("REL02-BP05",),
    "rel.vpn-redundancy": ("REL02-BP02",),
    "rel.nat-gateway-per-az": ("REL10-BP01",),
}


def _vpn_arn(sandbox) -> str:
    [vpn] = sandbox.client("ec2", net.EAST).describe_vpn_connections()["VpnConnections"]
    return net.ec2_arn(net.EAST, "vpn-connection", vpn["VpnConnectionId"])


def test_non_compliant_account(sandbox):
    net.seed(sandbox, net.bad_network())
    found = net.findings(CHECKS)
    east, west = net.vpc_ids(sandbox, net.EAST), net.vpc_ids(sandbox, net.WEST)
    app = net.ec2_arn(net.EAST, "vpc", east["app"])
    staging = net.ec2_arn(net.WEST, "vpc", west["staging"])

    assert net.summary(found["rel.vpc-multi-az-subnets"]) == [
        ("PASS", net.EAST, net.ec2_arn(net.EAST, "vpc", east["default"])),
        ("PASS", net.EAST, app),
        ("PASS", net.WEST, net.ec2_arn(net.WEST, "vpc", west["default"])),
        ("FAIL", net.WEST, staging),
    ]
    assert found["rel.vpc-multi-az-subnets"][3].evidence["zones"] == ["eu-west-1a"]
    # 10.0.128.0/17 in eu-west-1 lies inside 10.0.0.0/16 in us-east-1; default VPCs left out.
    assert net.summary(found["rel.vpc-cidr-overlap"]) == [
        ("FAIL", net.EAST, app),
        ("FAIL", net.WEST, staging),
    ]
    assert f"{west['staging']}) in eu-west-1 (10.0.128.0/17)" in (
        found["rel.vpc-cidr-overlap"][0].message
    )
    assert net.summary(found["rel.vpn-redundancy"]) == [
        ("FAIL", net.EAST, _vpn_arn(sandbox)),
        ("NOT_APPLICABLE", net.WEST, net.region_resource(net.WEST)),
    ]
    assert "1 of 2 tunnels down" in found["rel.vpn-redundancy"][0].message
    assert net.summary(found["rel.nat-gateway-per-az"]) == [
        ("FAIL", net.EAST, app),
        ("NOT_APPLICABLE", net.WEST, net.region_resource(net.WEST)),
    ]
    [crossing] = found["rel.nat-gateway-per-az"][0].evidence["crossing_zones"]
    assert "(us-east-1b) → nat-" in crossing
    assert crossing.endswith("(us-east-1a)")
    for check_id, findings in found.items():
        assert {f.best_practices for f in findings} == {BPS[check_id]}


def test_compliant_account(sandbox):
    net.seed(sandbox, net.good_network())
    found = net.findings(CHECKS)
    east, west = net.vpc_ids(sandbox, net.EAST), net.vpc_ids(sandbox, net.WEST)
    app = net.ec2_arn(net.EAST, "vpc", east["app"])
    eu = net.ec2_arn(net.WEST, "vpc", west["eu"])
    assert [s for s in net.summary(found["rel.vpc-multi-az-subnets"])] == [
        ("PASS", net.EAST, net.ec2_arn(net.EAST, "vpc", east["default"])),
        ("PASS", net.EAST, app),
        ("PASS", net.WEST, net.ec2_arn(net.WEST, "vpc", west["default"])),
        ("PASS", net.WEST, eu),
    ]
    assert net.summary(found["rel.vpc-cidr-overlap"]) == [
        ("PASS", net.EAST, app),
        ("PASS", net.WEST, eu),
    ]
    assert net.summary(found["rel.vpn-redundancy"])[0] == ("PASS", net.EAST, _vpn_arn(sandbox))
    assert net.summary(found["rel.nat-gateway-per-az"])[0] == ("PASS", net.EAST, app)
    for check_id, findings in found.items():
        assert {f.best_practices for f in findings} == {BPS[check_id]}


def test_vpn_denied_is_an_error_naming_the_action(sandbox, monkeypatch):
    sandbox.enforce_iam(monkeypatch, deny=["ec2:DescribeVpnConnections"])
    found = audit(["rel.vpn-redundancy"], (net.EAST,)).findings
    assert_errors_naming(found, "ec2:DescribeVpnConnections")


def _vpn(*statuses: str, state: str = "available") -> VpnConnection:
    return VpnConnection(
        id="vpn-1",
        state=state,
        tunnels=tuple(
            Tunnel(status=s, outside_ip=f"198.51.100.{i}") for i, s in enumerate(statuses)
        ),
    )


@pytest.mark.parametrize(
    ("vpn", "status", "words"),
    [
        (_vpn("DOWN", "DOWN"), Status.FAIL, "every tunnel down"),
        (_vpn(), Status.WARN, "no tunnel status"),
        (_vpn("UP", "UP"), Status.PASS, "all 2 tunnels up"),
    ],
)
def test_vpn_verdicts(vpn, status, words):
    [finding] = run_on_facts(vpn_redundancy, {vpn_connections: (vpn,)}, region="us-east-1")
    assert finding.status is status
    assert words in finding.message


def test_a_vpn_being_deleted_is_not_judged():
    found = run_on_facts(
        vpn_redundancy, {vpn_connections: (_vpn("DOWN", state="deleting"),)}, region="us-east-1"
    )
    assert [f.status for f in found] == [Status.NOT_APPLICABLE]


def test_secondary_ranges_overlap_and_default_vpcs_do_not_count():
    mine = Vpc(id="vpc-1", is_default=False, cidr_blocks=("10.0.0.0/16", "100.64.0.0/16"))
    other = Vpc(id="vpc-2", is_default=False, cidr_blocks=("100.64.8.0/24",))
    default = Vpc(id="vpc-d", is_default=True, cidr_blocks=("10.0.0.0/8",))
    found = run_on_facts(
        vpc_cidr_overlap,
        {},
        region="us-east-1",
        regions=("us-east-1", "eu-west-1"),
        regional_facts={(vpcs, "us-east-1"): (mine, default), (vpcs, "eu-west-1"): (other,)},
    )
    [finding] = found
    assert finding.status is Status.FAIL
    assert finding.evidence["overlapping"] == ["vpc-2 in eu-west-1 (100.64.8.0/24)"]
