"""CloudWatch facts: alarms in each region, dashboards, and whether billing metrics exist at all.

AWS publishes the ``AWS/Billing`` metrics in one region of the partition, and only once "Receive
CloudWatch billing alerts" is on in the Billing preferences; no API reads that preference, but an
empty ``ListMetrics`` for the namespace means it is off. The total bill is ``EstimatedCharges``
with the ``Currency`` dimension alone (the dimension is required; ``ServiceName`` narrows it to
one service, ``LinkedAccount`` to one member account of a consolidated bill):
https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/billing-metricscollected.html
"""

from __future__ import annotations

import re
from typing import Any

from pydantic import BaseModel, ConfigDict

from wa_audit.facts.base import FetchContext, fact

BILLING_REGION = "us-east-1"
GOVCLOUD = "aws-us-gov"
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
LINKED_ACCOUNT = "LinkedAccount"
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
    values: tuple[tuple[str, str], ...] = ()
    """The dimensions as (name, value) pairs: which resource the metric is about."""

    @property
    def is_total_charges(self) -> bool:
        """The whole bill: EstimatedCharges with Currency as its only dimension. ServiceName
        narrows it to one service; LinkedAccount, in a payer account, to one member's charges."""
        return (self.namespace, self.name) == (BILLING_NAMESPACE, ESTIMATED_CHARGES) and set(
            self.dimensions
        ) == {CURRENCY}


class _Alarm(_Model):
    """What metric and composite alarms share: a state, and actions for each state."""

    name: str
    arn: str
    region: str
    state: str
    actions_enabled: bool
    alarm_actions: tuple[str, ...] = ()
    ok_actions: tuple[str, ...] = ()
    insufficient_data_actions: tuple[str, ...] = ()

    @property
    def all_actions(self) -> tuple[str, ...]:
        return self.alarm_actions + self.ok_actions + self.insufficient_data_actions


class MetricAlarm(_Alarm):
    watched: tuple[WatchedMetric, ...] = ()
    """The metric, or every metric a metric-math alarm reads."""
    expressions: tuple[str, ...] = ()
    """Metric-math expressions and Metrics Insights queries of the alarm, as written."""

    def watches(self, namespace: str, metric_name: str) -> bool:
        return any((m.namespace, m.name) == (namespace, metric_name) for m in self.watched)

    def watches_dimension(self, name: str, value: str) -> bool:
        """A metric of the alarm has this dimension, or a query names the value (Metrics
        Insights ``WHERE AutoScalingGroupName = 'web'``)."""
        return any((name, value) in m.values for m in self.watched) or any(
            value in expression for expression in self.expressions
        )

    @property
    def watches_total_charges(self) -> bool:
        return any(metric.is_total_charges for metric in self.watched)

    @property
    def sns_actions(self) -> tuple[str, ...]:
        return tuple(a for a in self.alarm_actions if a.split(":")[2:3] == ["sns"])


def _metric(raw: dict[str, Any]) -> WatchedMetric:
    dimensions = raw.get("Dimensions", [])
    return WatchedMetric(
        namespace=raw.get("Namespace", ""),
        name=raw["MetricName"],
        dimensions=tuple(d["Name"] for d in dimensions),
        values=tuple((d["Name"], d.get("Value", "")) for d in dimensions),
    )


def _watched(raw: dict[str, Any]) -> tuple[WatchedMetric, ...]:
    if "MetricName" in raw:
        return (_metric(raw),)
    metrics = (query.get("MetricStat", {}).get("Metric", {}) for query in raw.get("Metrics", []))
    return tuple(_metric(metric) for metric in metrics if "MetricName" in metric)


_RULE_OPERAND = re.compile(r"\b(?:ALARM|OK|INSUFFICIENT_DATA)\(\s*([^\s\"(),]+)\s*\)")
_QUOTED = re.compile(r'"([^"]+)"')
_ARN = re.compile(r"arn:[^\s\"(),]+")


def rule_children(rule: str) -> tuple[str, ...]:
    """The alarms an ``AlarmRule`` reads: quoted names, ARNs, and bare names in ``ALARM(x)``,
    ``OK(x)``, ``INSUFFICIENT_DATA(x)`` and ``AT_LEAST(n, STATE, (x, y))``."""
    found = [*_QUOTED.findall(rule), *_ARN.findall(rule), *_RULE_OPERAND.findall(rule)]
    return tuple(dict.fromkeys(found))


class CompositeAlarm(_Alarm):
    """An alarm on the states of other alarms; the alarms its rule names are its children."""

    children: tuple[str, ...] = ()
    """Names or ARNs of the alarms ``AlarmRule`` reads (``ALARM("cpu-high")``, ``OK(arn)``)."""

    def reads(self, alarm: _Alarm) -> bool:
        return alarm.name in self.children or alarm.arn in self.children


class Alarms(_Model):
    metric: tuple[MetricAlarm, ...]
    composite: tuple[CompositeAlarm, ...]


def _actions(raw: dict[str, Any]) -> dict[str, Any]:
    return {
        "name": raw["AlarmName"],
        "arn": raw["AlarmArn"],
        "state": raw.get("StateValue", ""),
        # ActionsEnabled is optional in the model; PutMetricAlarm's default is true.
        "actions_enabled": raw.get("ActionsEnabled", True),
        "alarm_actions": tuple(raw.get("AlarmActions", [])),
        "ok_actions": tuple(raw.get("OKActions", [])),
        "insufficient_data_actions": tuple(raw.get("InsufficientDataActions", [])),
    }


@fact("cloudwatch.alarms", regional=True, permissions=["cloudwatch:DescribeAlarms"])
def alarms(ctx: FetchContext) -> Alarms:
    """Metric and composite alarms in one paginated DescribeAlarms (without ``AlarmTypes`` AWS
    returns metric alarms only)."""
    metric: list[MetricAlarm] = []
    composite: list[CompositeAlarm] = []
    pages = (
        ctx.client("cloudwatch")
        .get_paginator("describe_alarms")
        .paginate(AlarmTypes=["MetricAlarm", "CompositeAlarm"])
    )
    for page in pages:
        for raw in page.get("MetricAlarms", []):
            expressions = tuple(
                q["Expression"] for q in raw.get("Metrics", []) if "Expression" in q
            )
            metric.append(
                MetricAlarm(
                    region=ctx.region,
                    watched=_watched(raw),
                    expressions=expressions,
                    **_actions(raw),
                )
            )
        for raw in page.get("CompositeAlarms", []):
            children = rule_children(raw.get("AlarmRule", ""))
            composite.append(CompositeAlarm(region=ctx.region, children=children, **_actions(raw)))
    return Alarms(metric=tuple(metric), composite=tuple(composite))


@fact("cloudwatch.metric_alarms", regional=True, permissions=[], needs=(alarms,))
def metric_alarms(ctx: FetchContext) -> tuple[MetricAlarm, ...]:
    return ctx.get(alarms).metric


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


class Dashboard(_Model):
    name: str
    arn: str
    size: int


@fact("cloudwatch.dashboards", regional=False, permissions=["cloudwatch:ListDashboards"])
def dashboards(ctx: FetchContext) -> tuple[Dashboard, ...]:
    """Dashboards are global: their ARN has no region, and ListDashboards in any region lists
    them all, so one call per account."""
    return tuple(
        Dashboard(name=raw["DashboardName"], arn=raw["DashboardArn"], size=raw.get("Size", 0))
        for raw in ctx.paginate("cloudwatch", "list_dashboards", "DashboardEntries")
    )
