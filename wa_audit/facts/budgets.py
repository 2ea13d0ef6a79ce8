"""AWS Budgets: every budget with its notifications and the subscribers each one reaches.

A budget warns nobody unless a notification has a subscriber, and AWS lists subscribers only per
notification (``DescribeSubscribersForNotification``), so this fact makes one call per budget and
one per notification. All three operations are authorized by the single IAM action
``budgets:ViewBudget``.
"""

from __future__ import annotations

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
    found = []
    for raw in ctx.paginate("budgets", "describe_budgets", "Budgets", AccountId=ctx.account_id):
        limit = raw.get("BudgetLimit") or {}
        found.append(
            Budget(
                name=raw["BudgetName"],
                budget_type=raw["BudgetType"],
                time_unit=raw["TimeUnit"],
                limit_amount=float(limit["Amount"]) if "Amount" in limit else None,
                limit_unit=limit.get("Unit"),
                notifications=_notifications(ctx, raw["BudgetName"]),
            )
        )
    return tuple(found)


def _notifications(ctx: FetchContext, budget_name: str) -> tuple[BudgetNotification, ...]:
    where = {"AccountId": ctx.account_id, "BudgetName": budget_name}
    found = []
    for raw in ctx.paginate(
        "budgets", "describe_notifications_for_budget", "Notifications", **where
    ):
        subscribers = ctx.paginate(
            "budgets",
            "describe_subscribers_for_notification",
            "Subscribers",
            Notification=raw,
            **where,
        )
        found.append(
            BudgetNotification(
                type=raw["NotificationType"],
                comparison=raw["ComparisonOperator"],
                threshold=raw["Threshold"],
                threshold_type=raw.get("ThresholdType", "PERCENTAGE"),
                subscribers=tuple(
                    Subscriber(type=s["SubscriptionType"], address=s["Address"])
                    for s in subscribers
                ),
            )
        )
    return tuple(found)
