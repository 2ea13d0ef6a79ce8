"""Budgets: moto stores each notification's subscribers but cannot list them.

moto has no ``DescribeSubscribersForNotification`` nor ``DescribeBudgetNotificationsForAccount``.
The budget reads are answered here from moto's own in-process budgets backend
(what ``CreateBudget`` and ``CreateNotification`` stored), with AWS's pagination (``MaxResults``,
``NextToken``; moto ignores both and spells the token ``nextToken``), AWS's ``NotFoundException``
messages, and the IAM action AWS checks for all of them: ``budgets:ViewBudget``.
"""

from __future__ import annotations

from typing import Any

from werkzeug.wrappers import Response

from wa_audit.sandbox.app import Handlers
from wa_audit.sandbox.pagination import InvalidToken, page
from wa_audit.sandbox.protocol import AwsRequest, error_response, json_response
from wa_audit.sandbox.state import SandboxState

handlers = Handlers(service="budgets", signing_name="budgets")
VIEW_BUDGET = "ViewBudget"
DEFAULT_MAX_RESULTS = 100


def _stored_budgets(request: AwsRequest, account_id: str) -> dict[str, Any]:
    """moto's budgets of ``account_id`` (the request's ``AccountId``), by name."""
    from moto.budgets.models import budgets_backends
    from moto.utilities.utils import get_partition

    backend = budgets_backends[request.account_id][get_partition(request.region)]
    found: dict[str, Any] = backend.budgets[account_id]
    return found


def _paged(request: AwsRequest, key: str, items: list[Any]) -> Response:
    body = request.json()
    try:
        items_page, token = page(
            items, body.get("NextToken"), body.get("MaxResults", DEFAULT_MAX_RESULTS)
        )
    except InvalidToken:
        return error_response(request, "InvalidNextTokenException", "Invalid NextToken")
    answer: dict[str, Any] = {key: items_page}
    if token:
        answer["NextToken"] = token
    return json_response(answer)


def _budget(request: AwsRequest) -> Any | Response:
    body = request.json()
    name = body.get("BudgetName", "")
    stored = _stored_budgets(request, body.get("AccountId", request.account_id)).get(name)
    if stored is None:
        message = f"Unable to get budget: {name} - the budget doesn't exist."
        return error_response(request, "NotFoundException", message)
    return stored


def _same_notification(stored: dict[str, Any], asked: dict[str, Any]) -> bool:
    """AWS identifies a notification by type, operator, threshold and threshold type."""
    return all(
        stored.get(k, default) == asked.get(k, default)
        for k, default in (
            ("NotificationType", None),
            ("ComparisonOperator", None),
            ("Threshold", None),
            ("ThresholdType", "PERCENTAGE"),
        )
    )


@handlers.operation("DescribeBudgets", iam_action=VIEW_BUDGET)
def describe_budgets(request: AwsRequest, state: SandboxState) -> Response:
    account_id = request.json().get("AccountId", request.account_id)
    budgets = [b.to_dict() for _, b in sorted(_stored_budgets(request, account_id).items())]
    return _paged(request, "Budgets", budgets)


@handlers.operation("DescribeNotificationsForBudget", iam_action=VIEW_BUDGET)
def describe_notifications_for_budget(request: AwsRequest, state: SandboxState) -> Response:
    budget = _budget(request)
    if isinstance(budget, Response):
        return budget
    return _paged(request, "Notifications", [n.details for n in budget.notifications])


@handlers.operation("DescribeBudgetNotificationsForAccount", iam_action=VIEW_BUDGET)
def describe_budget_notifications_for_account(request: AwsRequest, state: SandboxState) -> Response:
    """Budgets with at least one notification, each with its notifications (moto lacks it)."""
    account_id = request.json().get("AccountId", request.account_id)
    entries = [
        {"BudgetName": name, "Notifications": [n.details for n in budget.notifications]}
        for name, budget in sorted(_stored_budgets(request, account_id).items())
        if budget.notifications
    ]
    return _paged(request, "BudgetNotificationsForAccount", entries)


@handlers.operation("DescribeSubscribersForNotification", iam_action=VIEW_BUDGET)
def describe_subscribers_for_notification(request: AwsRequest, state: SandboxState) -> Response:
    budget = _budget(request)
    if isinstance(budget, Response):
        return budget
    asked = request.json().get("Notification", {})
    for notification in budget.notifications:
        if _same_notification(notification.details, asked):
            return _paged(request, "Subscribers", list(notification.subscribers))
    message = "Unable to describe subscribers: the notification doesn't exist for this budget."
    return error_response(request, "NotFoundException", message)
