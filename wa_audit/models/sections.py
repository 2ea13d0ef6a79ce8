"""Report sections that are data rather than verdicts: spend and quota usage."""

from __future__ import annotations

from datetime import datetime

from pydantic import Field

from wa_audit.models.check import Frozen

QUOTA_CHECK_ID = "rel.service-quotas"
"""The check that judges quotas; its parameters are the levels each quota in the Report carries."""
DEFAULT_WARN_PERCENT = 80.0
DEFAULT_CRITICAL_PERCENT = 95.0


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
    warn_percent: float | None = Field(
        default=None,
        description="The percent at which rel.service-quotas warns about this quota (after "
        "per-quota overrides); null in lists made outside an audit.",
    )
    critical_percent: float | None = Field(
        default=None, description="The percent at which rel.service-quotas fails this quota."
    )

    @property
    def warn_level(self) -> float:
        """The warning level, or the default for a Report made before quotas carried theirs."""
        return DEFAULT_WARN_PERCENT if self.warn_percent is None else self.warn_percent

    @property
    def critical_level(self) -> float:
        return DEFAULT_CRITICAL_PERCENT if self.critical_percent is None else self.critical_percent

    @property
    def level(self) -> str:
        """'critical', 'warning' or 'ok', by this quota's own levels."""
        if self.percent is None or self.percent < self.warn_level:
            return "ok"
        return "critical" if self.percent >= self.critical_level else "warning"
