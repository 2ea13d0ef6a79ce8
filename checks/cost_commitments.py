"""Cost optimization checks on pricing models and sizing: how much steady usage Savings Plans and
reservations cover, whether what was bought is used, and what Compute Optimizer finds too big."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from wa_audit.context import CheckContext
from wa_audit.facts.commitments import commitment_coverage, commitment_utilization
from wa_audit.facts.compute_optimizer import ec2_recommendations
from wa_audit.models import Finding, Pillar, Severity
from wa_audit.registry import check

from ._findings import region_resource

CE_DOCS = "https://docs.aws.amazon.com/cost-management/latest/userguide"
OVERPROVISIONED = "Overprovisioned"


def percent(part: float, whole: float) -> float:
    return 100.0 * part / whole if whole else 0.0


class CoverageParams(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    target_percent: float = Field(
        default=70.0, gt=0, le=100, description="Coverage of eligible usage below this fails."
    )
    minimum_eligible_usd: float = Field(
        default=100.0, ge=0, description="Less eligible spend in 30 days is too little to judge."
    )


@check(
    id="cost.commitment-coverage",
    pillar=Pillar.COST_OPTIMIZATION,
    title="Savings Plans and reservations cover most eligible usage",
    fail_title="Most eligible usage is paid at On-Demand rates",
    severity=Severity.MEDIUM,
    best_practices=["COST07-BP01", "COST07-BP04"],
    remediation=(
        "Review Cost Explorer's Savings Plans and Reserved Instance purchase recommendations and "
        "commit to the steady part of the usage (Compute Savings Plans keep the most freedom)."
    ),
    docs_url=f"{CE_DOCS}/ce-sp-coverage.html",
    facts=[commitment_coverage],
    params=CoverageParams,
)
def commitment_coverage_check(ctx: CheckContext) -> Iterator[Finding]:
    params = ctx.params(CoverageParams)
    found = ctx.fact(commitment_coverage)
    covered = found.savings_plans_covered_usd or 0.0
    on_demand = found.savings_plans_on_demand_usd or 0.0
    coverage = percent(covered, covered + on_demand)
    evidence: dict[str, Any] = {
        "window": f"{found.start}..{found.end}",
        "savings_plans_covered_usd": round(covered, 2),
        "on_demand_eligible_usd": round(on_demand, 2),
        "savings_plans_coverage_percent": round(coverage, 1),
        "reserved_hours": found.reserved_hours,
        "reservable_running_hours": found.reservable_hours,
        "target_percent": params.target_percent,
    }
    if found.reservable_hours:
        evidence["reservation_coverage_percent"] = round(
            percent(found.reserved_hours or 0.0, found.reservable_hours), 1
        )
    if covered + on_demand < params.minimum_eligible_usd:
        yield ctx.not_applicable(
            ctx.account_arn,
            f"Only ${covered + on_demand:,.2f} of Savings Plans eligible usage in the last 30 "
            f"days (under ${params.minimum_eligible_usd:,.0f}): too little to commit to.",
            evidence=evidence,
        )
    elif coverage < params.target_percent:
        yield ctx.failed(
            ctx.account_arn,
            f"Savings Plans covered {coverage:.0f}% of eligible compute spend in the last 30 days "
            f"(target {params.target_percent:g}%): ${on_demand:,.2f} of it, covered by neither a "
            "Savings Plan nor a reservation, was paid at On-Demand rates.",
            evidence=evidence,
        )
    else:
        yield ctx.passed(
            ctx.account_arn,
            f"Savings Plans cover {coverage:.0f}% of eligible compute spend (target "
            f"{params.target_percent:g}%).",
            evidence=evidence,
        )


class UtilizationParams(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    target_percent: float = Field(
        default=90.0, gt=0, le=100, description="Utilization of commitments below this fails."
    )


@check(
    id="cost.commitment-utilization",
    pillar=Pillar.COST_OPTIMIZATION,
    title="Savings Plans and reservations bought are used",
    fail_title="Savings Plans or reservations bought go unused",
    severity=Severity.MEDIUM,
    best_practices=["COST07-BP05"],
    remediation=(
        "Move usage onto the unused commitment (instance family, region or size of the "
        "reservation), modify or exchange convertible reservations, or sell Standard Reserved "
        "Instances on the Reserved Instance Marketplace; buy less at the next renewal."
    ),
    docs_url=f"{CE_DOCS}/ce-sp-usingPR.html",
    facts=[commitment_utilization],
    params=UtilizationParams,
)
def commitment_utilization_check(ctx: CheckContext) -> Iterator[Finding]:
    target = ctx.params(UtilizationParams).target_percent
    found = ctx.fact(commitment_utilization)
    measured: list[tuple[str, float, str]] = []
    if found.savings_plans_commitment_usd:
        used = percent(found.savings_plans_used_usd or 0.0, found.savings_plans_commitment_usd)
        unused = found.savings_plans_commitment_usd - (found.savings_plans_used_usd or 0.0)
        measured.append(("Savings Plans", used, f"${unused:,.2f} of commitment unused"))
    if found.reserved_purchased_hours:
        used = percent(found.reserved_used_hours or 0.0, found.reserved_purchased_hours)
        unused = found.reserved_purchased_hours - (found.reserved_used_hours or 0.0)
        measured.append(("Reservations", used, f"{unused:,.0f} reserved hours unused"))
    evidence = {
        "window": f"{found.start}..{found.end}",
        "target_percent": target,
        **{
            f"{kind.lower().replace(' ', '_')}_utilization_percent": round(u, 1)
            for kind, u, _ in measured
        },
    }
    if not measured:
        yield ctx.not_applicable(
            ctx.account_arn,
            "The account had no Savings Plan or reservation in the last 30 days: nothing to use.",
            evidence=evidence,
        )
        return
    low = [(kind, used, waste) for kind, used, waste in measured if used < target]
    if low:
        text = "; ".join(f"{kind} {used:.0f}% used ({waste})" for kind, used, waste in low)
        yield ctx.failed(
            ctx.account_arn,
            f"Commitments under {target:g}% used in the last 30 days: {text}.",
            evidence=evidence,
        )
    else:
        text = "; ".join(f"{kind} {used:.0f}%" for kind, used, _ in measured)
        yield ctx.passed(ctx.account_arn, f"Commitments are used: {text}.", evidence=evidence)


@check(
    id="cost.rightsizing",
    pillar=Pillar.COST_OPTIMIZATION,
    title="Compute Optimizer finds no over-provisioned EC2 instance",
    fail_title="Compute Optimizer finds over-provisioned EC2 instances",
    severity=Severity.MEDIUM,
    best_practices=["COST06-BP02", "COST06-BP03", "SUS05-BP01"],
    remediation=(
        "Change each instance to the type Compute Optimizer recommends (test the workload on it "
        "first), or tell it your utilization preferences if the headroom is intended."
    ),
    docs_url="https://docs.aws.amazon.com/compute-optimizer/latest/ug/view-ec2-recommendations.html",
    facts=[ec2_recommendations],
    regional=True,
)
def rightsizing(ctx: CheckContext) -> Iterator[Finding]:
    found = ctx.fact(ec2_recommendations)
    if not found.enrolled:
        yield ctx.not_applicable(
            region_resource(ctx),
            "The account is not opted in to AWS Compute Optimizer, so there are no rightsizing "
            "findings to read (opting in is free; findings come after about 14 days of metrics).",
        )
        return
    if not found.instances:
        yield ctx.not_applicable(
            region_resource(ctx), "Compute Optimizer has no EC2 recommendation in this region."
        )
        return
    over = [r for r in found.instances if r.finding == OVERPROVISIONED]
    for item in over:
        savings = (
            f", saving about ${item.monthly_savings_usd:,.2f} a month"
            if item.monthly_savings_usd
            else ""
        )
        name = f" ({item.instance_name})" if item.instance_name else ""
        message = (
            f"EC2 instance {item.instance_arn.rsplit('/', 1)[-1]}{name} is over-provisioned: "
            f"{item.current_type} could be {item.recommended_type or 'a smaller type'}{savings}."
        )
        evidence = item.model_dump(exclude={"instance_arn"}, mode="json")
        yield ctx.failed(item.instance_arn, message, evidence=evidence)
    if not over:
        yield ctx.passed(
            region_resource(ctx),
            f"Compute Optimizer finds none of the {len(found.instances)} analysed EC2 instances "
            "over-provisioned.",
            evidence={"instances": len(found.instances)},
        )
