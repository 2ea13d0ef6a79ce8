"""Cost checks on facts built in the test: every verdict, with its exact reason."""

from __future__ import annotations

import pytest

from tests.helpers import run_on_facts
from wa_audit.aws import Identity
from wa_audit.checks.cost_optimization import (
    anomaly_detection,
    billing_alarm,
    budget_alerts,
    cost_budget,
)
from wa_audit.checks.cost_waste import free_tier
from wa_audit.facts.budgets import Budget, BudgetNotification, Subscriber, budgets
from wa_audit.facts.ce import (
    AnomalyMonitor,
    AnomalySubscriber,
    AnomalySubscription,
    anomaly_monitors,
)
from wa_audit.facts.ce import anomaly_subscriptions as anomaly_subscriptions_fact
from wa_audit.facts.cloudwatch import (
    BillingMetrics,
    MetricAlarm,
    WatchedMetric,
    billing_metrics,
    metric_alarms,
)
from wa_audit.facts.freetier import free_tier_usage
from wa_audit.facts.sns import Subscription, TopicSubscriptions, subscriptions
from wa_audit.facts.store import FactFailure
from wa_audit.models import Status

ACCOUNT = "123456789012"
ROOT = f"arn:aws:iam::{ACCOUNT}:root"
BUDGET_ARN = f"arn:aws:budgets::{ACCOUNT}:budget/monthly"
TOPIC = f"arn:aws:sns:us-east-1:{ACCOUNT}:billing"
EMAIL = Subscriber(type="EMAIL", address="finance@example.com")


def _budget(*notifications: BudgetNotification, budget_type: str = "COST") -> Budget:
    return Budget(
        name="monthly",
        budget_type=budget_type,
        time_unit="MONTHLY",
        limit_amount=300.0,
        limit_unit="USD",
        notifications=notifications,
    )


def _notification(kind: str, *subscribers: Subscriber) -> BudgetNotification:
    return BudgetNotification(
        type=kind, comparison="GREATER_THAN", threshold=80.0, subscribers=subscribers
    )


@pytest.mark.parametrize(
    ("found", "status", "message"),
    [
        ((_budget(),), Status.PASS, "The account has 1 cost budget."),
        (
            (_budget(budget_type="USAGE"),),
            Status.FAIL,
            "The account has no COST budget: its 1 budget tracks usage or commitments, not spend.",
        ),
        ((), Status.FAIL, "The account has no budget: nothing compares its spend with a plan."),
    ],
)
def test_cost_budget(found, status, message):
    [finding] = run_on_facts(cost_budget, {budgets: found})
    assert (finding.status, finding.resource, finding.region, finding.message) == (
        status,
        ROOT,
        "global",
        message,
    )
    assert finding.best_practices == ("COST01-BP03", "COST02-BP05")


@pytest.mark.parametrize(
    ("budget", "status", "message"),
    [
        (
            _budget(),
            Status.FAIL,
            "The budget has no notification with a subscriber (e-mail or SNS): crossing it warns "
            "nobody.",
        ),
        (
            _budget(_notification("ACTUAL"), _notification("FORECASTED")),
            Status.FAIL,
            "The budget has no notification with a subscriber (e-mail or SNS): crossing it warns "
            "nobody.",
        ),
        (
            _budget(_notification("ACTUAL", EMAIL), _notification("FORECASTED")),
            Status.WARN,
            "The budget warns only on ACTUAL spend: add a FORECASTED notification to hear before "
            "the money is spent.",
        ),
        (
            _budget(
                _notification("ACTUAL", EMAIL),
                _notification("FORECASTED", Subscriber(type="SNS", address=TOPIC)),
            ),
            Status.PASS,
            "The budget notifies its subscribers on actual and forecasted spend.",
        ),
    ],
)
def test_budget_alerts(budget, status, message):
    [finding] = run_on_facts(budget_alerts, {budgets: (budget,)})
    assert (finding.status, finding.resource, finding.message) == (status, BUDGET_ARN, message)
    assert finding.best_practices == ("COST01-BP05", "COST02-BP05")


def test_budget_alerts_one_finding_per_budget_and_none_without_budgets():
    other = Budget(name="usage", budget_type="USAGE", time_unit="MONTHLY")
    findings = run_on_facts(budget_alerts, {budgets: (_budget(), other)})
    assert [f.resource for f in findings] == [
        BUDGET_ARN,
        f"arn:aws:budgets::{ACCOUNT}:budget/usage",
    ]
    [none] = run_on_facts(budget_alerts, {budgets: ()})
    assert (none.status, none.resource) == (Status.NOT_APPLICABLE, ROOT)


TOTAL = WatchedMetric(namespace="AWS/Billing", name="EstimatedCharges", dimensions=("Currency",))


def _alarm(
    region: str = "us-east-1",
    actions: tuple[str, ...] = (TOPIC,),
    enabled: bool = True,
    metric: WatchedMetric = TOTAL,
    state: str = "OK",
) -> MetricAlarm:
    return MetricAlarm(
        name="bill",
        arn=f"arn:aws:cloudwatch:{region}:{ACCOUNT}:alarm:bill",
        region=region,
        state=state,
        actions_enabled=enabled,
        alarm_actions=actions,
        watched=(metric,),
    )


def _topics(confirmed: bool) -> TopicSubscriptions:
    arn = f"{TOPIC}:1f0c" if confirmed else "PendingConfirmation"
    return TopicSubscriptions(
        by_topic={
            TOPIC: (
                Subscription(
                    topic_arn=TOPIC,
                    protocol="email",
                    endpoint="f@example.com",
                    subscription_arn=arn,
                ),
            )
        }
    )


def _billing_facts(
    us_east_1: tuple[MetricAlarm, ...] = (),
    eu_west_1: tuple[MetricAlarm, ...] = (),
    confirmed: bool = True,
    metrics: tuple[str, ...] = ("EstimatedCharges",),
) -> list:
    regions = ("us-east-1", "eu-west-1")
    findings = run_on_facts(
        billing_alarm,
        {billing_metrics: BillingMetrics(region="us-east-1", metric_names=metrics)},
        regions=regions,
        regional_facts={
            (metric_alarms, "us-east-1"): us_east_1,
            (metric_alarms, "eu-west-1"): eu_west_1,
            (subscriptions, "us-east-1"): _topics(confirmed),
            (subscriptions, "eu-west-1"): TopicSubscriptions(by_topic={}),
        },
    )
    return findings


EU_ALARM = _alarm("eu-west-1")
NOT_TOTAL = (
    "The billing alarm in us-east-1 does not watch the total bill: the total is EstimatedCharges "
    "with the Currency dimension alone (without Currency the metric does not exist; with "
    "ServiceName it is one service's charges, with LinkedAccount one member account's)."
)


@pytest.mark.parametrize(
    ("facts", "gap", "resource", "message"),
    [
        (
            {},
            "no-alarm",
            ROOT,
            "No CloudWatch alarm watches AWS/Billing EstimatedCharges: a runaway bill goes "
            "unnoticed until the invoice.",
        ),
        (
            {
                "us_east_1": (
                    _alarm(metric=WatchedMetric(namespace="AWS/EC2", name="CPUUtilization")),
                )
            },
            "no-alarm",
            ROOT,
            "No CloudWatch alarm watches AWS/Billing EstimatedCharges: a runaway bill goes "
            "unnoticed until the invoice.",
        ),
        (
            {"eu_west_1": (EU_ALARM,)},
            "alarm-only-in-another-region",
            EU_ALARM.arn,
            "The billing alarm is in eu-west-1, but AWS publishes billing metrics only in "
            "us-east-1: it can never fire. Create it in us-east-1.",
        ),
        (
            {"us_east_1": (_alarm(metric=TOTAL.model_copy(update={"dimensions": ()})),)},
            "alarm-not-on-total-charges",
            _alarm().arn,
            NOT_TOTAL,
        ),
        (
            {
                "us_east_1": (
                    _alarm(
                        metric=TOTAL.model_copy(update={"dimensions": ("Currency", "ServiceName")})
                    ),
                )
            },
            "alarm-not-on-total-charges",
            _alarm().arn,
            NOT_TOTAL,
        ),
        # In a payer account, LinkedAccount + Currency is one member's charges, not the bill.
        (
            {
                "us_east_1": (
                    _alarm(
                        metric=TOTAL.model_copy(
                            update={"dimensions": ("LinkedAccount", "Currency")}
                        )
                    ),
                )
            },
            "alarm-not-on-total-charges",
            _alarm().arn,
            NOT_TOTAL,
        ),
        (
            {"us_east_1": (_alarm(state="INSUFFICIENT_DATA"),)},
            "alarm-insufficient-data",
            _alarm().arn,
            "The billing alarm in us-east-1 is in INSUFFICIENT_DATA: it has no datapoints to "
            "evaluate, so it cannot fire (check its metric, dimensions and period).",
        ),
        (
            {"us_east_1": (_alarm(state="INSUFFICIENT_DATA"),), "metrics": ()},
            "billing-metrics-not-enabled",
            _alarm().arn,
            "The billing alarm is set up, but us-east-1 has no AWS/Billing metrics: 'Receive "
            "CloudWatch billing alerts' is off in the Billing preferences, so it never fires.",
        ),
        (
            {"us_east_1": (_alarm(actions=()),)},
            "no-action",
            _alarm().arn,
            "The billing alarm in us-east-1 sends to no SNS topic: when it fires, nobody is told.",
        ),
        (
            {"us_east_1": (_alarm(enabled=False),)},
            "no-action",
            _alarm().arn,
            "The billing alarm in us-east-1 sends to no SNS topic (its actions are disabled): when "
            "it fires, nobody is told.",
        ),
        (
            {"us_east_1": (_alarm(),), "confirmed": False},
            "topic-without-confirmed-subscriber",
            _alarm().arn,
            "The billing alarm in us-east-1 sends to an SNS topic with no confirmed subscription: "
            "its notification reaches nobody (an e-mail subscription stays pending until its link "
            "is followed).",
        ),
        (
            {"us_east_1": (_alarm(),), "metrics": ()},
            "billing-metrics-not-enabled",
            _alarm().arn,
            "The billing alarm is set up, but us-east-1 has no AWS/Billing metrics: 'Receive "
            "CloudWatch billing alerts' is off in the Billing preferences, so it never fires.",
        ),
    ],
)
def test_billing_alarm_names_the_first_missing_link(facts, gap, resource, message):
    [finding] = _billing_facts(**facts)
    # Account-wide, though read in us-east-1: a region = "global" suppression must match it.
    assert (finding.status, finding.resource, finding.region, finding.message) == (
        Status.FAIL,
        resource,
        "global",
        message,
    )
    assert finding.evidence["gap"] == gap
    assert finding.best_practices == ("COST01-BP05", "COST02-BP05")


@pytest.mark.parametrize(
    ("partition", "region", "message"),
    [
        (
            "aws-us-gov",
            "us-gov-west-1",
            "AWS GovCloud (US) (aws-us-gov) publishes no billing metrics: a GovCloud (US) account "
            "is billed through its linked standard AWS account, so set the billing alarm there.",
        ),
        (
            "aws-iso",
            "us-iso-east-1",
            "The aws-iso partition publishes no CloudWatch billing metrics that wa-audit knows of "
            "(AWS publishes them in us-east-1, and in cn-northwest-1 for the China regions): "
            "there is no billing alarm to check here.",
        ),
    ],
)
def test_billing_alarm_without_billing_metrics_in_the_partition_is_not_applicable(
    partition, region, message
):
    """GovCloud (US) accounts are billed through their linked standard AWS account; other
    partitions (aws-iso) have no billing metrics known: nothing falls back to us-east-1."""
    identity = Identity(
        account_id=ACCOUNT, arn=f"arn:{partition}:iam::{ACCOUNT}:user/a", partition=partition
    )
    [finding] = run_on_facts(
        billing_alarm,
        {billing_metrics: BillingMetrics(region=None, metric_names=())},
        regions=(region,),
        identity=identity,
    )
    assert (finding.status, finding.resource, finding.region, finding.message) == (
        Status.NOT_APPLICABLE,
        f"arn:{partition}:iam::{ACCOUNT}:root",
        "global",
        message,
    )
    assert finding.best_practices == ("COST01-BP05", "COST02-BP05")


@pytest.mark.parametrize(
    ("alarm_region", "status"), [("cn-northwest-1", Status.PASS), ("cn-north-1", Status.FAIL)]
)
def test_billing_alarm_in_china_lives_in_ningxia(alarm_region, status):
    china = Identity(
        account_id=ACCOUNT, arn=f"arn:aws-cn:iam::{ACCOUNT}:user/a", partition="aws-cn"
    )
    topic = f"arn:aws-cn:sns:{alarm_region}:{ACCOUNT}:billing"
    alarm = _alarm(region=alarm_region, actions=(topic,)).model_copy(
        update={"arn": f"arn:aws-cn:cloudwatch:{alarm_region}:{ACCOUNT}:alarm:bill"}
    )
    confirmed = TopicSubscriptions(
        by_topic={
            topic: (
                Subscription(
                    topic_arn=topic,
                    protocol="email",
                    endpoint="f@example.com",
                    subscription_arn=f"{topic}:1",
                ),
            )
        }
    )
    regions = ("cn-north-1", "cn-northwest-1")
    [finding] = run_on_facts(
        billing_alarm,
        {
            billing_metrics: BillingMetrics(
                region="cn-northwest-1", metric_names=("EstimatedCharges",)
            )
        },
        regions=regions,
        regional_facts={
            **{(metric_alarms, r): (alarm,) if r == alarm_region else () for r in regions},
            **{(subscriptions, r): confirmed for r in regions},
        },
        identity=china,
    )
    assert (finding.status, finding.resource, finding.region) == (status, alarm.arn, "global")
    assert "cn-northwest-1" in finding.message  # the billing region named, in both verdicts


def test_billing_alarm_passes_and_reports_the_alarm_that_gets_furthest():
    broken = _alarm(actions=()).model_copy(update={"name": "old", "arn": "arn:old"})
    [finding] = _billing_facts(us_east_1=(broken, _alarm()))
    assert (finding.status, finding.resource, finding.region) == (
        Status.PASS,
        _alarm().arn,
        "global",
    )
    [failing] = _billing_facts(us_east_1=(broken, _alarm()), confirmed=False)
    assert (failing.resource, failing.evidence["gap"]) == (
        _alarm().arn,
        "topic-without-confirmed-subscriber",
    )


MONITOR = AnomalyMonitor(
    arn=f"arn:aws:ce::{ACCOUNT}:anomalymonitor/m1", name="all", type="DIMENSIONAL"
)


CONFIRMED = (AnomalySubscriber(type="EMAIL", status="CONFIRMED"),)
DECLINED = (AnomalySubscriber(type="EMAIL", status="DECLINED"),)
UNCONFIRMED = (
    "1 Cost Anomaly Detection monitor with alert subscriptions, but no subscriber is "
    "CONFIRMED (a recipient who unsubscribes becomes DECLINED): anomalies reach nobody."
)


@pytest.mark.parametrize(
    ("monitors", "monitored", "subscribers", "status", "resource", "message"),
    [
        (
            (),
            (),
            CONFIRMED,
            Status.FAIL,
            ROOT,
            "No Cost Anomaly Detection monitor: an unusual rise in spend is not noticed.",
        ),
        (
            (MONITOR,),
            (),
            CONFIRMED,
            Status.FAIL,
            MONITOR.arn,
            "1 Cost Anomaly Detection monitor but no alert subscription: anomalies are found "
            "and nobody is told.",
        ),
        (
            (MONITOR,),
            (MONITOR.arn,),
            DECLINED,
            Status.FAIL,
            MONITOR.arn,
            UNCONFIRMED,
        ),
        (
            (MONITOR,),
            (MONITOR.arn,),
            (AnomalySubscriber(type="EMAIL"),),
            Status.FAIL,
            MONITOR.arn,
            UNCONFIRMED,
        ),
        (
            (MONITOR,),
            (MONITOR.arn,),
            DECLINED + CONFIRMED,
            Status.PASS,
            MONITOR.arn,
            "1 Cost Anomaly Detection monitor alerts a confirmed subscriber.",
        ),
    ],
)
def test_anomaly_detection(monitors, monitored, subscribers, status, resource, message):
    subscription = AnomalySubscription(
        arn=f"arn:aws:ce::{ACCOUNT}:anomalysubscription/s1",
        name="digest",
        monitor_arns=monitored,
        subscribers=subscribers,
        frequency="DAILY",
    )
    [finding] = run_on_facts(
        anomaly_detection,
        {anomaly_monitors: monitors, anomaly_subscriptions_fact: (subscription,)},
    )
    assert (finding.status, finding.resource, finding.message) == (status, resource, message)
    assert finding.best_practices == ("COST01-BP06", "COST02-BP05", "COST03-BP05")


@pytest.mark.parametrize(
    ("function", "fact_", "action"),
    [
        (cost_budget, budgets, "budgets:ViewBudget"),
        (anomaly_detection, anomaly_monitors, "ce:GetAnomalyMonitors"),
        (free_tier, free_tier_usage, "freetier:GetFreeTierUsage"),
    ],
)
def test_missing_permission_is_an_error_naming_the_action(function, fact_, action):
    failure = FactFailure(f"access denied: grant {action}", action)
    [finding] = run_on_facts(function, {}, failures={fact_: failure})
    assert finding.status is Status.ERROR
    assert finding.evidence["missing_permission"] == action
    assert f"grant {action}" in finding.message
