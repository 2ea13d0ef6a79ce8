"""Operational excellence: alarms that reach someone, alarms on every key resource, dashboards."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from wa_audit.checks._monitored import MONITORED_FACTS, monitored_resources
from wa_audit.context import CheckContext
from wa_audit.facts import autoscaling
from wa_audit.facts.cloudwatch import CompositeAlarm, MetricAlarm, alarms, dashboards
from wa_audit.facts.sns import subscriptions, topics
from wa_audit.models import Finding, Pillar, Severity
from wa_audit.registry import check
from wa_audit.text import plural

EC2_SCALING_POLICY = ":autoScalingGroupName/"
"""In an EC2 Auto Scaling policy's ARN; Application Auto Scaling's name ``:resource/`` instead."""
ALARM_DOCS = "https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/alarm-actions.html"


def _arn_parts(arn: str) -> list[str]:
    return arn.split(":", 5)


class _Targets:
    """What the alarm actions of one region point at: whether each exists, and reaches anyone.

    Checked only for SNS topics and EC2 Auto Scaling policies of the audited account in the
    alarm's region; other actions (Application Auto Scaling policies, whose ARNs share the
    ``autoscaling`` service but name a ``resource/...``; EC2 stop/recover, Systems Manager,
    Lambda, another account's topic) are taken as they are.
    """

    def __init__(self, ctx: CheckContext) -> None:
        self.account = ctx.account_id
        self.region = ctx.region
        self.topics = ctx.fact(topics)
        self.subscriptions = ctx.fact(subscriptions)
        self.policies = {p.arn for p in ctx.fact(autoscaling.policies)}

    def _local(self, arn: str, service: str) -> bool:
        parts = _arn_parts(arn)
        return len(parts) == 6 and parts[2:5] == [service, self.region, self.account]

    def missing(self, arn: str) -> bool:
        if self._local(arn, "sns"):
            return arn not in self.topics
        if self._local(arn, "autoscaling") and EC2_SCALING_POLICY in arn:
            return arn not in self.policies
        return False

    def silent_topic(self, arn: str) -> bool:
        """A topic of this region with no confirmed subscription: its messages reach nobody."""
        return self._local(arn, "sns") and not self.subscriptions.confirmed(arn)


def _problem(
    alarm: MetricAlarm | CompositeAlarm, parents: list[CompositeAlarm], targets: _Targets
) -> str | None:
    """Why the alarm going off would change nothing, or None when it does something."""
    if not alarm.actions_enabled:
        return "its actions are disabled: it changes state and nothing happens"
    actions = alarm.alarm_actions
    if not actions:
        if parents:
            return None
        return "it has no action for the ALARM state and no composite alarm reads it"
    missing = [a for a in actions if targets.missing(a)]
    if len(missing) == len(actions):
        return f"every ALARM action targets something that no longer exists ({', '.join(missing)})"
    live = [a for a in actions if a not in missing]
    if all(targets.silent_topic(a) for a in live):
        return (
            "it notifies only SNS topics without a confirmed subscription "
            f"({', '.join(live)}): nobody hears of it"
        )
    return None


@check(
    id="ops.alarm-actions",
    pillar=Pillar.OPERATIONAL_EXCELLENCE,
    title="Alarms act when they fire",
    fail_title="Alarms fire into the void",
    severity=Severity.MEDIUM,
    best_practices=["OPS10-BP02", "REL06-BP03", "OPS08-BP04"],
    remediation=(
        "Give every alarm an ALARM action that reaches someone or something: an SNS topic with a "
        "confirmed subscription (e-mail, chat, paging), an Auto Scaling or EC2 action, or a "
        "Systems Manager OpsItem or incident; enable its actions; or let a composite alarm with "
        "actions read it. Delete alarms nobody acts on."
    ),
    docs_url=ALARM_DOCS,
    facts=[alarms, topics, subscriptions, autoscaling.policies],
    regional=True,
)
def alarm_actions(ctx: CheckContext) -> Iterator[Finding]:
    """Per alarm (metric and composite): FAIL when its firing would reach nobody."""
    found = ctx.fact(alarms)
    targets = _Targets(ctx)
    every: list[MetricAlarm | CompositeAlarm] = [*found.metric, *found.composite]
    for alarm in every:
        parents = [
            c for c in found.composite if c.reads(alarm) and c.actions_enabled and c.alarm_actions
        ]
        evidence: dict[str, Any] = {
            "actions_enabled": alarm.actions_enabled,
            "alarm_actions": list(alarm.alarm_actions),
            "composite_parents": [c.arn for c in parents],
            "state": alarm.state,
        }
        problem = _problem(alarm, parents, targets)
        if problem:
            yield ctx.failed(alarm.arn, f"Alarm {alarm.name}: {problem}.", evidence=evidence)
        elif alarm.alarm_actions:
            message = f"Alarm {alarm.name} has {plural(len(alarm.alarm_actions), 'ALARM action')}."
            yield ctx.passed(alarm.arn, message, evidence=evidence)
        else:
            message = f"Alarm {alarm.name} feeds composite alarm {parents[0].name}, which acts."
            yield ctx.passed(alarm.arn, message, evidence=evidence)


def _alerting(alarm: MetricAlarm) -> bool:
    """An alarm whose actions only drive Auto Scaling policies scales; it tells nobody."""
    return not alarm.all_actions or any(
        _arn_parts(action)[2:3] != ["autoscaling"] for action in alarm.all_actions
    )


@check(
    id="ops.alarm-coverage",
    pillar=Pillar.OPERATIONAL_EXCELLENCE,
    title="Every load balancer, database, Auto Scaling group and table has an alarm",
    fail_title="Key resources have no alarm on their metrics",
    severity=Severity.MEDIUM,
    best_practices=["OPS04-BP01", "OPS08-BP01", "REL06-BP06", "REL11-BP01", "PERF05-BP02"],
    remediation=(
        "Create CloudWatch alarms on each resource's key metrics: target 5XX count and "
        "UnHealthyHostCount for load balancers, CPU, free storage and connections for DB "
        "instances, in-service instances or CPU for Auto Scaling groups, throttled requests "
        "for DynamoDB tables; send them to the team that owns the resource."
    ),
    docs_url="https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/Best_Practice_Recommended_Alarms_AWS_Services.html",
    facts=[alarms, *MONITORED_FACTS],
    regional=True,
)
def alarm_coverage(ctx: CheckContext) -> Iterator[Finding]:
    """Per resource: an alarm whose metric carries its dimension (alarms that only scale an
    Auto Scaling group do not count)."""
    watching = [a for a in ctx.fact(alarms).metric if _alerting(a)]
    for resource in monitored_resources(ctx):
        names = [a.name for a in watching if resource.watched_by(a)]
        evidence = {"alarms": names, "dimensions": [list(d) for d in resource.dimensions]}
        label = f"{resource.kind[0].upper()}{resource.kind[1:]} {resource.name}"
        if names:
            message = f"{label} is watched by {plural(len(names), 'alarm')}."
            yield ctx.passed(resource.arn, message, evidence=evidence)
        else:
            message = f"{label} has no CloudWatch alarm on its metrics: a failure goes unnoticed."
            yield ctx.failed(resource.arn, message, evidence=evidence)


@check(
    id="ops.dashboards",
    pillar=Pillar.OPERATIONAL_EXCELLENCE,
    title="A CloudWatch dashboard shows the workload's health",
    fail_title="No CloudWatch dashboard shows the workload's health",
    severity=Severity.LOW,
    best_practices=["OPS08-BP05", "OPS10-BP06"],
    remediation=(
        "Build a CloudWatch dashboard with the workload's key metrics and alarms (a "
        "cross-region dashboard can show every region), and share it with the team on call."
    ),
    docs_url="https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch_Dashboards.html",
    facts=[dashboards],
)
def dashboards_exist(ctx: CheckContext) -> Iterator[Finding]:
    """Account-wide: dashboards are global. CloudWatch's automatic dashboards are not listed by
    ListDashboards and show one service each, so only dashboards someone built count."""
    found = ctx.fact(dashboards)
    evidence = {"dashboards": [d.name for d in found]}
    if found:
        names = ", ".join(d.name for d in found[:5])
        message = f"{plural(len(found), 'CloudWatch dashboard')}: {names}."
        yield ctx.passed(ctx.account_arn, message, evidence=evidence)
    else:
        message = "The account has no CloudWatch dashboard: nobody sees the workload's health at a glance."
        yield ctx.failed(ctx.account_arn, message, evidence=evidence)
