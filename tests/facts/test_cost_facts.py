"""Cost facts against the sandbox: budgets, alarms, Cost Explorer, Free Tier."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from wa_audit.aws import AwsSession, Identity
from wa_audit.facts.budgets import budgets
from wa_audit.facts.ce import (
    anomaly_monitors,
    anomaly_subscriptions,
    cost_forecast,
    cost_history,
    forecast_window,
    history_window,
    months_before,
)
from wa_audit.facts.cloudwatch import billing_metrics, metric_alarms
from wa_audit.facts.freetier import free_tier_usage
from wa_audit.facts.store import FactStore, FactUnavailable
from wa_audit.sandbox.extensions import ce as ce_extension
from wa_audit.sandbox.extensions.ce import cost_explorer
from wa_audit.sandbox.extensions.freetier import free_tier

ACCOUNT_ID = "123456789012"
EC2 = "Amazon Elastic Compute Cloud - Compute"


def _store() -> FactStore:
    session = AwsSession()
    return FactStore(session, session.identity())


def test_budgets_with_their_notifications_and_subscribers(sandbox):
    sandbox.client("budgets").create_budget(
        AccountId=ACCOUNT_ID,
        Budget={
            "BudgetName": "monthly",
            "BudgetLimit": {"Amount": "300.0", "Unit": "USD"},
            "TimeUnit": "MONTHLY",
            "BudgetType": "COST",
        },
        NotificationsWithSubscribers=[
            {
                "Notification": {
                    "NotificationType": "FORECASTED",
                    "ComparisonOperator": "GREATER_THAN",
                    "Threshold": 100.0,
                },
                "Subscribers": [{"SubscriptionType": "EMAIL", "Address": "ops@example.com"}],
            }
        ],
    )
    sandbox.client("budgets").create_budget(
        AccountId=ACCOUNT_ID,
        Budget={
            "BudgetName": "quiet",
            "BudgetLimit": {"Amount": "20", "Unit": "USD"},
            "TimeUnit": "MONTHLY",
            "BudgetType": "COST",
        },
    )
    store = _store()
    budget, quiet = store.get(budgets, "us-east-1")
    assert (quiet.name, quiet.notifications) == ("quiet", ())
    assert (budget.name, budget.budget_type, budget.limit_amount, budget.limit_unit) == (
        "monthly",
        "COST",
        300.0,
        "USD",
    )
    [notification] = budget.reaching_notifications
    assert (notification.type, notification.threshold, notification.threshold_type) == (
        "FORECASTED",
        100.0,
        "PERCENTAGE",
    )
    assert [(s.type, s.address) for s in notification.subscribers] == [("EMAIL", "ops@example.com")]
    assert budget.arn("aws", ACCOUNT_ID) == "arn:aws:budgets::123456789012:budget/monthly"
    calls = store.session.calls.by_action()
    assert (
        calls["budgets:DescribeBudgets"],
        calls["budgets:DescribeBudgetNotificationsForAccount"],
        calls["budgets:DescribeSubscribersForNotification"],
    ) == (1, 1, 1)


def test_metric_alarms_know_what_they_watch_including_metric_math(sandbox):
    cloudwatch = sandbox.client("cloudwatch")
    topic = sandbox.client("sns").create_topic(Name="billing")["TopicArn"]
    cloudwatch.put_metric_alarm(
        AlarmName="bill",
        Namespace="AWS/Billing",
        MetricName="EstimatedCharges",
        Dimensions=[{"Name": "Currency", "Value": "USD"}],
        Statistic="Maximum",
        Period=21600,
        EvaluationPeriods=1,
        Threshold=100,
        ComparisonOperator="GreaterThanThreshold",
        AlarmActions=[topic, "arn:aws:automate:us-east-1:ec2:stop"],
    )
    cloudwatch.put_metric_alarm(
        AlarmName="bill-growth",
        EvaluationPeriods=1,
        Threshold=10,
        ComparisonOperator="GreaterThanThreshold",
        Metrics=[
            {
                "Id": "charges",
                "MetricStat": {
                    "Metric": {"Namespace": "AWS/Billing", "MetricName": "EstimatedCharges"},
                    "Period": 21600,
                    "Stat": "Maximum",
                },
                "ReturnData": False,
            },
            {"Id": "growth", "Expression": "RATE(charges)", "ReturnData": True},
        ],
    )
    alarms = {a.name: a for a in _store().get(metric_alarms, "us-east-1")}
    assert alarms["bill"].watches("AWS/Billing", "EstimatedCharges")
    assert alarms["bill"].watches_total_charges  # Currency alone: the whole bill
    assert alarms["bill"].sns_actions == (topic,)
    assert alarms["bill-growth"].watches("AWS/Billing", "EstimatedCharges")
    assert not alarms["bill-growth"].watches_total_charges  # no Currency: a metric AWS never has
    assert alarms["bill-growth"].region == "us-east-1"


def test_billing_metrics_exist_only_once_published(sandbox):
    assert _store().get(billing_metrics, "us-east-1").enabled is False
    sandbox.client("cloudwatch").put_metric_data(
        Namespace="AWS/Billing",
        MetricData=[{"MetricName": "EstimatedCharges", "Value": 12.0}],
    )
    assert _store().get(billing_metrics, "us-east-1").metric_names == ("EstimatedCharges",)


def test_billing_metrics_are_read_in_the_partitions_billing_region(sandbox):
    """aws-cn publishes billing metrics in Ningxia (cn-northwest-1), whatever the home region."""
    for region in ("us-east-1", "cn-northwest-1"):
        sandbox.client("cloudwatch", region).put_metric_data(
            Namespace="AWS/Billing",
            MetricData=[
                {
                    "MetricName": "EstimatedCharges",
                    "Dimensions": [{"Name": "Currency", "Value": "CNY"}],
                    "Value": 12.0,
                }
            ],
        )
    session = AwsSession()
    china = Identity(
        account_id=ACCOUNT_ID, arn=f"arn:aws-cn:iam::{ACCOUNT_ID}:user/a", partition="aws-cn"
    )
    store = FactStore(session, china)
    found = store.get(billing_metrics, "cn-north-1")
    assert (found.region, found.enabled) == ("cn-northwest-1", True)
    assert session.calls.by_action_and_region() == {("cloudwatch:ListMetrics", "cn-northwest-1"): 1}
    gov = Identity(
        account_id=ACCOUNT_ID,
        arn=f"arn:aws-us-gov:iam::{ACCOUNT_ID}:user/a",
        partition="aws-us-gov",
    )
    assert FactStore(AwsSession(), gov).get(billing_metrics, "us-gov-west-1").region is None


@pytest.mark.parametrize(
    ("today", "history", "forecast"),
    [
        (date(2026, 11, 29), (date(2026, 8, 1), date(2026, 11, 29)), date(2026, 12, 1)),
        (date(2026, 2, 1), (date(2025, 11, 1), date(2026, 2, 1)), date(2026, 3, 1)),
        (date(2026, 12, 31), (date(2026, 9, 1), date(2026, 12, 31)), date(2027, 1, 1)),
    ],
)
def test_windows_cover_three_full_months_and_the_rest_of_this_one(today, history, forecast):
    assert history_window(today) == history
    assert forecast_window(today) == (today, forecast)


def _seed_history(sandbox, today: date) -> None:
    data = cost_explorer(sandbox.state, ACCOUNT_ID)
    first = history_window(today)[0]
    for offset in range((today - first).days):
        data.add_cost(first + timedelta(offset), EC2, 2.0)
        data.add_cost(first + timedelta(offset), "AWS Data Transfer", 0.5)


def test_cost_history_is_one_request_per_page_and_merges_pages(sandbox, monkeypatch):
    today = datetime.now(UTC).date()
    _seed_history(sandbox, today)
    monkeypatch.setattr(ce_extension, "GROUPS_PER_PAGE", 2)  # one month per page
    store = _store()
    history = store.get(cost_history, "us-east-1")
    months = len(history.periods)
    assert store.session.calls.by_action()["ce:GetCostAndUsage"] == months
    first_of_month = today.replace(day=1)
    assert [p.start for p in history.full_months] == [
        months_before(first_of_month, n) for n in (3, 2, 1)
    ]
    oldest = history.full_months[0]
    days = (oldest.end - oldest.start).days
    assert oldest.by_service == {EC2: 2.0 * days, "AWS Data Transfer": 0.5 * days}
    month_to_date = history.month_to_date
    assert (month_to_date.total if month_to_date else 0.0) == pytest.approx(2.5 * (today.day - 1))


def test_forecast_is_to_the_end_of_this_month(sandbox):
    today = datetime.now(UTC).date()
    _seed_history(sandbox, today)
    forecast = _store().get(cost_forecast, "us-east-1")
    assert (forecast.start, forecast.end) == forecast_window(today)
    assert forecast.amount == pytest.approx(2.5 * (forecast.end - today).days)


def test_cost_explorer_not_enabled_is_not_a_missing_permission(sandbox):
    cost_explorer(sandbox.state, ACCOUNT_ID).enabled = False
    with pytest.raises(FactUnavailable) as raised:
        _store().get(cost_history, "us-east-1")
    assert raised.value.failure.missing_permission is None
    assert raised.value.failure.reason.startswith("Cost Explorer is not enabled for this account")


def test_forecast_without_history_says_cost_explorer_has_no_data(sandbox):
    with pytest.raises(FactUnavailable) as raised:
        _store().get(cost_forecast, "us-east-1")
    assert raised.value.failure.reason == (
        "Cost Explorer has no data for this yet "
        "(Insufficient amount of historical data to generate forecast.)"
    )


def test_anomaly_monitors_and_subscriptions(sandbox):
    ce = sandbox.client("ce")
    monitor = ce.create_anomaly_monitor(
        AnomalyMonitor={
            "MonitorName": "all",
            "MonitorType": "DIMENSIONAL",
            "MonitorDimension": "SERVICE",
        }
    )["MonitorArn"]
    ce.create_anomaly_subscription(
        AnomalySubscription={
            "SubscriptionName": "digest",
            "MonitorArnList": [monitor],
            "Subscribers": [
                {"Type": "EMAIL", "Address": "finance@example.com"},
                {"Type": "EMAIL", "Address": "left@example.com", "Status": "DECLINED"},
            ],
            "Frequency": "WEEKLY",
        }
    )
    store = _store()
    [found] = store.get(anomaly_monitors, "us-east-1")
    [subscription] = store.get(anomaly_subscriptions, "us-east-1")
    assert (found.arn, found.dimension) == (monitor, "SERVICE")
    assert (subscription.monitor_arns, subscription.frequency) == ((monitor,), "WEEKLY")
    assert [(s.type, s.status) for s in subscription.subscribers] == [
        ("EMAIL", "CONFIRMED"),
        ("EMAIL", "DECLINED"),
    ]
    assert subscription.reaches_someone


def test_free_tier_offers(sandbox):
    free_tier(sandbox.state, ACCOUNT_ID).usages = [
        {
            "service": "AWS Lambda",
            "usageType": "Global-Request",
            "actualUsageAmount": 100.0,
            "forecastedUsageAmount": 900000.0,
            "limit": 1000000.0,
            "unit": "Requests",
            "freeTierType": "Always Free",
        }
    ]
    [offer] = _store().get(free_tier_usage, "us-east-1")
    assert (offer.key, offer.forecast_percent, offer.offer_type) == (
        "AWS Lambda/Global-Request",
        90.0,
        "Always Free",
    )
