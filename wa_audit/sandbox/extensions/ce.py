"""Cost Explorer: costs answered from seeded daily data, a forecast, and Cost Anomaly Detection.

moto's ``GetCostAndUsage`` replays canned answers in request order and moto has no forecast or
anomaly API. Here the account's cost is data: each day's cost by service (seeded into the sandbox
state, as AWS has no API to write a bill), and every query is computed from it, whatever its
``TimePeriod`` (start inclusive, end exclusive), ``Granularity`` or ``GroupBy``. The forecast
extends the average daily cost of the last seven days; with no history AWS's
``DataUnavailableException`` is answered. Anomaly monitors and subscriptions are created and read
with AWS's shapes and errors; each subscriber carries its ``Status`` (``CONFIRMED`` when created,
unless the request gives ``DECLINED``: a recipient who unsubscribed, which no API can do).

Modelled: ``DAILY``/``MONTHLY`` granularity, cost metrics (an account with no commitments or credits,
so every cost metric has the same value), ``GroupBy`` the ``SERVICE`` dimension, pagination. Not
modelled (answered with a ValidationException that says so): ``Filter``, other group keys, usage
metrics, ``HOURLY``. An account that never opened Cost Explorer gets AWS's
"User not enabled for cost explorer access".
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from werkzeug.wrappers import Response

from wa_audit.sandbox import ids
from wa_audit.sandbox.app import Handlers
from wa_audit.sandbox.pagination import InvalidToken, page, start_of, token_for
from wa_audit.sandbox.protocol import AwsRequest, error_response, json_response
from wa_audit.sandbox.state import SandboxState

handlers = Handlers(service="ce", signing_name="ce")

COST_METRICS = frozenset(
    {"AmortizedCost", "BlendedCost", "NetAmortizedCost", "NetUnblendedCost", "UnblendedCost"}
)
FORECAST_METRICS = frozenset(
    {"AMORTIZED_COST", "BLENDED_COST", "NET_AMORTIZED_COST", "NET_UNBLENDED_COST", "UNBLENDED_COST"}
)
GROUPS_PER_PAGE = 500
"""A GetCostAndUsage page ends at the first period boundary past this many groups."""
FORECAST_BASIS_DAYS = 7
NOT_ENABLED = "User not enabled for cost explorer access"


@dataclass
class CostExplorerData:
    """One account's Cost Explorer (a global service: one per account)."""

    enabled: bool = True
    daily_costs: dict[date, dict[str, float]] = field(default_factory=dict)
    currency: str = "USD"
    monitors: dict[str, dict[str, Any]] = field(default_factory=dict)
    subscriptions: dict[str, dict[str, Any]] = field(default_factory=dict)

    def add_cost(self, day: date, service: str, amount: float) -> None:
        by_service = self.daily_costs.setdefault(day, {})
        by_service[service] = by_service.get(service, 0.0) + amount


def cost_explorer(state: SandboxState, account_id: str) -> CostExplorerData:
    return state.area(account_id, "ce", CostExplorerData)


def _today() -> date:
    return datetime.now(UTC).date()


class _Invalid(Exception):
    def __init__(self, message: str, code: str = "ValidationException") -> None:
        super().__init__(message)
        self.code = code


def _enabled_data(request: AwsRequest, state: SandboxState) -> CostExplorerData:
    data = cost_explorer(state, request.account_id)
    if not data.enabled:
        raise _Invalid(NOT_ENABLED, "AccessDeniedException")
    return data


def _period(raw: dict[str, Any]) -> tuple[date, date]:
    try:
        start, end = date.fromisoformat(raw["Start"]), date.fromisoformat(raw["End"])
    except (KeyError, TypeError, ValueError) as error:
        raise _Invalid("TimePeriod Start and End must be dates like 2024-01-31") from error
    if end <= start:
        raise _Invalid("Start date (and hour) should be before end date (and hour)")
    return start, end


def _next_month(day: date) -> date:
    return date(day.year + day.month // 12, day.month % 12 + 1, 1)


def _periods(start: date, end: date, granularity: str) -> list[tuple[date, date]]:
    if granularity not in ("DAILY", "MONTHLY"):
        raise _Invalid(f"The sandbox models DAILY and MONTHLY granularity, not {granularity}")
    periods = []
    cursor = start
    while cursor < end:
        step = cursor + timedelta(days=1) if granularity == "DAILY" else _next_month(cursor)
        periods.append((cursor, min(step, end)))
        cursor = periods[-1][1]
    return periods


def _costs_by_service(data: CostExplorerData, start: date, end: date) -> dict[str, float]:
    totals: dict[str, float] = {}
    for day, by_service in data.daily_costs.items():
        if start <= day < end:
            for service, amount in by_service.items():
                totals[service] = totals.get(service, 0.0) + amount
    return totals


def _money(amount: float, unit: str) -> dict[str, str]:
    return {"Amount": f"{amount:.10f}", "Unit": unit}


def _group_keys(body: dict[str, Any]) -> list[dict[str, str]]:
    groups: list[dict[str, str]] = body.get("GroupBy") or []
    for group in groups:
        if (group.get("Type"), group.get("Key")) != ("DIMENSION", "SERVICE"):
            raise _Invalid("The sandbox models GroupBy on the SERVICE dimension only")
    if len(groups) > 1:
        raise _Invalid("The sandbox models one GroupBy, on the SERVICE dimension")
    return groups


def _result(
    data: CostExplorerData, period: tuple[date, date], metrics: list[str], grouped: bool
) -> dict[str, Any]:
    costs = _costs_by_service(data, *period)
    result: dict[str, Any] = {
        "TimePeriod": {"Start": period[0].isoformat(), "End": period[1].isoformat()},
        "Estimated": period[1] > _today().replace(day=1),
    }
    if grouped:
        result["Total"] = {}
        result["Groups"] = [
            {
                "Keys": [service],
                "Metrics": {m: _money(costs[service], data.currency) for m in metrics},
            }
            for service in sorted(costs)
        ]
    else:
        result["Total"] = {m: _money(sum(costs.values()), data.currency) for m in metrics}
        result["Groups"] = []
    return result


def _answer(request: AwsRequest, state: SandboxState, build: Any) -> Response:
    try:
        return json_response(build(_enabled_data(request, state), request.json()))
    except _Invalid as error:
        return error_response(request, error.code, str(error))


@handlers.operation("GetCostAndUsage")
def get_cost_and_usage(request: AwsRequest, state: SandboxState) -> Response:
    def build(data: CostExplorerData, body: dict[str, Any]) -> dict[str, Any]:
        if body.get("Filter"):
            raise _Invalid("The sandbox does not model Filter")
        metrics = body.get("Metrics") or []
        if not metrics or not set(metrics) <= COST_METRICS:
            raise _Invalid(f"The sandbox models the cost metrics {sorted(COST_METRICS)}")
        groups = _group_keys(body)
        periods = _periods(*_period(body.get("TimePeriod", {})), body.get("Granularity", ""))
        results = [_result(data, p, metrics, bool(groups)) for p in periods]
        try:
            first = start_of(body.get("NextPageToken"), len(results))
        except InvalidToken as error:
            raise _Invalid("Invalid NextPageToken", "InvalidNextTokenException") from error
        page_results: list[dict[str, Any]] = []
        groups_in_page = 0
        for result in results[first:]:
            if page_results and groups_in_page >= GROUPS_PER_PAGE:
                break
            page_results.append(result)
            groups_in_page += len(result["Groups"])
        answer: dict[str, Any] = {"ResultsByTime": page_results, "DimensionValueAttributes": []}
        if groups:
            answer["GroupDefinitions"] = groups
        token = token_for(first + len(page_results), len(results))
        if token:
            answer["NextPageToken"] = token
        return answer

    return _answer(request, state, build)


def _forecast(period: tuple[date, date], mean: float, level: int | None) -> dict[str, Any]:
    """One period's forecast; a prediction interval only when asked for (wider for a higher level)."""
    forecast: dict[str, Any] = {
        "TimePeriod": {"Start": period[0].isoformat(), "End": period[1].isoformat()},
        "MeanValue": f"{mean:.10f}",
    }
    if level:
        spread = mean * level / 1000
        forecast["PredictionIntervalLowerBound"] = f"{mean - spread:.10f}"
        forecast["PredictionIntervalUpperBound"] = f"{mean + spread:.10f}"
    return forecast


@handlers.operation("GetCostForecast")
def get_cost_forecast(request: AwsRequest, state: SandboxState) -> Response:
    def build(data: CostExplorerData, body: dict[str, Any]) -> dict[str, Any]:
        if body.get("Metric") not in FORECAST_METRICS:
            raise _Invalid(f"The sandbox forecasts the cost metrics {sorted(FORECAST_METRICS)}")
        start, end = _period(body.get("TimePeriod", {}))
        today = _today()
        if start < today:
            raise _Invalid("Start date must be equal to or later than the current date")
        basis = [d for d in data.daily_costs if today - timedelta(FORECAST_BASIS_DAYS) <= d < today]
        if not basis:
            raise _Invalid(
                "Insufficient amount of historical data to generate forecast.",
                "DataUnavailableException",
            )
        daily = sum(sum(data.daily_costs[d].values()) for d in basis) / len(basis)
        level = body.get("PredictionIntervalLevel")
        means = [
            (period, daily * (period[1] - period[0]).days)
            for period in _periods(start, end, body.get("Granularity", ""))
        ]
        forecasts = [_forecast(period, mean, level) for period, mean in means]
        total = sum(mean for _, mean in means)
        return {"Total": _money(total, data.currency), "ForecastResultsByTime": forecasts}

    return _answer(request, state, build)


def _arn(request: AwsRequest, kind: str) -> str:
    return f"arn:aws:ce::{request.account_id}:{kind}/{ids.uuid4()}"


@handlers.operation("CreateAnomalyMonitor")
def create_anomaly_monitor(request: AwsRequest, state: SandboxState) -> Response:
    def build(data: CostExplorerData, body: dict[str, Any]) -> dict[str, Any]:
        monitor = dict(body.get("AnomalyMonitor") or {})
        kind = monitor.get("MonitorType")
        if kind == "DIMENSIONAL" and not monitor.get("MonitorDimension"):
            raise _Invalid("A DIMENSIONAL monitor needs a MonitorDimension")
        if kind == "CUSTOM" and not monitor.get("MonitorSpecification"):
            raise _Invalid("A CUSTOM monitor needs a MonitorSpecification")
        if kind not in ("DIMENSIONAL", "CUSTOM") or not monitor.get("MonitorName"):
            raise _Invalid("MonitorName and MonitorType (DIMENSIONAL or CUSTOM) are required")
        arn = _arn(request, "anomalymonitor")
        today = _today().isoformat()
        monitor |= {
            "MonitorArn": arn,
            "CreationDate": today,
            "LastUpdatedDate": today,
            "DimensionalValueCount": 0,
        }
        data.monitors[arn] = monitor
        return {"MonitorArn": arn}

    return _answer(request, state, build)


@handlers.operation("CreateAnomalySubscription")
def create_anomaly_subscription(request: AwsRequest, state: SandboxState) -> Response:
    def build(data: CostExplorerData, body: dict[str, Any]) -> dict[str, Any]:
        subscription = dict(body.get("AnomalySubscription") or {})
        for monitor_arn in subscription.get("MonitorArnList", []):
            if monitor_arn not in data.monitors:
                raise _Invalid(f"Monitor {monitor_arn} not found", "UnknownMonitorException")
        subscribers = subscription.get("Subscribers") or []
        if not subscribers or not subscription.get("MonitorArnList"):
            raise _Invalid("MonitorArnList and Subscribers must not be empty")
        if subscription.get("Frequency") == "IMMEDIATE" and any(
            s.get("Type") != "SNS" for s in subscribers
        ):
            raise _Invalid("IMMEDIATE frequency supports only SNS subscribers")
        arn = _arn(request, "anomalysubscription")
        subscription |= {
            "SubscriptionArn": arn,
            "AccountId": request.account_id,
            "Subscribers": [{"Status": "CONFIRMED", **s} for s in subscribers],
        }
        data.subscriptions[arn] = subscription
        return {"SubscriptionArn": arn}

    return _answer(request, state, build)


def _listed(
    body: dict[str, Any], items: dict[str, dict[str, Any]], arn_filter: str, unknown: str
) -> tuple[list[dict[str, Any]], str | None]:
    wanted = body.get(arn_filter) or list(items)
    missing = [arn for arn in wanted if arn not in items]
    if missing:
        raise _Invalid(f"{missing[0]} not found", unknown)
    try:
        return page(
            [items[arn] for arn in wanted], body.get("NextPageToken"), body.get("MaxResults", 100)
        )
    except InvalidToken as error:
        raise _Invalid("Invalid NextPageToken", "InvalidNextTokenException") from error


def _with_token(key: str, found: tuple[list[dict[str, Any]], str | None]) -> dict[str, Any]:
    items, token = found
    return {key: items, **({"NextPageToken": token} if token else {})}


@handlers.operation("GetAnomalyMonitors")
def get_anomaly_monitors(request: AwsRequest, state: SandboxState) -> Response:
    def build(data: CostExplorerData, body: dict[str, Any]) -> dict[str, Any]:
        found = _listed(body, data.monitors, "MonitorArnList", "UnknownMonitorException")
        return _with_token("AnomalyMonitors", found)

    return _answer(request, state, build)


@handlers.operation("GetAnomalySubscriptions")
def get_anomaly_subscriptions(request: AwsRequest, state: SandboxState) -> Response:
    def build(data: CostExplorerData, body: dict[str, Any]) -> dict[str, Any]:
        monitor = body.get("MonitorArn")
        subscriptions = {
            arn: s
            for arn, s in data.subscriptions.items()
            if monitor is None or monitor in s.get("MonitorArnList", [])
        }
        found = _listed(body, subscriptions, "SubscriptionArnList", "UnknownSubscriptionException")
        return _with_token("AnomalySubscriptions", found)

    return _answer(request, state, build)
