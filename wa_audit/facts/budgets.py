"""AWS Budgets: every budget with its notifications and the subscribers each one reaches.

A budget warns nobody unless a notification has a subscriber. ``DescribeBudgets`` and
``DescribeBudgetNotificationsForAccount`` list every budget and every notification of the account
(one paginated call each); AWS lists subscribers only per notification
(``DescribeSubscribersForNotification``), so that is one call per notification. All three are
authorized by the single IAM action ``budgets:ViewBudget``.
"""

from __future__ import annotations

from typing import Any

from botocore.exceptions import ClientError
from pydantic import BaseModel, ConfigDict

from wa_audit.facts.base import FetchContext, fact

VIEW_BUDGET = "budgets:ViewBudget"


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True)


class Subscriber(_Model):
    type: str
    """``EMAIL`` or ``SNS``."""
    address: str


class BudgetNotification(_Model):
    type: str
    """``ACTUAL`` (spend has crossed the threshold) or ``FORECASTED`` (is expected to)."""
    comparison: str
    threshold: float
    threshold_type: str = "PERCENTAGE"
    subscribers: tuple[Subscriber, ...] = ()


class Budget(_Model):
    name: str
    budget_type: str
    time_unit: str
    limit_amount: float | None = None
    limit_unit: str | None = None
    notifications: tuple[BudgetNotification, ...] = ()

    @property
    def is_cost(self) -> bool:
        return self.budget_type == "COST"

    @property
    def reaching_notifications(self) -> tuple[BudgetNotification, ...]:
        """Notifications that would reach somebody: those with at least one subscriber."""
        return tuple(n for n in self.notifications if n.subscribers)

    def arn(self, partition: str, account_id: str) -> str:
        return f"arn:{partition}:budgets::{account_id}:budget/{self.name}"


@fact("budgets.budgets", regional=False, permissions=[VIEW_BUDGET])
def budgets(ctx: FetchContext) -> tuple[Budget, ...]:
    raw_budgets = list(
        ctx.paginate("budgets", "describe_budgets", "Budgets", AccountId=ctx.account_id)
    )
    notifications = _notifications_by_budget(ctx) if raw_budgets else {}
    found = []
    for raw in raw_budgets:
        limit = raw.get("BudgetLimit") or {}
        found.append(
            Budget(
                name=raw["BudgetName"],
                budget_type=raw["BudgetType"],
                time_unit=raw["TimeUnit"],
                limit_amount=float(limit["Amount"]) if "Amount" in limit else None,
                limit_unit=limit.get("Unit"),
                notifications=tuple(
                    _with_subscribers(ctx, raw["BudgetName"], notification)
                    for notification in notifications.get(raw["BudgetName"], ())
                ),
            )
        )
    return tuple(found)


def _notifications_by_budget(ctx: FetchContext) -> dict[str, list[dict[str, Any]]]:
    """Every budget's notifications in one paginated call, rather than one call per budget."""
    found: dict[str, list[dict[str, Any]]] = {}
    try:
        for entry in ctx.paginate(
            "budgets",
            "describe_budget_notifications_for_account",
            "BudgetNotificationsForAccount",
            AccountId=ctx.account_id,
        ):
            found.setdefault(entry["BudgetName"], []).extend(entry.get("Notifications", []))
    except ClientError as error:
        if error.response.get("Error", {}).get("Code") != "NotFoundException":
            raise
    return found


def _with_subscribers(
    ctx: FetchContext, budget_name: str, raw: dict[str, Any]
) -> BudgetNotification:
    subscribers = ctx.paginate(
        "budgets",
        "describe_subscribers_for_notification",
        "Subscribers",
        AccountId=ctx.account_id,
        BudgetName=budget_name,
        Notification=raw,
    )
    return BudgetNotification(
        type=raw["NotificationType"],
        comparison=raw["ComparisonOperator"],
        threshold=raw["Threshold"],
        threshold_type=raw.get("ThresholdType", "PERCENTAGE"),
        subscribers=tuple(
            Subscriber(type=s["SubscriptionType"], address=s["Address"]) for s in subscribers
        ),
    )
