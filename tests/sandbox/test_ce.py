"""The sandbox's Cost Explorer: queries computed from seeded daily costs, forecast, anomaly APIs."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import boto3
import pytest
from botocore.exceptions import ClientError

from tests.sandbox.shapes import capture_wire, response_problems, wire_problems
from wa_audit.sandbox.extensions import ce as ce_extension
from wa_audit.sandbox.extensions.ce import cost_explorer

ACCOUNT_ID = "123456789012"
EC2 = "Amazon Elastic Compute Cloud - Compute"
S3 = "Amazon Simple Storage Service"
GROUP_BY_SERVICE = [{"Type": "DIMENSION", "Key": "SERVICE"}]


def _today() -> date:
    return datetime.now(UTC).date()


def _seed_days(sandbox, first: date, days: int, ec2: float = 10.0, s3: float = 1.0) -> None:
    data = cost_explorer(sandbox.state, ACCOUNT_ID)
    for offset in range(days):
        day = first + timedelta(offset)
        data.add_cost(day, EC2, ec2)
        data.add_cost(day, S3, s3)


def _assert_fits(client, operation: str, call) -> dict:
    with capture_wire(client) as bodies:
        answer = call()
    assert response_problems("ce", operation, answer) == []
    assert wire_problems("ce", operation, bodies[operation]) == []
    return answer


def test_monthly_grouped_by_service_sums_the_days_of_each_month(sandbox):
    _seed_days(sandbox, date(2025, 1, 30), 4)  # Jan 30, 31, Feb 1, 2
    ce = sandbox.client("ce")
    answer = _assert_fits(
        ce,
        "GetCostAndUsage",
        lambda: ce.get_cost_and_usage(
            TimePeriod={"Start": "2025-01-01", "End": "2025-03-01"},
            Granularity="MONTHLY",
            Metrics=["UnblendedCost"],
            GroupBy=GROUP_BY_SERVICE,
        ),
    )
    assert answer["GroupDefinitions"] == GROUP_BY_SERVICE
    periods = {
        r["TimePeriod"]["Start"]: {
            g["Keys"][0]: float(g["Metrics"]["UnblendedCost"]["Amount"]) for g in r["Groups"]
        }
        for r in answer["ResultsByTime"]
    }
    assert periods == {"2025-01-01": {EC2: 20.0, S3: 2.0}, "2025-02-01": {EC2: 20.0, S3: 2.0}}
    assert all(r["Total"] == {} and r["Estimated"] is False for r in answer["ResultsByTime"])


def test_daily_ungrouped_gives_totals_and_clips_to_the_period(sandbox):
    _seed_days(sandbox, date(2025, 1, 30), 4)
    ce = sandbox.client("ce")
    answer = ce.get_cost_and_usage(
        TimePeriod={"Start": "2025-01-31", "End": "2025-02-02"},
        Granularity="DAILY",
        Metrics=["UnblendedCost", "BlendedCost"],
    )
    assert response_problems("ce", "GetCostAndUsage", answer) == []
    assert [
        (r["TimePeriod"]["Start"], r["Total"]["BlendedCost"]["Amount"], r["Groups"])
        for r in answer["ResultsByTime"]
    ] == [("2025-01-31", "11.0000000000", []), ("2025-02-01", "11.0000000000", [])]


def test_the_current_month_is_estimated(sandbox):
    today = _today()
    answer = sandbox.client("ce").get_cost_and_usage(
        TimePeriod={
            "Start": today.replace(day=1).isoformat(),
            "End": (today + timedelta(1)).isoformat(),
        },
        Granularity="MONTHLY",
        Metrics=["UnblendedCost"],
    )
    assert [r["Estimated"] for r in answer["ResultsByTime"]] == [True]


def test_pages_end_on_a_period_boundary(sandbox, monkeypatch):
    monkeypatch.setattr(ce_extension, "GROUPS_PER_PAGE", 2)
    _seed_days(sandbox, date(2025, 1, 1), 90)
    ce = sandbox.client("ce")
    request = {
        "TimePeriod": {"Start": "2025-01-01", "End": "2025-04-01"},
        "Granularity": "MONTHLY",
        "Metrics": ["UnblendedCost"],
        "GroupBy": GROUP_BY_SERVICE,
    }
    first = ce.get_cost_and_usage(**request)
    second = ce.get_cost_and_usage(**request, NextPageToken=first["NextPageToken"])
    third = ce.get_cost_and_usage(**request, NextPageToken=second["NextPageToken"])
    starts = [
        r["TimePeriod"]["Start"] for page in (first, second, third) for r in page["ResultsByTime"]
    ]
    assert starts == ["2025-01-01", "2025-02-01", "2025-03-01"]
    assert "NextPageToken" not in third


@pytest.mark.parametrize(
    ("change", "code"),
    [
        ({"TimePeriod": {"Start": "2025-02-01", "End": "2025-01-01"}}, "ValidationException"),
        ({"Granularity": "HOURLY"}, "ValidationException"),
        ({"Metrics": ["UsageQuantity"]}, "ValidationException"),
        ({"GroupBy": [{"Type": "TAG", "Key": "team"}]}, "ValidationException"),
        ({"Filter": {"Dimensions": {"Key": "SERVICE", "Values": [EC2]}}}, "ValidationException"),
        ({"NextPageToken": "forged"}, "InvalidNextTokenException"),
    ],
)
def test_requests_outside_the_model_are_rejected(sandbox, change, code):
    request = {
        "TimePeriod": {"Start": "2025-01-01", "End": "2025-02-01"},
        "Granularity": "MONTHLY",
        "Metrics": ["UnblendedCost"],
    } | change
    with pytest.raises(ClientError) as raised:
        sandbox.client("ce").get_cost_and_usage(**request)
    assert raised.value.response["Error"]["Code"] == code


def test_an_account_that_never_opened_cost_explorer_is_told_so(sandbox):
    cost_explorer(sandbox.state, ACCOUNT_ID).enabled = False
    with pytest.raises(ClientError) as raised:
        sandbox.client("ce").get_anomaly_monitors()
    assert raised.value.response["Error"] == {
        "Code": "AccessDeniedException",
        "Message": "User not enabled for cost explorer access",
    }


def test_forecast_extends_the_last_seven_days(sandbox):
    today = _today()
    _seed_days(sandbox, today - timedelta(7), 7, ec2=6.0, s3=1.0)
    _seed_days(sandbox, today - timedelta(30), 10, ec2=100.0)  # older than the basis
    ce = sandbox.client("ce")
    end = today + timedelta(3)
    answer = _assert_fits(
        ce,
        "GetCostForecast",
        lambda: ce.get_cost_forecast(
            TimePeriod={"Start": today.isoformat(), "End": end.isoformat()},
            Metric="UNBLENDED_COST",
            Granularity="DAILY",
            PredictionIntervalLevel=80,
        ),
    )
    assert float(answer["Total"]["Amount"]) == pytest.approx(21.0)
    [first, *_] = answer["ForecastResultsByTime"]
    assert (
        float(first["PredictionIntervalLowerBound"])
        < 7.0
        < float(first["PredictionIntervalUpperBound"])
    )


@pytest.mark.parametrize(
    ("start_offset", "seed", "code"),
    [(0, False, "DataUnavailableException"), (-1, True, "ValidationException")],
)
def test_forecast_needs_history_and_a_start_from_today(sandbox, start_offset, seed, code):
    today = _today()
    if seed:
        _seed_days(sandbox, today - timedelta(7), 7)
    with pytest.raises(ClientError) as raised:
        sandbox.client("ce").get_cost_forecast(
            TimePeriod={
                "Start": (today + timedelta(start_offset)).isoformat(),
                "End": (today + timedelta(5)).isoformat(),
            },
            Metric="UNBLENDED_COST",
            Granularity="MONTHLY",
        )
    assert raised.value.response["Error"]["Code"] == code


def _monitor(ce, name: str = "aws-services") -> str:
    return ce.create_anomaly_monitor(
        AnomalyMonitor={
            "MonitorName": name,
            "MonitorType": "DIMENSIONAL",
            "MonitorDimension": "SERVICE",
        }
    )["MonitorArn"]


def _subscribe(ce, monitors: list[str], frequency: str = "DAILY", kind: str = "EMAIL") -> str:
    address = "finance@example.com" if kind == "EMAIL" else "arn:aws:sns:us-east-1:1:t"
    return ce.create_anomaly_subscription(
        AnomalySubscription={
            "SubscriptionName": "digest",
            "MonitorArnList": monitors,
            "Subscribers": [{"Type": kind, "Address": address}],
            "Frequency": frequency,
        }
    )["SubscriptionArn"]


def test_anomaly_monitors_and_subscriptions_round_trip(sandbox):
    ce = sandbox.client("ce")
    watched = _assert_fits(
        ce,
        "CreateAnomalyMonitor",
        lambda: ce.create_anomaly_monitor(
            AnomalyMonitor={
                "MonitorName": "aws-services",
                "MonitorType": "DIMENSIONAL",
                "MonitorDimension": "SERVICE",
            }
        ),
    )["MonitorArn"]
    unwatched = _monitor(ce, "spare")
    subscription = _assert_fits(
        ce,
        "CreateAnomalySubscription",
        lambda: ce.create_anomaly_subscription(
            AnomalySubscription={
                "SubscriptionName": "digest",
                "MonitorArnList": [watched],
                "Subscribers": [{"Type": "EMAIL", "Address": "finance@example.com"}],
                "Frequency": "DAILY",
            }
        ),
    )["SubscriptionArn"]
    monitors = _assert_fits(ce, "GetAnomalyMonitors", ce.get_anomaly_monitors)
    subscriptions = _assert_fits(ce, "GetAnomalySubscriptions", ce.get_anomaly_subscriptions)
    assert [m["MonitorArn"] for m in monitors["AnomalyMonitors"]] == [watched, unwatched]
    assert watched.startswith(f"arn:aws:ce::{ACCOUNT_ID}:anomalymonitor/")
    [listed] = subscriptions["AnomalySubscriptions"]
    assert (listed["SubscriptionArn"], listed["MonitorArnList"], listed["AccountId"]) == (
        subscription,
        [watched],
        ACCOUNT_ID,
    )
    assert ce.get_anomaly_subscriptions(MonitorArn=unwatched)["AnomalySubscriptions"] == []
    paged = ce.get_paginator("get_anomaly_monitors").paginate(PaginationConfig={"PageSize": 1})
    assert [len(page["AnomalyMonitors"]) for page in paged] == [1, 1]


def test_anomaly_errors(sandbox):
    ce = sandbox.client("ce")
    watched = _monitor(ce)
    unknown = f"arn:aws:ce::{ACCOUNT_ID}:anomalymonitor/nope"
    for call, code in [
        (lambda: _subscribe(ce, [unknown]), "UnknownMonitorException"),
        (lambda: _subscribe(ce, [watched], frequency="IMMEDIATE"), "ValidationException"),
        (lambda: ce.get_anomaly_monitors(MonitorArnList=[unknown]), "UnknownMonitorException"),
        (
            lambda: ce.create_anomaly_monitor(
                AnomalyMonitor={"MonitorName": "m", "MonitorType": "DIMENSIONAL"}
            ),
            "ValidationException",
        ),
    ]:
        with pytest.raises(ClientError) as raised:
            call()
        assert raised.value.response["Error"]["Code"] == code
    assert _subscribe(ce, [watched], frequency="IMMEDIATE", kind="SNS")


def test_cost_explorer_operations_are_authorized_by_their_own_actions(sandbox, monkeypatch):
    sandbox.enforce_iam(monkeypatch, deny=["ce:GetCostAndUsage"])
    ce = boto3.Session().client("ce", region_name="us-east-1", endpoint_url=sandbox.url)
    with pytest.raises(ClientError) as raised:
        ce.get_cost_and_usage(
            TimePeriod={"Start": "2025-01-01", "End": "2025-02-01"},
            Granularity="MONTHLY",
            Metrics=["UnblendedCost"],
        )
    assert raised.value.response["Error"]["Code"] == "AccessDeniedException"
    assert ce.get_anomaly_monitors()["AnomalyMonitors"] == []
