"""VPC flow logs, internet-facing admin/database ports and default security groups: on facts
for the edge cases, and against the sandbox for a compliant and a non-compliant account."""

from __future__ import annotations

import pytest

from tests.checks import network_accounts as net
from tests.checks.sandbox_audit import assert_errors_naming, audit
from tests.helpers import run_on_facts
from wa_audit.checks.security_network import OpenPortsParams, sg_admin_ports_open, vpc_flow_logs
from wa_audit.facts.network import FlowLog, flow_logs
from wa_audit.facts.vpc import OpenRule, RuleTargets, SecurityGroup, Subnet, Vpc, security_groups
from wa_audit.facts.vpc import subnets as subnets_fact
from wa_audit.facts.vpc import vpcs as vpcs_fact
from wa_audit.models import Status

CHECKS = ["sec.vpc-flow-logs", "sec.sg-admin-ports-open", "sec.default-security-group"]
BPS = {
    "sec.vpc-flow-logs": ("SEC04-BP01", "SEC10-BP06"),
    "sec.sg-admin-ports-open": ("SEC05-BP02", "SEC06-BP03"),
    "sec.default-security-group": ("SEC05-BP02",),
}


def _default_groups(sandbox, region):
    ec2 = sandbox.client("ec2", region)
    groups = ec2.describe_security_groups(Filters=[{"Name": "group-name", "Values": ["default"]}])
    return {g["VpcId"]: g["GroupId"] for g in groups["SecurityGroups"]}


def test_non_compliant_account(sandbox):
    net.seed(sandbox, net.bad_network())
    found = net.findings(CHECKS)
    east, west = net.vpc_ids(sandbox, net.EAST), net.vpc_ids(sandbox, net.WEST)

    assert net.summary(found["sec.vpc-flow-logs"]) == [
        ("FAIL", net.EAST, net.ec2_arn(net.EAST, "vpc", east["default"])),
        ("PASS", net.EAST, net.ec2_arn(net.EAST, "vpc", east["app"])),
        ("FAIL", net.WEST, net.ec2_arn(net.WEST, "vpc", west["default"])),
        ("FAIL", net.WEST, net.ec2_arn(net.WEST, "vpc", west["staging"])),
    ]
    assert found["sec.vpc-flow-logs"][1].evidence["traffic_types"] == ["REJECT"]
    assert "records no flow logs" in found["sec.vpc-flow-logs"][0].message

    groups = net.named(sandbox, net.EAST, "describe_security_groups", "SecurityGroups", "GroupId")
    assert net.summary(found["sec.sg-admin-ports-open"]) == [
        ("FAIL", net.EAST, net.ec2_arn(net.EAST, "security-group", groups["bastion"])),
        ("PASS", net.WEST, net.region_resource(net.WEST)),
    ]
    [bastion] = found["sec.sg-admin-ports-open"][:1]
    assert "SSH (22), PostgreSQL (5432) from 0.0.0.0/0" in bastion.message
    assert bastion.evidence["open"] == {"0.0.0.0/0": [22, 5432]}

    defaults = {region: _default_groups(sandbox, region) for region in (net.EAST, net.WEST)}
    assert net.summary(found["sec.default-security-group"]) == [
        ("FAIL", region, net.ec2_arn(region, "security-group", group))
        for region in (net.EAST, net.WEST)
        for group in defaults[region].values()
    ]
    assert len(found["sec.default-security-group"]) == 4  # default and own VPC, each region
    for check_id, findings in found.items():
        assert {f.best_practices for f in findings} == {BPS[check_id]}


def test_compliant_account(sandbox):
    net.seed(sandbox, net.good_network())
    found = net.findings(CHECKS, regions=(net.EAST,))
    east = net.vpc_ids(sandbox, net.EAST)
    assert net.summary(found["sec.vpc-flow-logs"]) == [
        ("PASS", net.EAST, net.ec2_arn(net.EAST, "vpc", east["default"])),
        ("PASS", net.EAST, net.ec2_arn(net.EAST, "vpc", east["app"])),
    ]
    assert net.summary(found["sec.sg-admin-ports-open"]) == [
        ("PASS", net.EAST, net.region_resource(net.EAST))
    ]
    assert net.summary(found["sec.default-security-group"]) == [
        ("PASS", net.EAST, net.region_resource(net.EAST))
    ]
    for check_id, findings in found.items():
        assert {f.best_practices for f in findings} == {BPS[check_id]}


def test_flow_logs_denied_is_an_error_naming_the_action(sandbox, monkeypatch):
    sandbox.enforce_iam(monkeypatch, deny=["ec2:DescribeFlowLogs"])
    found = audit(["sec.vpc-flow-logs"], (net.EAST,)).findings
    assert_errors_naming(found, "ec2:DescribeFlowLogs")


VPC = Vpc(id="vpc-1", is_default=False, cidr_blocks=("10.0.0.0/16",), name="app")
SUBNETS = (
    Subnet(id="subnet-a", vpc_id="vpc-1", availability_zone="us-east-1a"),
    Subnet(id="subnet-b", vpc_id="vpc-1", availability_zone="us-east-1b"),
)


def _log(resource: str, deliver: str = "SUCCESS") -> FlowLog:
    return FlowLog(
        id=f"fl-{resource}", resource_id=resource, traffic_type="ALL", deliver_status=deliver
    )


@pytest.mark.parametrize(
    ("logs", "status", "words"),
    [
        ((_log("subnet-a"), _log("subnet-b")), Status.PASS, "every subnet of it has a flow log"),
        ((_log("subnet-a"),), Status.FAIL, "records no flow logs"),
        ((_log("vpc-1", deliver="FAILED"),), Status.FAIL, "fails to deliver"),
    ],
)
def test_flow_logs_on_subnets_or_failing_delivery(logs, status, words):
    facts = {vpcs_fact: (VPC,), subnets_fact: SUBNETS, flow_logs: logs}
    [finding] = run_on_facts(vpc_flow_logs, facts, region="us-east-1")
    assert (finding.status, finding.resource) == (
        status,
        "arn:aws:ec2:us-east-1:123456789012:vpc/vpc-1",
    )
    assert words in finding.message


def _group(*rules: OpenRule) -> SecurityGroup:
    return SecurityGroup(
        id="sg-1",
        vpc_id="vpc-1",
        inbound=RuleTargets(ipv4_ranges=len(rules)),
        outbound=RuleTargets(),
        name="g",
        open_inbound=rules,
    )


@pytest.mark.parametrize(
    ("rule", "opened"),
    [
        (OpenRule(protocol="-1", source="0.0.0.0/0"), [22, 3389]),
        (OpenRule(protocol="tcp", from_port=0, to_port=65535, source="::/0"), [22, 3389]),
        (OpenRule(protocol="tcp", from_port=1000, to_port=3000, source="0.0.0.0/0"), []),
        (OpenRule(protocol="icmp", from_port=-1, to_port=-1, source="0.0.0.0/0"), []),
        (OpenRule(protocol="6", from_port=3389, to_port=3389, source="0.0.0.0/0"), [3389]),
    ],
)
def test_which_rules_open_a_watched_port(rule, opened):
    params = OpenPortsParams(ports=(22, 3389))
    [finding] = run_on_facts(
        sg_admin_ports_open, {security_groups: (_group(rule),)}, region="us-east-1", params=params
    )
    if opened:
        assert finding.status is Status.FAIL
        assert finding.evidence["open"] == {rule.source: opened}
    else:
        assert finding.status is Status.PASS
