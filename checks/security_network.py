"""Security checks of the network layer: VPC flow logs and what security groups let in."""

from __future__ import annotations

from collections.abc import Iterator

from pydantic import Field

from wa_audit.checks._findings import problems_or_pass
from wa_audit.checks._network import ec2_arn, labelled, listing, subnets_by_vpc, vpc_label
from wa_audit.context import CheckContext
from wa_audit.facts.network import FlowLog, flow_logs
from wa_audit.facts.vpc import SecurityGroup, security_groups, subnets, vpcs
from wa_audit.models import Finding, Pillar, Severity
from wa_audit.registry import check

from .security_common import Params

PORT_NAMES = {
    22: "SSH",
    23: "Telnet",
    3389: "RDP",
    5985: "WinRM",
    5986: "WinRM",
    1433: "SQL Server",
    1521: "Oracle",
    3306: "MySQL",
    5432: "PostgreSQL",
    5439: "Redshift",
    6379: "Redis",
    9200: "OpenSearch",
    11211: "Memcached",
    27017: "MongoDB",
}


@check(
    id="sec.vpc-flow-logs",
    pillar=Pillar.SECURITY,
    title="VPC flow logs are recorded",
    fail_title="VPCs record no flow logs",
    severity=Severity.MEDIUM,
    best_practices=["SEC04-BP01", "SEC10-BP06"],
    remediation=(
        "Create a flow log for the VPC (traffic type ALL) to CloudWatch Logs or S3, and keep the "
        "records as long as investigations need them."
    ),
    docs_url="https://docs.aws.amazon.com/vpc/latest/userguide/working-with-flow-logs.html",
    facts=[vpcs, subnets, flow_logs],
    regional=True,
)
def vpc_flow_logs(ctx: CheckContext) -> Iterator[Finding]:
    """A VPC is recorded by a flow log of its own, or by one on every subnet of it; a flow log
    whose destination refuses the records records nothing."""
    by_resource: dict[str, list[FlowLog]] = {}
    for log in ctx.fact(flow_logs):
        by_resource.setdefault(log.resource_id, []).append(log)
    vpc_subnets = subnets_by_vpc(ctx.fact(subnets))
    for vpc in ctx.fact(vpcs):
        own = by_resource.get(vpc.id, [])
        delivering = [log for log in own if log.delivering]
        members = [s.id for s in vpc_subnets.get(vpc.id, [])]
        per_subnet = bool(members) and all(
            any(log.delivering for log in by_resource.get(s, [])) for s in members
        )
        evidence = {
            "flow_logs": [log.id for log in own],
            "traffic_types": sorted({log.traffic_type or "" for log in delivering}),
            "every_subnet_logged": per_subnet,
        }
        arn = ec2_arn(ctx, "vpc", vpc.id)
        if delivering or per_subnet:
            how = "every subnet of it has a flow log" if not delivering else "flow logs record it"
            yield ctx.passed(arn, f"{vpc_label(vpc)}: {how}.", evidence=evidence)
        elif own:
            failing = listing(log.id for log in own)
            message = f"{vpc_label(vpc)}: its flow log {failing} fails to deliver its records."
            yield ctx.failed(arn, message, evidence=evidence)
        else:
            message = f"{vpc_label(vpc)} records no flow logs: its traffic cannot be investigated."
            yield ctx.failed(arn, message, evidence=evidence)


class OpenPortsParams(Params):
    ports: tuple[int, ...] = Field(
        default=tuple(PORT_NAMES), description="TCP/UDP ports that must not face the internet."
    )


def _port_label(port: int) -> str:
    name = PORT_NAMES.get(port)
    return f"{name} ({port})" if name else str(port)


def _open_ports(group: SecurityGroup, ports: tuple[int, ...]) -> dict[str, list[int]]:
    """Source (``0.0.0.0/0``, ``::/0``) → the watched ports it reaches."""
    found: dict[str, list[int]] = {}
    for rule in group.open_inbound:
        for port in ports:
            if rule.opens(port) and port not in found.get(rule.source, []):
                found.setdefault(rule.source, []).append(port)
    return found


@check(
    id="sec.sg-admin-ports-open",
    pillar=Pillar.SECURITY,
    title="No security group opens admin or database ports to the internet",
    fail_title="Security groups open admin or database ports to the internet",
    severity=Severity.HIGH,
    best_practices=["SEC05-BP02", "SEC06-BP03"],
    remediation=(
        "Remove the 0.0.0.0/0 and ::/0 rules on these ports; reach instances through Systems "
        "Manager Session Manager, and databases only from the application's security group."
    ),
    docs_url="https://docs.aws.amazon.com/vpc/latest/userguide/security-group-rules.html",
    facts=[security_groups],
    regional=True,
    params=OpenPortsParams,
)
def sg_admin_ports_open(ctx: CheckContext) -> Iterator[Finding]:
    ports = ctx.params(OpenPortsParams).ports
    groups = ctx.fact(security_groups)
    problems = []
    for group in groups:
        found = _open_ports(group, ports)
        if not found:
            continue
        reached = listing(
            f"{listing(_port_label(p) for p in sorted(open_ports))} from {source}"
            for source, open_ports in found.items()
        )
        problems.append(
            ctx.failed(
                ec2_arn(ctx, "security-group", group.id),
                f"Security group {labelled(group.id, group.name)} admits {reached}.",
                evidence={"vpc": group.vpc_id, "open": {s: sorted(p) for s, p in found.items()}},
            )
        )
    yield from problems_or_pass(
        ctx,
        problems,
        assessed=len(groups),
        passed=f"No security group in {ctx.region} opens a watched port to the internet "
        f"({len(groups)} checked).",
        nothing=f"No security groups in {ctx.region}.",
        evidence={"ports": list(ports)},
    )


@check(
    id="sec.default-security-group",
    pillar=Pillar.SECURITY,
    title="Default security groups allow no traffic",
    fail_title="Default security groups allow traffic",
    severity=Severity.MEDIUM,
    best_practices=["SEC05-BP02"],
    remediation=(
        "Remove every inbound and outbound rule of each VPC's default security group and give "
        "resources groups of their own that admit only what they need."
    ),
    docs_url="https://docs.aws.amazon.com/vpc/latest/userguide/default-security-group.html",
    facts=[security_groups],
    regional=True,
)
def default_security_group(ctx: CheckContext) -> Iterator[Finding]:
    """Anything launched without a group of its own lands in the default one; with rules, it
    talks to everything else there (and, by default, to the whole internet outbound)."""
    defaults = [g for g in ctx.fact(security_groups) if g.is_default]
    problems = [
        ctx.failed(
            ec2_arn(ctx, "security-group", group.id),
            f"The default security group {group.id} of {group.vpc_id} has "
            f"{_rule_count(group)}: whatever lands in it without a group of its own gets them.",
            evidence={
                "vpc": group.vpc_id,
                "inbound_rules": group.inbound.total,
                "outbound_rules": group.outbound.total,
            },
        )
        for group in defaults
        if group.has_rules
    ]
    yield from problems_or_pass(
        ctx,
        problems,
        assessed=len(defaults),
        passed=f"The default security groups in {ctx.region} have no rules "
        f"({len(defaults)} checked).",
        nothing=f"No default security groups in {ctx.region}.",
    )


def _rule_count(group: SecurityGroup) -> str:
    return f"{group.inbound.total} inbound and {group.outbound.total} outbound rules"
