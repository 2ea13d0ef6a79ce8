"""Cost Explorer: what the account spent, where it is heading, and its anomaly monitors.

Every Cost Explorer request costs $0.01, so an audit makes as few as it can: one
``GetCostAndUsage`` (three full months and the month to date in one MONTHLY query grouped by
service, more only if AWS paginates), one ``GetCostForecast``, one ``GetAnomalyMonitors`` and one
``GetAnomalySubscriptions``.

Cost Explorer answers ``AccessDeniedException`` "User not enabled for cost explorer access" until
someone opens it once in the console; that is not a missing permission, so it is reported as what it
is. Actual costs are read up to yesterday and the forecast from today, so that the forecast to
month end is their sum with no day counted twice.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from typing import Any

from botocore.exceptions import ClientError
from pydantic import BaseModel, ConfigDict

from wa_audit.facts.base import FetchContext, fact
from wa_audit.facts.store import FactFailure, FactUnavailable

COST_METRIC = "UnblendedCost"
FORECAST_METRIC = "UNBLENDED_COST"
FULL_MONTHS = 3


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True)


class CostPeriod(_Model):
    """One month (or the part of the current month up to yesterday), by service."""

    start: date
    end: date
    estimated: bool
    by_service: dict[str, float]

    @property
    def month(self) -> str:
        return self.start.strftime("%Y-%m")

    @property
    def total(self) -> float:
        return sum(self.by_service.values())


class CostHistory(_Model):
    as_of: date
    """The first day not included: the run's date."""
    unit: str
    periods: tuple[CostPeriod, ...]

    @property
    def full_months(self) -> tuple[CostPeriod, ...]:
        current = self.as_of.replace(day=1)
        return tuple(p for p in self.periods if p.start < current)

    @property
    def month_to_date(self) -> CostPeriod | None:
        current = self.as_of.replace(day=1)
        return next((p for p in self.periods if p.start == current), None)


class CostForecast(_Model):
    start: date
    end: date
    amount: float
    unit: str


class AnomalyMonitor(_Model):
    arn: str
    name: str
    type: str
    dimension: str | None = None


class AnomalySubscriber(_Model):
    type: str
    status: str | None = None
    """``CONFIRMED``, or ``DECLINED`` once the recipient unsubscribed: only CONFIRMED is notified."""

    @property
    def confirmed(self) -> bool:
        return self.status == "CONFIRMED"


class AnomalySubscription(_Model):
    arn: str
    name: str
    monitor_arns: tuple[str, ...]
    subscribers: tuple[AnomalySubscriber, ...]
    frequency: str

    @property
    def reaches_someone(self) -> bool:
        return any(subscriber.confirmed for subscriber in self.subscribers)


def months_before(first_of_month: date, months: int) -> date:
    index = first_of_month.year * 12 + first_of_month.month - 1 - months
    return date(index // 12, index % 12 + 1, 1)


def history_window(today: date) -> tuple[date, date]:
    """From the first day of the third full month back up to (not including) today."""
    return months_before(today.replace(day=1), FULL_MONTHS), today


def forecast_window(today: date) -> tuple[date, date]:
    """From today up to (not including) the first day of next month."""
    return today, months_before(today.replace(day=1), -1)


def explain(error: ClientError) -> FactFailure | None:
    """Cost Explorer's answers that are not a missing permission, said plainly."""
    code = error.response.get("Error", {}).get("Code", "")
    message = error.response.get("Error", {}).get("Message", "")
    if code == "AccessDeniedException" and "not enabled for cost explorer" in message.lower():
        return FactFailure(
            "Cost Explorer is not enabled for this account: open it once in the Billing and "
            "Cost Management console (its data appears within about 24 hours)"
        )
    if code == "DataUnavailableException":
        detail = f" ({message})" if message else ""
        return FactFailure(f"Cost Explorer has no data for this yet{detail}")
    return None


@contextmanager
def cost_explorer_errors(fact_name: str, region: str) -> Iterator[None]:
    try:
        yield
    except ClientError as error:
        failure = explain(error)
        if failure is None:
            raise
        raise FactUnavailable(fact_name, region, failure) from error


def _amount(metrics: dict[str, Any]) -> tuple[float, str]:
    value = metrics.get(COST_METRIC, {})
    return float(value.get("Amount", 0.0)), value.get("Unit", "USD")


@fact("ce.cost_history", regional=False, permissions=["ce:GetCostAndUsage"])
def cost_history(ctx: FetchContext) -> CostHistory:
    today = ctx.now.date()
    start, end = history_window(today)
    request: dict[str, Any] = {
        "TimePeriod": {"Start": start.isoformat(), "End": end.isoformat()},
        "Granularity": "MONTHLY",
        "Metrics": [COST_METRIC],
        "GroupBy": [{"Type": "DIMENSION", "Key": "SERVICE"}],
    }
    periods: dict[date, dict[str, Any]] = {}
    unit = "USD"
    with cost_explorer_errors(cost_history.name, ctx.region):
        client = ctx.client("ce")
        while True:
            page = client.get_cost_and_usage(**request)
            for result in page["ResultsByTime"]:  # absent: unknown spend, not none
                period_start = date.fromisoformat(result["TimePeriod"]["Start"])
                entry = periods.setdefault(
                    period_start,
                    {
                        "end": date.fromisoformat(result["TimePeriod"]["End"]),
                        "estimated": False,
                        "by_service": {},
                    },
                )
                entry["estimated"] = entry["estimated"] or result.get("Estimated", False)
                for group in result.get("Groups", []):
                    amount, unit = _amount(group.get("Metrics", {}))
                    service = group["Keys"][0]
                    entry["by_service"][service] = entry["by_service"].get(service, 0.0) + amount
            if not page.get("NextPageToken"):
                break
            request["NextPageToken"] = page["NextPageToken"]
    return CostHistory(
        as_of=today,
        unit=unit,
        periods=tuple(CostPeriod(start=key, **value) for key, value in sorted(periods.items())),
    )


@fact("ce.cost_forecast", regional=False, permissions=["ce:GetCostForecast"])
def cost_forecast(ctx: FetchContext) -> CostForecast:
    start, end = forecast_window(ctx.now.date())
    with cost_explorer_errors(cost_forecast.name, ctx.region):
        response = ctx.client("ce").get_cost_forecast(
            TimePeriod={"Start": start.isoformat(), "End": end.isoformat()},
            Metric=FORECAST_METRIC,
            Granularity="MONTHLY",
        )
    total = response["Total"]
    return CostForecast(start=start, end=end, amount=float(total["Amount"]), unit=total["Unit"])


@fact("ce.anomaly_monitors", regional=False, permissions=["ce:GetAnomalyMonitors"])
def anomaly_monitors(ctx: FetchContext) -> tuple[AnomalyMonitor, ...]:
    with cost_explorer_errors(anomaly_monitors.name, ctx.region):
        return tuple(
            AnomalyMonitor(
                arn=raw["MonitorArn"],
                name=raw["MonitorName"],
                type=raw["MonitorType"],
                dimension=raw.get("MonitorDimension"),
            )
            for raw in ctx.paginate("ce", "get_anomaly_monitors", "AnomalyMonitors")
        )


@fact("ce.anomaly_subscriptions", regional=False, permissions=["ce:GetAnomalySubscriptions"])
def anomaly_subscriptions(ctx: FetchContext) -> tuple[AnomalySubscription, ...]:
    with cost_explorer_errors(anomaly_subscriptions.name, ctx.region):
        return tuple(
            AnomalySubscription(
                arn=raw["SubscriptionArn"],
                name=raw["SubscriptionName"],
                monitor_arns=tuple(raw.get("MonitorArnList", [])),
                subscribers=tuple(
                    AnomalySubscriber(type=s.get("Type", ""), status=s.get("Status"))
                    for s in raw.get("Subscribers", [])
                ),
                frequency=raw["Frequency"],
            )
            for raw in ctx.paginate("ce", "get_anomaly_subscriptions", "AnomalySubscriptions")
        )
