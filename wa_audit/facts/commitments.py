"""Savings Plans and Reserved Instances: how much eligible usage they cover and how much of what
was bought is used, over the last 30 days, from Cost Explorer.

Four requests at $0.01 each (GetSavingsPlansCoverage, GetReservationCoverage,
GetSavingsPlansUtilization, GetReservationUtilization), DAILY over the window. Cost Explorer answers
``DataUnavailableException`` when it has no data for the question (no Savings Plans or
reservations in the window): that is "nothing to measure" (None here), not a failure. Its amounts
are strings of decimal numbers.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date, timedelta
from typing import Any

from pydantic import BaseModel, ConfigDict

from wa_audit.facts.base import FetchContext, fact, response_unless
from wa_audit.facts.ce import cost_explorer_errors

WINDOW_DAYS = 30
NO_DATA = {"DataUnavailableException"}


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True)


class CommitmentCoverage(_Model):
    start: date
    end: date
    savings_plans_covered_usd: float | None
    """Savings Plans eligible spend covered by a plan (None: no data)."""
    savings_plans_on_demand_usd: float | None
    """Savings Plans eligible spend paid On-Demand (usage a reservation covers is not in it)."""
    reserved_hours: float | None
    """Running hours of reservable instances a reservation covered (None: no data)."""
    reservable_hours: float | None
    """All running hours of reservable instances (EC2 unless a filter says otherwise)."""


class CommitmentUtilization(_Model):
    start: date
    end: date
    savings_plans_commitment_usd: float | None
    """What the Savings Plans committed to in the window (None: no Savings Plans)."""
    savings_plans_used_usd: float | None
    reserved_purchased_hours: float | None
    """Hours of reservations bought in the window (None: no reservations)."""
    reserved_used_hours: float | None


def window(today: date) -> dict[str, str]:
    """The last 30 full days; Cost Explorer's end date is exclusive."""
    return {"Start": (today - timedelta(days=WINDOW_DAYS)).isoformat(), "End": today.isoformat()}


def _number(value: Any) -> float:
    return float(value) if value not in (None, "") else 0.0


def _pages(
    call: Callable[..., dict[str, Any]], token_key: str, **request: Any
) -> Iterator[dict[str, Any]] | None:
    """Each page of a CE operation with no botocore paginator; None when CE has no data."""
    first = response_unless(NO_DATA, call, **request)
    if first is None:
        return None

    def pages() -> Iterator[dict[str, Any]]:
        page: dict[str, Any] | None = first
        while page is not None:
            yield page
            token = page.get(token_key)
            page = call(**request, **{token_key: token}) if token else None

    return pages()


@fact(
    "ce.commitment_coverage",
    regional=False,
    permissions=["ce:GetSavingsPlansCoverage", "ce:GetReservationCoverage"],
)
def commitment_coverage(ctx: FetchContext) -> CommitmentCoverage:
    period = window(ctx.now.date())
    with cost_explorer_errors(commitment_coverage.name, ctx.region):
        ce = ctx.client("ce")
        plans = _pages(
            ce.get_savings_plans_coverage, "NextToken", TimePeriod=period, Granularity="DAILY"
        )
        covered = on_demand = None
        if plans is not None:
            rows = [
                row.get("Coverage", {}) for page in plans for row in page["SavingsPlansCoverages"]
            ]
            covered = sum(_number(r.get("SpendCoveredBySavingsPlans")) for r in rows)
            on_demand = sum(_number(r.get("OnDemandCost")) for r in rows)
        reservations = _pages(
            ce.get_reservation_coverage, "NextPageToken", TimePeriod=period, Granularity="DAILY"
        )
        reserved = total = None
        if reservations is not None:
            hours = [
                row.get("Total", {}).get("CoverageHours", {})
                for page in reservations
                for row in page["CoveragesByTime"]
            ]
            reserved = sum(_number(h.get("ReservedHours")) for h in hours)
            total = sum(_number(h.get("TotalRunningHours")) for h in hours)
    return CommitmentCoverage(
        start=date.fromisoformat(period["Start"]),
        end=date.fromisoformat(period["End"]),
        savings_plans_covered_usd=covered,
        savings_plans_on_demand_usd=on_demand,
        reserved_hours=reserved,
        reservable_hours=total,
    )


@fact(
    "ce.commitment_utilization",
    regional=False,
    permissions=["ce:GetSavingsPlansUtilization", "ce:GetReservationUtilization"],
)
def commitment_utilization(ctx: FetchContext) -> CommitmentUtilization:
    period = window(ctx.now.date())
    with cost_explorer_errors(commitment_utilization.name, ctx.region):
        ce = ctx.client("ce")
        plans = response_unless(
            NO_DATA, ce.get_savings_plans_utilization, TimePeriod=period, Granularity="DAILY"
        )
        committed = used = None
        if plans is not None:
            total = plans["Total"]["Utilization"]
            committed = _number(total.get("TotalCommitment"))
            used = _number(total.get("UsedCommitment"))
        purchased = actual = None
        pages = _pages(
            ce.get_reservation_utilization,
            "NextPageToken",
            TimePeriod=period,
            Granularity="DAILY",
        )
        if pages is not None:
            rows = [row.get("Total", {}) for page in pages for row in page["UtilizationsByTime"]]
            purchased = sum(_number(r.get("PurchasedHours")) for r in rows)
            actual = sum(_number(r.get("TotalActualHours")) for r in rows)
    return CommitmentUtilization(
        start=date.fromisoformat(period["Start"]),
        end=date.fromisoformat(period["End"]),
        savings_plans_commitment_usd=committed if committed else None,
        savings_plans_used_usd=used if committed else None,
        reserved_purchased_hours=purchased if purchased else None,
        reserved_used_hours=actual if purchased else None,
    )
