"""Performance checks of the network: keep AWS service traffic off the NAT gateway."""

from __future__ import annotations

from collections.abc import Iterator

from wa_audit.checks._network import ec2_arn, listing, vpc_label
from wa_audit.context import CheckContext
from wa_audit.facts.network import vpc_endpoints
from wa_audit.facts.vpc import nat_gateways, subnets, vpcs
from wa_audit.models import Finding, Pillar, Severity
from wa_audit.registry import check

GATEWAY_SERVICES = {"s3": "S3", "dynamodb": "DynamoDB"}
"""The two services AWS offers gateway endpoints for: free, and routed in the VPC itself."""


@check(
    id="perf.vpc-gateway-endpoints",
    pillar=Pillar.PERFORMANCE,
    title="VPCs with NAT gateways reach S3 and DynamoDB through gateway endpoints",
    fail_title="VPCs send S3 and DynamoDB traffic through NAT gateways",
    severity=Severity.LOW,
    best_practices=["PERF04-BP02", "COST08-BP02", "SUS04-BP07"],
    remediation=(
        "Create S3 and DynamoDB gateway endpoints in the VPC and associate them with the private "
        "subnets' route tables: no charge, no NAT processing fee, one hop fewer."
    ),
    docs_url="https://docs.aws.amazon.com/vpc/latest/privatelink/gateway-endpoints.html",
    facts=[vpcs, subnets, nat_gateways, vpc_endpoints],
    regional=True,
)
def vpc_gateway_endpoints(ctx: CheckContext) -> Iterator[Finding]:
    """Only VPCs with an available NAT gateway: without one, private subnets reach neither
    service, and public ones go through the internet gateway at no processing charge."""
    vpc_of = {s.id: s.vpc_id for s in ctx.fact(subnets)}
    with_nat = {vpc_of.get(n.subnet_id) for n in ctx.fact(nat_gateways) if n.state == "available"}
    endpoints = ctx.fact(vpc_endpoints)
    for vpc in ctx.fact(vpcs):
        if vpc.id not in with_nat:
            continue
        mine = [e for e in endpoints if e.vpc_id == vpc.id]
        missing = [
            service
            for service in GATEWAY_SERVICES
            if not any(e.serves(ctx.region, service) for e in mine)
        ]
        evidence = {"missing": missing, "endpoints": [e.id for e in mine]}
        arn = ec2_arn(ctx, "vpc", vpc.id)
        if missing:
            message = (
                f"{vpc_label(vpc)} has a NAT gateway but no "
                f"{listing(GATEWAY_SERVICES[m] for m in missing)} gateway endpoint: that traffic pays NAT processing and takes the longer path."
            )
            yield ctx.failed(arn, message, evidence=evidence)
        else:
            message = f"{vpc_label(vpc)} reaches S3 and DynamoDB through gateway endpoints."
            yield ctx.passed(arn, message, evidence=evidence)
