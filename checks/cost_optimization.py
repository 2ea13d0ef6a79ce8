"""Cost optimization checks on awareness: would the owner be warned before money is lost?

Budgets and their alerts, the billing alarm and Cost Anomaly Detection; waste is in ``cost_waste``."""

from __future__ import annotations

from collections.abc import Iterator
from enum import StrEnum
from typing import Any

from wa_audit.context import CheckContext
from wa_audit.facts.budgets import Budget, budgets
from wa_audit.facts.ce import anomaly_monitors, anomaly_subscriptions
from wa_audit.facts.cloudwatch import (
    BILLING_NAMESPACE,
    CURRENCY,
    ESTIMATED_CHARGES,
    GOVCLOUD,
    INSUFFICIENT_DATA,
    LINKED_ACCOUNT,
    SERVICE_NAME,
    MetricAlarm,
    billing_metrics,
    billing_region,
    metric_alarms,
)
from wa_audit.facts.sns import subscriptions
from wa_audit.models import Finding, Pillar, Severity
from wa_audit.registry import check
from wa_audit.text import agree, plural

BUDGETS_DOCS = (
    "https://docs.aws.amazon.com/cost-management/latest/userguide/budgets-managing-costs.html"
)


@check(
    id="cost.budget",
    pillar=Pillar.COST_OPTIMIZATION,
    title="The account has a cost budget",
    fail_title="The account has no cost budget",
    severity=Severity.HIGH,
    best_practices=["COST01-BP03", "COST02-BP05"],
    remediation=(
        "Create a monthly COST budget in AWS Budgets sized to the spend you expect, so actual and "
        "forecast spend are compared with a plan."
    ),
    docs_url=BUDGETS_DOCS,
    facts=[budgets],
)
def cost_budget(ctx: CheckContext) -> Iterator[Finding]:
    found = ctx.fact(budgets)
    cost_budgets = [b.name for b in found if b.is_cost]
    evidence = {
        "cost_budgets": cost_budgets,
        "other_budgets": [b.name for b in found if not b.is_cost],
    }
    if cost_budgets:
        yield ctx.passed(
            ctx.account_arn,
            f"The account has {plural(len(cost_budgets), 'cost budget')}.",
            evidence=evidence,
        )
    elif found:
        yield ctx.failed(
            ctx.account_arn,
            f"The account has no COST budget: its {plural(len(found), 'budget')} {agree(len(found), 'tracks', 'track')} usage or "
            "commitments, not spend.",
            evidence=evidence,
        )
    else:
        yield ctx.failed(
            ctx.account_arn,
            "The account has no budget: nothing compares its spend with a plan.",
            evidence=evidence,
        )


def _notification_evidence(budget: Budget) -> list[dict[str, Any]]:
    return [
        {
            "type": n.type,
            "comparison": n.comparison,
            "threshold": n.threshold,
            "threshold_type": n.threshold_type,
            "subscribers": [s.type for s in n.subscribers],
        }
        for n in budget.notifications
    ]


@check(
    id="cost.budget-alerts",
    pillar=Pillar.COST_OPTIMIZATION,
    title="Budgets notify someone, on forecast as well as actual spend",
    fail_title="Budgets notify nobody, or not on forecast spend",
    severity=Severity.HIGH,
    best_practices=["COST01-BP05", "COST02-BP05"],
    remediation=(
        "Give each budget a notification with an e-mail or SNS subscriber, and add a FORECASTED "
        "notification so the warning comes before the money is spent."
    ),
    docs_url="https://docs.aws.amazon.com/cost-management/latest/userguide/budgets-sns-policy.html",
    facts=[budgets],
)
def budget_alerts(ctx: CheckContext) -> Iterator[Finding]:
    found = ctx.fact(budgets)
    if not found:
        yield ctx.not_applicable(ctx.account_arn, "The account has no budget to alert on.")
    for budget in found:
        resource = budget.arn(ctx.partition, ctx.account_id)
        evidence = {"budget": budget.name, "notifications": _notification_evidence(budget)}
        reaching = budget.reaching_notifications
        if not reaching:
            message = (
                "The budget has no notification with a subscriber (e-mail or SNS): crossing it "
                "warns nobody."
            )
            yield ctx.failed(resource, message, evidence=evidence)
        elif not any(n.type == "FORECASTED" for n in reaching):
            message = (
                "The budget warns only on ACTUAL spend: add a FORECASTED notification to hear "
                "before the money is spent."
            )
            yield ctx.warned(resource, message, evidence=evidence)
        else:
            message = "The budget notifies its subscribers on actual and forecasted spend."
            yield ctx.passed(resource, message, evidence=evidence)


class BillingAlarmGap(StrEnum):
    """The links a billing alarm needs, in the order the check names the first one missing."""

    NO_ALARM = "no-alarm"
    OTHER_REGION = "alarm-only-in-another-region"
    NOT_TOTAL = "alarm-not-on-total-charges"
    NO_ACTION = "no-action"
    NO_CONFIRMED_SUBSCRIBER = "topic-without-confirmed-subscriber"
    BILLING_METRICS_OFF = "billing-metrics-not-enabled"
    NO_DATA = "alarm-insufficient-data"


_GAP_ORDER = list(BillingAlarmGap)


def _progress(gap: BillingAlarmGap | None) -> int:
    """How far an alarm gets along the links: the one that gets furthest is reported."""
    return len(_GAP_ORDER) if gap is None else _GAP_ORDER.index(gap)


def _is_billing_alarm(alarm: MetricAlarm) -> bool:
    return alarm.watches(BILLING_NAMESPACE, ESTIMATED_CHARGES)


def _topic_region(topic_arn: str) -> str:
    return topic_arn.split(":")[3]


def _alarm_gap(ctx: CheckContext, alarm: MetricAlarm) -> BillingAlarmGap | None:
    """The first link this alarm (in the billing region) lacks, or None.

    An alarm that never leaves INSUFFICIENT_DATA watches nothing that reports; whether billing
    metrics are on at all is the account's link, decided afterwards."""
    if not alarm.watches_total_charges:
        return BillingAlarmGap.NOT_TOTAL
    if not alarm.actions_enabled or not alarm.sns_actions:
        return BillingAlarmGap.NO_ACTION
    if not any(ctx.fact(subscriptions, _topic_region(t)).confirmed(t) for t in alarm.sns_actions):
        return BillingAlarmGap.NO_CONFIRMED_SUBSCRIBER
    if alarm.state == INSUFFICIENT_DATA:
        return BillingAlarmGap.NO_DATA
    return None


def _gap_message(gap: BillingAlarmGap, alarm: MetricAlarm | None, home: str) -> str:
    where = f"in {alarm.region}" if alarm else ""
    return {
        BillingAlarmGap.NO_ALARM: (
            f"No CloudWatch alarm watches {BILLING_NAMESPACE} {ESTIMATED_CHARGES}: a runaway "
            "bill goes unnoticed until the invoice."
        ),
        BillingAlarmGap.OTHER_REGION: (
            f"The billing alarm is {where}, but AWS publishes billing metrics only in "
            f"{home}: it can never fire. Create it in {home}."
        ),
        BillingAlarmGap.NOT_TOTAL: (
            f"The billing alarm {where} does not watch the total bill: the total is "
            f"{ESTIMATED_CHARGES} with the {CURRENCY} dimension alone (without {CURRENCY} the "
            f"metric does not exist; with {SERVICE_NAME} it is one service's charges, with "
            f"{LINKED_ACCOUNT} one member account's)."
        ),
        BillingAlarmGap.NO_ACTION: (
            f"The billing alarm {where} sends to no SNS topic"
            + (" (its actions are disabled)" if alarm and not alarm.actions_enabled else "")
            + ": when it fires, nobody is told."
        ),
        BillingAlarmGap.NO_CONFIRMED_SUBSCRIBER: (
            f"The billing alarm {where} sends to an SNS topic with no confirmed subscription: "
            "its notification reaches nobody (an e-mail subscription stays pending until its "
            "link is followed)."
        ),
        BillingAlarmGap.BILLING_METRICS_OFF: (
            f"The billing alarm is set up, but {home} has no {BILLING_NAMESPACE} "
            "metrics: 'Receive CloudWatch billing alerts' is off in the Billing preferences, so "
            "it never fires."
        ),
        BillingAlarmGap.NO_DATA: (
            f"The billing alarm {where} is in INSUFFICIENT_DATA: it has no datapoints to "
            "evaluate, so it cannot fire (check its metric, dimensions and period)."
        ),
    }[gap]


@check(
    id="cost.billing-alarm",
    pillar=Pillar.COST_OPTIMIZATION,
    title="A billing alarm on the total bill reaches a confirmed subscriber",
    fail_title="No billing alarm on the total bill reaches a confirmed subscriber",
    severity=Severity.MEDIUM,
    best_practices=["COST01-BP05", "COST02-BP05"],
    remediation=(
        "Turn on 'Receive CloudWatch billing alerts' in the Billing preferences, then create a "
        "CloudWatch alarm in us-east-1 (cn-northwest-1 in the China regions) on AWS/Billing "
        "EstimatedCharges with the Currency dimension that notifies an SNS topic with a "
        "confirmed subscription."
    ),
    docs_url=(
        "https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/monitor_estimated_charges_with_cloudwatch.html"
    ),
    facts=[metric_alarms, billing_metrics, subscriptions],
)
def billing_alarm(ctx: CheckContext) -> Iterator[Finding]:
    home = billing_region(ctx.partition)
    if home is None:
        yield ctx.not_applicable(ctx.account_arn, _no_billing_metrics(ctx.partition))
        return
    gap, alarm, evidence = _billing_alarm_state(ctx, home)
    resource = alarm.arn if alarm else ctx.account_arn
    if gap is None:
        message = f"A billing alarm in {home} notifies an SNS topic with a confirmed subscription."
        yield ctx.passed(resource, message, evidence=evidence)
    else:
        evidence["gap"] = gap.value
        message = _gap_message(gap, alarm, home)
        yield ctx.failed(resource, message, evidence=evidence)


def _no_billing_metrics(partition: str) -> str:
    """Why a partition without billing metrics has no billing alarm to check."""
    if partition == GOVCLOUD:
        return (
            f"AWS GovCloud (US) ({partition}) publishes no billing metrics: a GovCloud (US) "
            "account is billed through its linked standard AWS account, so set the billing "
            "alarm there."
        )
    return (
        f"The {partition} partition publishes no CloudWatch billing metrics that wa-audit knows "
        "of (AWS publishes them in us-east-1, and in cn-northwest-1 for the China regions): "
        "there is no billing alarm to check here."
    )


def _billing_alarm_state(
    ctx: CheckContext, home: str
) -> tuple[BillingAlarmGap | None, MetricAlarm | None, dict[str, Any]]:
    """The first missing link (None when complete) and the alarm that got furthest."""
    in_home = [a for a in ctx.fact(metric_alarms, home) if _is_billing_alarm(a)]
    if not in_home:
        elsewhere = [
            alarm
            for region in ctx.regions
            if region != home
            for alarm in ctx.fact(metric_alarms, region)
            if _is_billing_alarm(alarm)
        ]
        evidence: dict[str, Any] = {"alarms": [a.arn for a in elsewhere]}
        if elsewhere:
            return BillingAlarmGap.OTHER_REGION, elsewhere[0], evidence
        return BillingAlarmGap.NO_ALARM, None, evidence
    gaps = {alarm.arn: _alarm_gap(ctx, alarm) for alarm in in_home}
    best = max(in_home, key=lambda alarm: _progress(gaps[alarm.arn]))
    evidence = {
        "alarms": [a.arn for a in in_home],
        "sns_topics": list(best.sns_actions),
        "state": best.state,
        "dimensions": sorted({d for m in best.watched for d in m.dimensions}),
    }
    gap = gaps[best.arn]
    if gap in (None, BillingAlarmGap.NO_DATA):
        metrics = ctx.fact(billing_metrics)
        evidence["billing_metrics"] = list(metrics.metric_names)
        if not metrics.enabled:
            gap = BillingAlarmGap.BILLING_METRICS_OFF
    return gap, best, evidence


@check(
    id="cost.anomaly-detection",
    pillar=Pillar.COST_OPTIMIZATION,
    title="Cost Anomaly Detection watches spend and alerts someone",
    fail_title="Cost Anomaly Detection does not alert anyone",
    severity=Severity.MEDIUM,
    best_practices=["COST01-BP06", "COST02-BP05", "COST03-BP05"],
    remediation=(
        "Create a Cost Anomaly Detection monitor (an AWS services monitor covers the whole "
        "account) and an alert subscription that e-mails or notifies an SNS topic; a recipient "
        "who unsubscribed (DECLINED) must be subscribed again or replaced."
    ),
    docs_url="https://docs.aws.amazon.com/cost-management/latest/userguide/getting-started-ad.html",
    facts=[anomaly_monitors, anomaly_subscriptions],
)
def anomaly_detection(ctx: CheckContext) -> Iterator[Finding]:
    monitors = ctx.fact(anomaly_monitors)
    subscriptions = ctx.fact(anomaly_subscriptions)
    alerted = {arn for s in subscriptions if s.reaches_someone for arn in s.monitor_arns}
    subscribed = {arn for s in subscriptions if s.subscribers for arn in s.monitor_arns}
    covered = [m for m in monitors if m.arn in alerted]
    evidence = {
        "monitors": [m.arn for m in monitors],
        "monitors_with_confirmed_subscriber": [m.arn for m in covered],
        "subscribers": {
            s.name: [f"{sub.type}:{sub.status or 'no status'}" for sub in s.subscribers]
            for s in subscriptions
        },
    }
    if covered:
        yield ctx.passed(
            covered[0].arn,
            f"{plural(len(covered), 'Cost Anomaly Detection monitor')} {agree(len(covered), 'alerts', 'alert')} a confirmed subscriber.",
            evidence=evidence,
        )
    elif unconfirmed := [m for m in monitors if m.arn in subscribed]:
        yield ctx.failed(
            unconfirmed[0].arn,
            f"{plural(len(monitors), 'Cost Anomaly Detection monitor')} with alert subscriptions, but no "
            "subscriber is CONFIRMED (a recipient who unsubscribes becomes DECLINED): anomalies "
            "reach nobody.",
            evidence=evidence,
        )
    elif monitors:
        yield ctx.failed(
            monitors[0].arn,
            f"{plural(len(monitors), 'Cost Anomaly Detection monitor')} but no alert subscription: "
            "anomalies are found and nobody is told.",
            evidence=evidence,
        )
    else:
        yield ctx.failed(
            ctx.account_arn,
            "No Cost Anomaly Detection monitor: an unusual rise in spend is not noticed.",
            evidence=evidence,
        )
