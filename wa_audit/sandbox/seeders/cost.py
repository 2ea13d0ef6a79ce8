"""The ``cost`` section: budgets, billing alarms, anomaly monitors, the bill and Free Tier usage.

Budgets, alarms, topics, anomaly monitors and subscriptions are created through boto3 as a user
would. What only AWS writes goes into the sandbox state or, for billing metrics, through
``PutMetricData`` in us-east-1 (AWS reserves ``AWS/`` namespaces for itself; the call stands in for
AWS publishing ``EstimatedCharges`` once "Receive CloudWatch billing alerts" is on): whether Cost
Explorer is enabled, each day's cost by service, and the Free Tier offers' usage.
"""

from __future__ import annotations

import calendar
from datetime import date, timedelta
from typing import Literal

from wa_audit.sandbox.extensions.ce import cost_explorer
from wa_audit.sandbox.extensions.freetier import free_tier
from wa_audit.sandbox.scenario import SectionModel, SeedEnv, Seeder
from wa_audit.sandbox.seeders.common import Subscriber, ensure_topic

BILLING_REGION = "us-east-1"
BILLED_IN = "USD"
WEEKDAY_WEIGHTS = (1.04, 1.06, 1.05, 1.03, 1.0, 0.9, 0.92)
"""Monday to Sunday: a web app's weekday traffic, so daily costs are not a flat line."""


class Topic(SectionModel):
    name: str
    region: str = BILLING_REGION
    subscribers: tuple[Subscriber, ...] = ()


class BudgetNotification(SectionModel):
    type: Literal["ACTUAL", "FORECASTED"]
    threshold_percent: float
    emails: tuple[str, ...] = ()
    sns_topics: tuple[str, ...] = ()
    """Names of topics of this section."""


class Budget(SectionModel):
    name: str
    limit_usd: float
    notifications: tuple[BudgetNotification, ...] = ()


class BillingAlarm(SectionModel):
    name: str
    region: str = BILLING_REGION
    threshold_usd: float
    topic: str | None = None
    """Name of a topic of this section, in the alarm's region."""
    actions_enabled: bool = True
    currency: str | None = BILLED_IN
    """The metric's Currency dimension: None watches a metric AWS never publishes, another
    currency than the bill's one that stays without data."""
    service: str | None = None
    """A ServiceName dimension: the alarm watches one service's charges, not the bill."""


class AnomalyMonitor(SectionModel):
    name: str
    subscription: str | None = None
    emails: tuple[str, ...] = ()
    declined: bool = False
    """The recipients unsubscribed from the alerts: AWS lists them as ``DECLINED``."""
    threshold_usd: float = 100.0


class ServiceSpend(SectionModel):
    service: str
    """As Cost Explorer's SERVICE dimension names it (``Amazon Relational Database Service``)."""
    monthly_usd: tuple[float, float, float]
    """The last three full months, oldest first."""
    daily_usd_this_month: float


class FreeTierOffer(SectionModel):
    service: str
    usage_type: str
    region: str = ""
    description: str = ""
    offer_type: str = "12 Months Free"
    actual: float
    forecast: float
    limit: float
    unit: str


class CostSection(SectionModel):
    cost_explorer_enabled: bool = True
    billing_alerts_enabled: bool = True
    topics: tuple[Topic, ...] = ()
    budgets: tuple[Budget, ...] = ()
    billing_alarms: tuple[BillingAlarm, ...] = ()
    anomaly_monitors: tuple[AnomalyMonitor, ...] = ()
    spend: tuple[ServiceSpend, ...] = ()
    free_tier: tuple[FreeTierOffer, ...] = ()


def _months_back(today: date, months: int) -> date:
    index = today.year * 12 + today.month - 1 - months
    return date(index // 12, index % 12 + 1, 1)


def daily_costs(spend: ServiceSpend, today: date) -> dict[date, float]:
    """Each day's cost: the full months spread by weekday, this month up to yesterday."""
    costs: dict[date, float] = {}
    for months_ago, total in zip((3, 2, 1), spend.monthly_usd, strict=True):
        first = _months_back(today, months_ago)
        days = [
            first + timedelta(d) for d in range(calendar.monthrange(first.year, first.month)[1])
        ]
        weight = sum(WEEKDAY_WEIGHTS[d.weekday()] for d in days)
        costs |= {d: total * WEEKDAY_WEIGHTS[d.weekday()] / weight for d in days}
    average = sum(WEEKDAY_WEIGHTS) / len(WEEKDAY_WEIGHTS)
    for day in range(1, today.day):
        current = today.replace(day=day)
        weighted = WEEKDAY_WEIGHTS[current.weekday()] / average
        costs[current] = spend.daily_usd_this_month * weighted
    return costs


def _seed_bill(section: CostSection, env: SeedEnv) -> float:
    """Cost Explorer's data; returns the month-to-date total (what EstimatedCharges shows)."""
    data = cost_explorer(env.state, env.account_id)
    data.enabled = section.cost_explorer_enabled
    today = env.now.date()
    month_to_date = 0.0
    for spend in section.spend:
        for day, amount in daily_costs(spend, today).items():
            data.add_cost(day, spend.service, amount)
            month_to_date += amount if day.month == today.month and day.year == today.year else 0
    return month_to_date


def _seed_billing_metrics(env: SeedEnv, month_to_date: float) -> None:
    env.client("cloudwatch", BILLING_REGION).put_metric_data(
        Namespace="AWS/Billing",
        MetricData=[
            {
                "MetricName": "EstimatedCharges",
                "Dimensions": [{"Name": "Currency", "Value": BILLED_IN}],
                "Value": round(month_to_date, 2),
                "Unit": "None",
            }
        ],
    )


def _seed_budget(budget: Budget, env: SeedEnv, topics: dict[str, str]) -> None:
    notifications = [
        {
            "Notification": {
                "NotificationType": n.type,
                "ComparisonOperator": "GREATER_THAN",
                "Threshold": n.threshold_percent,
                "ThresholdType": "PERCENTAGE",
            },
            "Subscribers": [{"SubscriptionType": "EMAIL", "Address": a} for a in n.emails]
            + [{"SubscriptionType": "SNS", "Address": topics[t]} for t in n.sns_topics],
        }
        for n in budget.notifications
    ]
    env.client("budgets", BILLING_REGION).create_budget(
        AccountId=env.account_id,
        Budget={
            "BudgetName": budget.name,
            "BudgetLimit": {"Amount": f"{budget.limit_usd:.2f}", "Unit": "USD"},
            "TimeUnit": "MONTHLY",
            "BudgetType": "COST",
        },
        NotificationsWithSubscribers=notifications,
    )


def _seed_alarm(
    alarm: BillingAlarm, env: SeedEnv, topics: dict[str, str], published: float | None
) -> None:
    """Create the alarm, then give it the state AWS's evaluation would (moto evaluates nothing
    and starts every alarm in OK; AWS starts it in INSUFFICIENT_DATA and leaves it there while
    its metric has no data): ``published`` is the month-to-date total, None if not published."""
    dimensions = [{"Name": "Currency", "Value": alarm.currency}] if alarm.currency else []
    if alarm.service:
        dimensions.append({"Name": "ServiceName", "Value": alarm.service})
    cloudwatch = env.client("cloudwatch", alarm.region)
    cloudwatch.put_metric_alarm(
        AlarmName=alarm.name,
        Namespace="AWS/Billing",
        MetricName="EstimatedCharges",
        Dimensions=dimensions,
        Statistic="Maximum",
        Period=21600,
        EvaluationPeriods=1,
        Threshold=alarm.threshold_usd,
        ComparisonOperator="GreaterThanThreshold",
        ActionsEnabled=alarm.actions_enabled,
        AlarmActions=[topics[alarm.topic]] if alarm.topic else [],
    )
    has_data = (
        published is not None
        and alarm.region == BILLING_REGION
        and alarm.currency == BILLED_IN
        and alarm.service is None
    )
    if not has_data:
        state, reason = "INSUFFICIENT_DATA", "Unchecked: no datapoints for the metric"
    elif published is not None and published > alarm.threshold_usd:
        state, reason = "ALARM", "Threshold Crossed: estimated charges above the threshold"
    else:
        state, reason = "OK", "Threshold not crossed"
    cloudwatch.set_alarm_state(AlarmName=alarm.name, StateValue=state, StateReason=reason)


def _seed_anomaly_monitor(monitor: AnomalyMonitor, env: SeedEnv) -> None:
    ce = env.client("ce", BILLING_REGION)
    monitor_arn = ce.create_anomaly_monitor(
        AnomalyMonitor={
            "MonitorName": monitor.name,
            "MonitorType": "DIMENSIONAL",
            "MonitorDimension": "SERVICE",
        }
    )["MonitorArn"]
    if monitor.subscription:
        ce.create_anomaly_subscription(
            AnomalySubscription={
                "SubscriptionName": monitor.subscription,
                "MonitorArnList": [monitor_arn],
                "Subscribers": [
                    {
                        "Type": "EMAIL",
                        "Address": a,
                        **({"Status": "DECLINED"} if monitor.declined else {}),
                    }
                    for a in monitor.emails
                ],
                "Frequency": "DAILY",
                "ThresholdExpression": {
                    "Dimensions": {
                        "Key": "ANOMALY_TOTAL_IMPACT_ABSOLUTE",
                        "MatchOptions": ["GREATER_THAN_OR_EQUAL"],
                        "Values": [f"{monitor.threshold_usd:g}"],
                    }
                },
            }
        )


def seed_cost(section: CostSection, env: SeedEnv) -> None:
    month_to_date = _seed_bill(section, env)
    if section.billing_alerts_enabled:
        _seed_billing_metrics(env, month_to_date)
    topics = {
        topic.name: ensure_topic(env, topic.region, topic.name, topic.subscribers)
        for topic in section.topics
    }
    for budget in section.budgets:
        _seed_budget(budget, env, topics)
    published = month_to_date if section.billing_alerts_enabled else None
    for alarm in section.billing_alarms:
        _seed_alarm(alarm, env, topics, published)
    for monitor in section.anomaly_monitors:
        _seed_anomaly_monitor(monitor, env)
    free_tier(env.state, env.account_id).usages = [
        {
            "service": offer.service,
            "operation": "",
            "usageType": offer.usage_type,
            "region": offer.region,
            "actualUsageAmount": offer.actual,
            "forecastedUsageAmount": offer.forecast,
            "limit": offer.limit,
            "unit": offer.unit,
            "description": offer.description,
            "freeTierType": offer.offer_type,
        }
        for offer in section.free_tier
    ]


SEEDER = Seeder("cost", CostSection, seed_cost)
