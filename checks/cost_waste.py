"""Cost optimization checks on what the account pays for nothing: Free Tier offers about to be
exceeded, and idle resources billed by the hour."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from wa_audit.checks.pricing import (
    dollars,
    price_table,
    public_ipv4_monthly_cost,
    volume_monthly_cost,
)
from wa_audit.context import CheckContext
from wa_audit.facts.ec2 import addresses, volumes
from wa_audit.facts.freetier import FreeTierOffer, free_tier_usage
from wa_audit.models import Finding, Pillar, Severity
from wa_audit.registry import check


class FreeTierParams(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    warn_percent: float = Field(
        default=85.0, gt=0, lt=100, description="WARN when an offer's forecast exceeds this."
    )


def _offer_evidence(offer: FreeTierOffer, params: FreeTierParams) -> dict[str, Any]:
    return {
        "service": offer.service,
        "usage_type": offer.usage_type,
        "offer_region": offer.region,
        "offer_type": offer.offer_type,
        "actual": offer.actual,
        "forecast": offer.forecast,
        "limit": offer.limit,
        "unit": offer.unit,
        "forecast_percent": round(offer.forecast_percent or 0.0, 1),
        "warn_percent": params.warn_percent,
    }


@check(
    id="cost.free-tier-usage",
    pillar=Pillar.COST_OPTIMIZATION,
    title="Free Tier offers stay within their limits",
    fail_title="Free Tier offers near or over their limits",
    severity=Severity.MEDIUM,
    best_practices=["COST01-BP06"],
    remediation=(
        "Reduce the usage of the offers forecast over their limit (or accept the On-Demand "
        "charges beyond it), and keep AWS's Free Tier usage alerts on in the Billing preferences."
    ),
    docs_url="https://docs.aws.amazon.com/awsaccountbilling/latest/aboutv2/tracking-free-tier-usage.html",
    facts=[free_tier_usage],
    params=FreeTierParams,
)
def free_tier(ctx: CheckContext) -> Iterator[Finding]:
    params = ctx.params(FreeTierParams)
    offers = ctx.fact(free_tier_usage)
    if not offers:
        yield ctx.not_applicable(
            ctx.account_arn,
            "The account has no Free Tier offer (its 12 months are over, or it is a member "
            "account of an organization).",
            evidence={"warn_percent": params.warn_percent},
        )
        return
    flagged = 0
    for offer in offers:
        percent = offer.forecast_percent
        if percent is None or percent <= params.warn_percent:
            continue
        flagged += 1
        usage = (
            f"{offer.service} Free Tier offer {offer.usage_type} is forecast at "
            f"{offer.forecast:g} of {offer.limit:g} {offer.unit} this month ({percent:.0f}%)"
        )
        evidence = _offer_evidence(offer, params)
        if percent > 100:
            message = f"{usage}: usage beyond the limit is billed at On-Demand rates."
            yield ctx.failed(offer.key, message, evidence=evidence)
        else:
            message = f"{usage}, above the {params.warn_percent:g}% warning level."
            yield ctx.warned(offer.key, message, evidence=evidence)
    if not flagged:
        yield ctx.passed(
            ctx.account_arn,
            f"All {len(offers)} Free Tier offers are forecast within "
            f"{params.warn_percent:g}% of their limits.",
            evidence={"offers": len(offers), "warn_percent": params.warn_percent},
        )


@dataclass(frozen=True)
class IdleResource:
    """Something the account pays for and does not use, with what it costs."""

    arn: str
    message: str
    monthly_cost: float | None
    evidence: dict[str, Any]


def _waste_findings(
    ctx: CheckContext, idle: list[IdleResource], all_clear: str
) -> Iterator[Finding]:
    """One FAIL per idle resource carrying its estimate and price basis, or one PASS per region."""
    basis = price_table().basis()
    for resource in idle:
        evidence = resource.evidence | {"estimated_monthly_cost_usd": resource.monthly_cost}
        yield ctx.failed(resource.arn, resource.message, evidence=evidence | basis)
    if not idle:
        yield ctx.passed(f"{ctx.account_id}/{ctx.region}", all_clear)


def _ec2_arn(ctx: CheckContext, kind: str, resource_id: str) -> str:
    return f"arn:{ctx.partition}:ec2:{ctx.region}:{ctx.account_id}:{kind}/{resource_id}"


def _estimate(cost: float | None) -> str:
    if cost is None:
        return "a monthly cost wa-audit cannot estimate (no price for this volume type)"
    return f"about {dollars(cost)} a month (estimate)"


@check(
    id="cost.unattached-volumes",
    pillar=Pillar.COST_OPTIMIZATION,
    title="No EBS volume is left unattached",
    fail_title="EBS volumes are left unattached",
    severity=Severity.LOW,
    best_practices=["COST04-BP03", "SUS02-BP03"],
    remediation=(
        "Snapshot the volume if its data may be needed (snapshots cost a fraction of a volume), "
        "then delete it."
    ),
    docs_url="https://docs.aws.amazon.com/ebs/latest/userguide/ebs-deleting-volume.html",
    facts=[volumes],
    regional=True,
)
def unattached_volumes(ctx: CheckContext) -> Iterator[Finding]:
    idle = []
    for volume in ctx.fact(volumes):
        if volume.state != "available":
            continue
        cost = volume_monthly_cost(volume, price_table())
        message = (
            f"EBS volume {volume.id} ({volume.type}, {volume.size_gib} GiB) is attached to no "
            f"instance: {_estimate(cost)} for nothing."
        )
        evidence = {
            "volume_id": volume.id,
            "volume_type": volume.type,
            "size_gib": volume.size_gib,
            "iops": volume.iops,
            "throughput_mibps": volume.throughput,
            "days_since_created": (ctx.now - volume.create_time).days,
        }
        idle.append(IdleResource(_ec2_arn(ctx, "volume", volume.id), message, cost, evidence))
    yield from _waste_findings(ctx, idle, "No EBS volume is left unattached.")


@check(
    id="cost.unassociated-eips",
    pillar=Pillar.COST_OPTIMIZATION,
    title="No Elastic IP address is left unassociated",
    fail_title="Elastic IP addresses are left unassociated",
    severity=Severity.LOW,
    best_practices=["COST04-BP03", "SUS02-BP03"],
    remediation="Release the Elastic IP address if nothing will use it again.",
    docs_url="https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/working-with-eips.html",
    facts=[addresses],
    regional=True,
)
def unassociated_eips(ctx: CheckContext) -> Iterator[Finding]:
    cost = public_ipv4_monthly_cost(price_table())
    idle = [
        IdleResource(
            _ec2_arn(ctx, "elastic-ip", address.allocation_id or address.public_ip),
            f"Elastic IP {address.public_ip} is associated with nothing: {_estimate(cost)} for an "
            "idle public IPv4 address.",
            cost,
            {"public_ip": address.public_ip, "allocation_id": address.allocation_id},
        )
        for address in ctx.fact(addresses)
        if not address.associated
    ]
    yield from _waste_findings(ctx, idle, "No Elastic IP address is left unassociated.")
