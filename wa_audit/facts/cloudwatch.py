"""CloudWatch facts: metric alarms in each region, and whether billing metrics exist at all.

AWS publishes the ``AWS/Billing`` metrics in one region of the partition, and only once "Receive
CloudWatch billing alerts" is on in the Billing preferences; no API reads that preference, but an
empty ``ListMetrics`` for the namespace means it is off. The total bill is ``EstimatedCharges``
with the ``Currency`` dimension alone (the dimension is required; ``ServiceName`` narrows it to
one service): https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/billing-metricscollected.html
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict

from wa_audit.facts.base import FetchContext, fact

BILLING_REGION = "us-east-1"
BILLING_REGIONS = {"aws": BILLING_REGION, "aws-cn": "cn-northwest-1"}
"""Where billing metrics live: us-east-1 for ``aws`` (CloudWatch User Guide, "Create a billing
alarm"); Ningxia for ``aws-cn``, the only China region of Billing and Cost Management
(https://docs.amazonaws.cn/en_us/aws/latest/userguide/account-billing.html). ``aws-us-gov`` has
none: a GovCloud (US) account is billed through its associated standard AWS account
(https://docs.aws.amazon.com/govcloud-us/latest/UserGuide/usage-and-payment.html)."""
BILLING_NAMESPACE = "AWS/Billing"
ESTIMATED_CHARGES = "EstimatedCharges"
CURRENCY = "Currency"
SERVICE_NAME = "ServiceName"
INSUFFICIENT_DATA = "INSUFFICIENT_DATA"


def billing_region(partition: str) -> str | None:
    """The partition's region for billing metrics and alarms; None where it has none."""
    return BILLING_REGIONS.get(partition)


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True)


class WatchedMetric(_Model):
    namespace: str
    name: str
    dimensions: tuple[str, ...] = ()
    """The names of the dimensions the alarm gives the metric."""

    @property
    def is_total_charges(self) -> bool:
        """The whole bill: EstimatedCharges by Currency, not narrowed to one service."""
        return (
            (self.namespace, self.name) == (BILLING_NAMESPACE, ESTIMATED_CHARGES)
            and CURRENCY in self.dimensions
            and SERVICE_NAME not in self.dimensions
        )


class MetricAlarm(_Model):
    name: str
    arn: str
    region: str
    state: str
    actions_enabled: bool
    alarm_actions: tuple[str, ...] = ()
    watched: tuple[WatchedMetric, ...] = ()
    """The metric, or every metric a metric-math alarm reads."""

    def watches(self, namespace: str, metric_name: str) -> bool:
        return any((m.namespace, m.name) == (namespace, metric_name) for m in self.watched)

    @property
    def watches_total_charges(self) -> bool:
        return any(metric.is_total_charges for metric in self.watched)

    @property
    def sns_actions(self) -> tuple[str, ...]:
        return tuple(a for a in self.alarm_actions if a.split(":")[2:3] == ["sns"])


def _metric(raw: dict[str, Any]) -> WatchedMetric:
    return WatchedMetric(
        namespace=raw.get("Namespace", ""),
        name=raw["MetricName"],
        dimensions=tuple(d["Name"] for d in raw.get("Dimensions", [])),
    )


def _watched(raw: dict[str, Any]) -> tuple[WatchedMetric, ...]:
    if "MetricName" in raw:
        return (_metric(raw),)
    metrics = (query.get("MetricStat", {}).get("Metric", {}) for query in raw.get("Metrics", []))
    return tuple(_metric(metric) for metric in metrics if "MetricName" in metric)


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
    """The ``AWS/Billing`` metrics of the billing region: none means billing alerts are off."""

    region: str | None
    """None in a partition without billing metrics (GovCloud): nothing was read."""
    metric_names: tuple[str, ...]

    @property
    def enabled(self) -> bool:
        return bool(self.metric_names)


@fact("cloudwatch.billing_metrics", regional=False, permissions=["cloudwatch:ListMetrics"])
def billing_metrics(ctx: FetchContext) -> BillingMetrics:
    region = billing_region(ctx.partition)
    if region is None:
        return BillingMetrics(region=None, metric_names=())
    pages = (
        ctx.client("cloudwatch", region)
        .get_paginator("list_metrics")
        .paginate(Namespace=BILLING_NAMESPACE)
    )
    names = {raw["MetricName"] for page in pages for raw in page.get("Metrics", [])}
    return BillingMetrics(region=region, metric_names=tuple(sorted(names)))
