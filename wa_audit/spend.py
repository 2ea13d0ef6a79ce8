"""The Report's spend section: what the account spends, where it is heading, and against what budget.

Built from the Cost Explorer and Budgets facts. When Cost Explorer is denied or not enabled the
section says why (``available=False``) and the audit goes on; a missing forecast or budget only
leaves its own fields empty.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import Any, TypeVar

from wa_audit.facts.base import Fact
from wa_audit.facts.budgets import Budget, budgets
from wa_audit.facts.ce import CostPeriod, cost_forecast, cost_history
from wa_audit.facts.store import FactUnavailable
from wa_audit.models import MonthlyCost, Pillar, ServiceCost, SpendSummary
from wa_audit.sections import ReportSection, SectionContext

TOP_SERVICES = 5
T = TypeVar("T")


def _optional(ctx: SectionContext, fact_: Fact[T]) -> T | None:
    """A fact the section can do without (its failure is already in the report's errors)."""
    try:
        value: T = ctx.fact(fact_)
    except FactUnavailable:
        return None
    return value


def _top(costs: Counter[str], count: int = TOP_SERVICES) -> tuple[ServiceCost, ...]:
    return tuple(
        ServiceCost(service=service, amount=round(amount, 2))
        for service, amount in costs.most_common(count)
    )


def _monthly(period: CostPeriod) -> MonthlyCost:
    return MonthlyCost(
        month=period.month,
        amount=round(period.total, 2),
        by_service=_top(Counter(period.by_service)),
    )


def _largest_monthly_budget(found: Iterable[Budget], currency: str) -> Budget | None:
    monthly = [
        b
        for b in found
        if b.is_cost
        and b.time_unit == "MONTHLY"
        and b.limit_amount
        and b.limit_unit in (None, currency)
    ]
    return max(monthly, key=lambda b: b.limit_amount or 0.0, default=None)


def build_spend(ctx: SectionContext) -> SpendSummary:
    try:
        history = ctx.fact(cost_history)
    except FactUnavailable as missing:
        return SpendSummary(available=False, reason=missing.failure.reason)
    full_months = history.full_months
    current = history.month_to_date
    month_to_date = current.total if current else 0.0
    combined: Counter[str] = Counter()
    for period in full_months:
        combined.update(period.by_service)
    summary: dict[str, Any] = {
        "available": True,
        "currency": history.unit,
        "month_to_date": round(month_to_date, 2),
        "last_months": tuple(_monthly(p) for p in full_months),
        "top_services": _top(combined),
    }
    forecast = _optional(ctx, cost_forecast)
    if forecast is not None:
        summary["forecast_month_end"] = round(month_to_date + forecast.amount, 2)
    found_budgets = _optional(ctx, budgets)
    budget = _largest_monthly_budget(found_budgets or (), history.unit)
    if budget is not None and budget.limit_amount:
        summary["largest_budget_name"] = budget.name
        summary["largest_budget_limit"] = budget.limit_amount
        if "forecast_month_end" in summary:
            summary["forecast_vs_budget_percent"] = round(
                100.0 * summary["forecast_month_end"] / budget.limit_amount, 1
            )
    return SpendSummary(**summary)


SPEND_SECTION = ReportSection(
    field="spend",
    pillar=Pillar.COST_OPTIMIZATION,
    facts=(cost_history, cost_forecast, budgets),
    build=build_spend,
)
