"""CloudWatch facts: metric alarms in each region, and whether billing metrics exist at all.

AWS publishes the ``AWS/Billing`` metrics only in us-east-1 and only once "Receive CloudWatch
billing alerts" is on in the Billing preferences; no API reads that preference, but an empty
``ListMetrics`` for the namespace means it is off.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict

from wa_audit.facts.base import FetchContext, fact

BILLING_REGION = "us-east-1"
BILLING_NAMESPACE = "AWS/Billing"
ESTIMATED_CHARGES = "EstimatedCharges"


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True)


class MetricAlarm(_Model):
    name: str
    arn: str
    region: str
    state: str
    actions_enabled: bool
    alarm_actions: tuple[str, ...] = ()
    watched: tuple[tuple[str, str], ...] = ()
    """(namespace, metric name) of the metric, or of every metric a metric-math alarm reads."""

    def watches(self, namespace: str, metric_name: str) -> bool:
        return (namespace, metric_name) in self.watched

    @property
    def sns_actions(self) -> tuple[str, ...]:
        return tuple(a for a in self.alarm_actions if a.split(":")[2:3] == ["sns"])


def _watched(raw: dict[str, Any]) -> tuple[tuple[str, str], ...]:
    if "MetricName" in raw:
        return ((raw.get("Namespace", ""), raw["MetricName"]),)
    watched = []
    for query in raw.get("Metrics", []):
        metric = query.get("MetricStat", {}).get("Metric", {})
        if "MetricName" in metric:
            watched.append((metric.get("Namespace", ""), metric["MetricName"]))
    return tuple(watched)


@fact("cloudwatch.metric_alarms", regional=True, permissions=["cloudwatch:DescribeAlarms"])
def metric_alarms(ctx: FetchContext) -> tuple[MetricAlarm, ...]:
    return tuple(
        MetricAlarm(
            name=raw["AlarmName"],
            arn=raw["AlarmArn"],
            region=ctx.region,
            state=raw.get("StateValue", ""),
            actions_enabled=raw.get("ActionsEnabled", True),
            alarm_actions=tuple(raw.get("AlarmActions", [])),
            watched=_watched(raw),
        )
        for raw in ctx.paginate(
            "cloudwatch", "describe_alarms", "MetricAlarms", AlarmTypes=["MetricAlarm"]
        )
    )


class BillingMetrics(_Model):
    """The ``AWS/Billing`` metrics of us-east-1: none means billing alerts are not enabled."""

    metric_names: tuple[str, ...]

    @property
    def enabled(self) -> bool:
        return bool(self.metric_names)


@fact("cloudwatch.billing_metrics", regional=False, permissions=["cloudwatch:ListMetrics"])
def billing_metrics(ctx: FetchContext) -> BillingMetrics:
    names = {
        raw["MetricName"]
        for raw in ctx.paginate(
            "cloudwatch", "list_metrics", "Metrics", Namespace=BILLING_NAMESPACE
        )
    }
    return BillingMetrics(metric_names=tuple(sorted(names)))
