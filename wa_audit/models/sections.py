"""Report sections that are data rather than verdicts: spend and quota usage."""

from __future__ import annotations

from datetime import datetime

from pydantic import Field

from wa_audit.models.check import Frozen


class ServiceCost(Frozen):
    service: str
    amount: float


class MonthlyCost(Frozen):
    month: str = Field(description="YYYY-MM")
    amount: float
    by_service: tuple[ServiceCost, ...] = ()


class SpendSummary(Frozen):
    """What the account spends and where it is heading (Cost Explorer), next to its budgets."""

    available: bool
    reason: str | None = Field(
        default=None, description="Why the numbers are missing, if they are."
    )
    currency: str = "USD"
    month_to_date: float | None = None
    forecast_month_end: float | None = None
    last_months: tuple[MonthlyCost, ...] = ()
    top_services: tuple[ServiceCost, ...] = ()
    largest_budget_name: str | None = None
    largest_budget_limit: float | None = None
    forecast_vs_budget_percent: float | None = None


class QuotaRequest(Frozen):
    id: str
    status: str
    desired_value: float
    created: datetime | None = None


class QuotaUsage(Frozen):
    """One quota in one region: how much of it the account uses."""

    region: str
    service_code: str
    quota_code: str
    quota_name: str
    usage: float | None
    limit: float
    limit_source: str = Field(description="'applied' (ListServiceQuotas) or 'default'.")
    percent: float | None
    adjustable: bool
    usage_source: str = Field(description="'cloudwatch:<metric>' or 'api:<operation>'.")
    open_request: QuotaRequest | None = None
    quota_arn: str | None = None
    note: str | None = Field(
        default=None, description="Why a value is a fallback or missing, if it is."
    )
