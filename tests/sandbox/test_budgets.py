"""The sandbox's Budgets reads: AWS's shapes, pagination, errors and IAM action."""

from __future__ import annotations

import boto3
import pytest
from botocore.exceptions import ClientError

from tests.sandbox.shapes import capture_wire, response_problems, wire_problems

ACCOUNT_ID = "123456789012"
ACTUAL_80 = {
    "NotificationType": "ACTUAL",
    "ComparisonOperator": "GREATER_THAN",
    "Threshold": 80.0,
    "ThresholdType": "PERCENTAGE",
}
FORECAST_100 = {**ACTUAL_80, "NotificationType": "FORECASTED", "Threshold": 100.0}
EMAIL = {"SubscriptionType": "EMAIL", "Address": "finance@example.com"}
SNS = {"SubscriptionType": "SNS", "Address": "arn:aws:sns:us-east-1:123456789012:billing"}


def _budget(name: str, limit: str = "300") -> dict[str, object]:
    return {
        "BudgetName": name,
        "BudgetLimit": {"Amount": limit, "Unit": "USD"},
        "TimeUnit": "MONTHLY",
        "BudgetType": "COST",
    }


@pytest.fixture
def budgets(sandbox):
    client = sandbox.client("budgets")
    client.create_budget(
        AccountId=ACCOUNT_ID,
        Budget=_budget("monthly"),
        NotificationsWithSubscribers=[
            {"Notification": ACTUAL_80, "Subscribers": [EMAIL]},
            {"Notification": FORECAST_100, "Subscribers": [EMAIL, SNS]},
        ],
    )
    client.create_budget(AccountId=ACCOUNT_ID, Budget=_budget("quiet", "50"))
    return client


def test_reads_fit_the_botocore_shapes_parsed_and_on_the_wire(budgets):
    where = {"AccountId": ACCOUNT_ID, "BudgetName": "monthly"}
    with capture_wire(budgets) as bodies:
        listed = budgets.describe_budgets(AccountId=ACCOUNT_ID)
        for_account = budgets.describe_budget_notifications_for_account(AccountId=ACCOUNT_ID)
        notifications = budgets.describe_notifications_for_budget(**where)
        subscribers = budgets.describe_subscribers_for_notification(
            Notification=FORECAST_100, **where
        )
    for operation, parsed in [
        ("DescribeBudgets", listed),
        ("DescribeBudgetNotificationsForAccount", for_account),
        ("DescribeNotificationsForBudget", notifications),
        ("DescribeSubscribersForNotification", subscribers),
    ]:
        assert response_problems("budgets", operation, parsed) == []
        assert wire_problems("budgets", operation, bodies[operation]) == []
    assert [b["BudgetName"] for b in listed["Budgets"]] == ["monthly", "quiet"]
    assert notifications["Notifications"] == [ACTUAL_80, FORECAST_100]
    assert for_account["BudgetNotificationsForAccount"] == [
        {"BudgetName": "monthly", "Notifications": [ACTUAL_80, FORECAST_100]}
    ]
    assert subscribers["Subscribers"] == [EMAIL, SNS]


def test_subscribers_of_a_notification_given_without_its_default_threshold_type(budgets):
    asked = {k: v for k, v in ACTUAL_80.items() if k != "ThresholdType"}
    found = budgets.describe_subscribers_for_notification(
        AccountId=ACCOUNT_ID, BudgetName="monthly", Notification=asked
    )
    assert found["Subscribers"] == [EMAIL]


def test_pages_follow_max_results_and_next_token(budgets):
    first = budgets.describe_budgets(AccountId=ACCOUNT_ID, MaxResults=1)
    second = budgets.describe_budgets(
        AccountId=ACCOUNT_ID, MaxResults=1, NextToken=first["NextToken"]
    )
    assert [b["BudgetName"] for b in first["Budgets"] + second["Budgets"]] == ["monthly", "quiet"]
    assert "NextToken" not in second
    pages = budgets.get_paginator("describe_subscribers_for_notification").paginate(
        AccountId=ACCOUNT_ID,
        BudgetName="monthly",
        Notification=FORECAST_100,
        PaginationConfig={"PageSize": 1},
    )
    assert [page["Subscribers"] for page in pages] == [[EMAIL], [SNS]]


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (
            lambda c: c.describe_notifications_for_budget(AccountId=ACCOUNT_ID, BudgetName="nope"),
            "Unable to get budget: nope - the budget doesn't exist.",
        ),
        (
            lambda c: c.describe_subscribers_for_notification(
                AccountId=ACCOUNT_ID, BudgetName="quiet", Notification=ACTUAL_80
            ),
            "the notification doesn't exist for this budget",
        ),
    ],
)
def test_missing_budget_or_notification_is_not_found(budgets, call, message):
    with pytest.raises(ClientError) as raised:
        call(budgets)
    assert raised.value.response["Error"]["Code"] == "NotFoundException"
    assert message in raised.value.response["Error"]["Message"]


def test_invalid_token_is_rejected(budgets):
    with pytest.raises(ClientError) as raised:
        budgets.describe_budgets(AccountId=ACCOUNT_ID, NextToken="forged")
    assert raised.value.response["Error"]["Code"] == "InvalidNextTokenException"


def test_every_read_needs_budgets_view_budget(sandbox, budgets, monkeypatch):
    sandbox.enforce_iam(monkeypatch, deny=["budgets:ViewBudget"])
    # A new session: boto3's default one keeps the credentials it resolved first.
    denied = boto3.Session().client("budgets", region_name="us-east-1", endpoint_url=sandbox.url)
    for call in (
        lambda: denied.describe_budgets(AccountId=ACCOUNT_ID),
        lambda: denied.describe_budget_notifications_for_account(AccountId=ACCOUNT_ID),
        lambda: denied.describe_notifications_for_budget(
            AccountId=ACCOUNT_ID, BudgetName="monthly"
        ),
        lambda: denied.describe_subscribers_for_notification(
            AccountId=ACCOUNT_ID, BudgetName="monthly", Notification=ACTUAL_80
        ),
    ):
        with pytest.raises(ClientError) as raised:
            call()
        assert raised.value.response["Error"]["Code"] == "AccessDeniedException"
        assert "budgets:ViewBudget" in raised.value.response["Error"]["Message"]
