"""Cost Explorer's billing-setup and commitment APIs, which moto lacks.

- Cost allocation tags: ``ListCostAllocationTags`` and ``UpdateCostAllocationTagsStatus``. AWS
  lists a user-defined key once it has seen it on a resource in the bill (a day or so after the
  tag is applied): no API writes that, so seeders call :func:`discover_tag_key`. Activating an
  unknown key is answered, as AWS does, with an entry in ``Errors``, not an exception.
- Cost categories: ``ListCostCategoryDefinitions`` from what moto's ``CreateCostCategoryDefinition``
  stored (moto has create and describe, not list).
- Commitments: ``GetSavingsPlansCoverage``, ``GetReservationCoverage``,
  ``GetSavingsPlansUtilization`` and ``GetReservationUtilization``, DAILY, computed from per-day
  figures seeded with :func:`set_commitments` (AWS derives them from the bill). With no Savings
  Plan, utilization is AWS's ``DataUnavailableException``; ``Filter``/``GroupBy`` are not modelled.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from pydantic import BaseModel, ConfigDict
from werkzeug.wrappers import Response

from wa_audit.sandbox.app import Handlers
from wa_audit.sandbox.extensions.ce import NOT_ENABLED, cost_explorer
from wa_audit.sandbox.pagination import json_page
from wa_audit.sandbox.protocol import AwsRequest, error_response, json_response
from wa_audit.sandbox.state import SandboxState

handlers = Handlers(service="ce", signing_name="ce")
DEFAULT_MAX_RESULTS = 100


class DailyCommitments(BaseModel):
    """One day's commitment figures, the same every day of the window (also the scenario's
    ``commitments`` table: the governance seeder stores it as read)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    savings_plans_covered_usd: float = 0.0
    savings_plans_on_demand_usd: float = 0.0
    reserved_hours: float = 0.0
    reservable_hours: float = 0.0
    savings_plans_commitment_usd: float = 0.0
    savings_plans_used_usd: float = 0.0
    reserved_purchased_hours: float = 0.0
    reserved_used_hours: float = 0.0


@dataclass
class BillingSetup:
    tags: dict[str, dict[str, str]] = field(default_factory=dict)
    commitments: DailyCommitments = field(default_factory=DailyCommitments)


def billing_setup(state: SandboxState, account_id: str) -> BillingSetup:
    return state.area(account_id, "ce.billing-setup", BillingSetup)


def discover_tag_key(state: SandboxState, account_id: str, key: str) -> None:
    """A user-defined tag key the bill has seen, inactive until someone activates it."""
    billing_setup(state, account_id).tags.setdefault(
        key, {"TagKey": key, "Type": "UserDefined", "Status": "Inactive"}
    )


def set_commitments(state: SandboxState, account_id: str, daily: DailyCommitments) -> None:
    billing_setup(state, account_id).commitments = daily


def _refused(request: AwsRequest, state: SandboxState) -> Response | None:
    if not cost_explorer(state, request.account_id).enabled:
        return error_response(request, "AccessDeniedException", NOT_ENABLED)
    return None


def _paged(request: AwsRequest, key: str, items: list[Any]) -> Response:
    return json_page(
        request,
        key,
        items,
        bad_page_error="InvalidNextTokenException",
        default_max_results=DEFAULT_MAX_RESULTS,
    )


@handlers.operation("ListCostAllocationTags")
def list_cost_allocation_tags(request: AwsRequest, state: SandboxState) -> Response:
    if refused := _refused(request, state):
        return refused
    body = request.json()
    wanted_keys = set(body.get("TagKeys") or [])
    found = [
        dict(tag)
        for tag in billing_setup(state, request.account_id).tags.values()
        if body.get("Status") in (None, tag["Status"])
        and body.get("Type") in (None, tag["Type"])
        and (not wanted_keys or tag["TagKey"] in wanted_keys)
    ]
    return _paged(request, "CostAllocationTags", found)


@handlers.operation("UpdateCostAllocationTagsStatus")
def update_cost_allocation_tags_status(request: AwsRequest, state: SandboxState) -> Response:
    if refused := _refused(request, state):
        return refused
    tags = billing_setup(state, request.account_id).tags
    errors = []
    for entry in request.json().get("CostAllocationTagsStatus") or []:
        key, status = entry.get("TagKey", ""), entry.get("Status", "")
        if key not in tags:
            errors.append(
                {"TagKey": key, "Code": "TagKeysNotFoundException", "Message": "Tag key not found"}
            )
        else:
            tags[key]["Status"] = status
            tags[key]["LastUpdatedDate"] = date.today().isoformat() + "T00:00:00Z"
    return json_response({"Errors": errors})


@handlers.operation("ListCostCategoryDefinitions")
def list_cost_category_definitions(request: AwsRequest, state: SandboxState) -> Response:
    from moto.ce.models import ce_backends

    backend = ce_backends[request.account_id]["aws"]
    found = [
        {
            "CostCategoryArn": category.arn,
            "Name": category.name,
            "EffectiveStart": category.effective_start,
            "NumberOfRules": len(category.rules),
            "Values": sorted({rule.get("Value", "") for rule in category.rules}),
            **({"DefaultValue": category.default_value} if category.default_value else {}),
        }
        for category in backend.cost_categories.values()
    ]
    return _paged(request, "CostCategoryReferences", found)


def _days(request: AwsRequest) -> list[date] | None:
    period = request.json().get("TimePeriod") or {}
    try:
        start, end = date.fromisoformat(period["Start"]), date.fromisoformat(period["End"])
    except (KeyError, TypeError, ValueError):
        return None
    return [start + timedelta(days=n) for n in range((end - start).days)]


def _interval(day: date) -> dict[str, str]:
    return {"Start": day.isoformat(), "End": (day + timedelta(days=1)).isoformat()}


Build = Callable[[list[date], DailyCommitments], Response]


def _commitment_answer(request: AwsRequest, state: SandboxState, build: Build) -> Response:
    if refused := _refused(request, state):
        return refused
    days = _days(request)
    if not days:
        return error_response(request, "ValidationException", "TimePeriod is invalid")
    return build(days, billing_setup(state, request.account_id).commitments)


def _text(value: float) -> str:
    return f"{value:.8f}"


@handlers.operation("GetSavingsPlansCoverage")
def get_savings_plans_coverage(request: AwsRequest, state: SandboxState) -> Response:
    def build(days: list[date], daily: DailyCommitments) -> Response:
        covered, on_demand = daily.savings_plans_covered_usd, daily.savings_plans_on_demand_usd
        total = covered + on_demand
        rows = [
            {
                "Attributes": {},
                "Coverage": {
                    "SpendCoveredBySavingsPlans": _text(covered),
                    "OnDemandCost": _text(on_demand),
                    "TotalCost": _text(total),
                    "CoveragePercentage": _text(100 * covered / total if total else 0.0),
                },
                "TimePeriod": _interval(day),
            }
            for day in days
        ]
        return _paged(request, "SavingsPlansCoverages", rows if total else [])

    return _commitment_answer(request, state, build)


@handlers.operation("GetReservationCoverage")
def get_reservation_coverage(request: AwsRequest, state: SandboxState) -> Response:
    def hours(daily: DailyCommitments, count: int) -> dict[str, Any]:
        reserved, total = daily.reserved_hours * count, daily.reservable_hours * count
        return {
            "CoverageHours": {
                "OnDemandHours": _text(total - reserved),
                "ReservedHours": _text(reserved),
                "TotalRunningHours": _text(total),
                "CoverageHoursPercentage": _text(100 * reserved / total if total else 0.0),
            }
        }

    def build(days: list[date], daily: DailyCommitments) -> Response:
        rows = [
            {"TimePeriod": _interval(day), "Groups": [], "Total": hours(daily, 1)} for day in days
        ]
        return json_response({"CoveragesByTime": rows, "Total": hours(daily, len(days))})

    return _commitment_answer(request, state, build)


@handlers.operation("GetSavingsPlansUtilization")
def get_savings_plans_utilization(request: AwsRequest, state: SandboxState) -> Response:
    def utilization(daily: DailyCommitments, count: int) -> dict[str, Any]:
        total = daily.savings_plans_commitment_usd * count
        used = daily.savings_plans_used_usd * count
        return {
            "Utilization": {
                "TotalCommitment": _text(total),
                "UsedCommitment": _text(used),
                "UnusedCommitment": _text(total - used),
                "UtilizationPercentage": _text(100 * used / total if total else 0.0),
            }
        }

    def build(days: list[date], daily: DailyCommitments) -> Response:
        if not daily.savings_plans_commitment_usd:
            return error_response(request, "DataUnavailableException", "Data is not available")
        rows = [{"TimePeriod": _interval(d), **utilization(daily, 1)} for d in days]
        return json_response(
            {"SavingsPlansUtilizationsByTime": rows, "Total": utilization(daily, len(days))}
        )

    return _commitment_answer(request, state, build)


@handlers.operation("GetReservationUtilization")
def get_reservation_utilization(request: AwsRequest, state: SandboxState) -> Response:
    def aggregates(daily: DailyCommitments, count: int) -> dict[str, str]:
        bought = daily.reserved_purchased_hours * count
        used = daily.reserved_used_hours * count
        return {
            "PurchasedHours": _text(bought),
            "TotalActualHours": _text(used),
            "UnusedHours": _text(bought - used),
            "UtilizationPercentage": _text(100 * used / bought if bought else 0.0),
        }

    def build(days: list[date], daily: DailyCommitments) -> Response:
        rows = [
            {"TimePeriod": _interval(d), "Groups": [], "Total": aggregates(daily, 1)} for d in days
        ]
        return json_response({"UtilizationsByTime": rows, "Total": aggregates(daily, len(days))})

    return _commitment_answer(request, state, build)
