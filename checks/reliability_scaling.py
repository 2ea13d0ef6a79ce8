"""Reliability: quota alarms, and Auto Scaling groups that heal and scale on their own."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from wa_audit.checks._findings import region_resource
from wa_audit.checks._monitored import MONITORED_FACTS, monitored_resources
from wa_audit.context import CheckContext
from wa_audit.facts import autoscaling, ec2
from wa_audit.facts.autoscaling import ELB_SOURCES, AutoScalingGroup, ScalingPolicy
from wa_audit.facts.cloudwatch import MetricAlarm, alarms
from wa_audit.models import Finding, Pillar, Severity
from wa_audit.registry import check
from wa_audit.text import agree, plural

USAGE_NAMESPACE = "AWS/Usage"


def _watches_quota(alarm: MetricAlarm) -> bool:
    """On an AWS/Usage metric, or a metric-math ``SERVICE_QUOTA()`` (the Service Quotas
    console's alarms): https://docs.aws.amazon.com/servicequotas/latest/userguide/configure-cloudwatch.html"""
    return any(m.namespace == USAGE_NAMESPACE for m in alarm.watched) or any(
        "SERVICE_QUOTA(" in expression.upper() for expression in alarm.expressions
    )


@check(
    id="rel.quota-alarms",
    pillar=Pillar.RELIABILITY,
    title="An alarm warns before a service quota is reached",
    fail_title="No alarm warns before a service quota is reached",
    severity=Severity.MEDIUM,
    best_practices=["REL01-BP05"],
    remediation=(
        "In the Service Quotas console, create a CloudWatch alarm on the usage of the quotas the "
        "workload depends on (EC2 vCPUs, Lambda concurrency …); it watches the AWS/Usage metric "
        "against SERVICE_QUOTA() and notifies your team before the limit stops a scale-out."
    ),
    docs_url="https://docs.aws.amazon.com/servicequotas/latest/userguide/configure-cloudwatch.html",
    facts=[alarms, ec2.instances, *MONITORED_FACTS],
    regional=True,
)
def quota_alarms(ctx: CheckContext) -> Iterator[Finding]:
    """Per region that runs something (an instance, load balancer, database, group or table):
    a region nothing runs in has no quota to hit, and yields nothing."""
    running = len(monitored_resources(ctx)) + len(ctx.fact(ec2.instances))
    if not running:
        return
    names = [a.name for a in ctx.fact(alarms).metric if _watches_quota(a)]
    evidence = {"quota_alarms": names, "resources": running}
    if names:
        message = f"{plural(len(names), 'alarm')} {agree(len(names), 'watches', 'watch')} service quota usage in {ctx.region}."
        yield ctx.passed(region_resource(ctx), message, evidence=evidence)
    else:
        message = (
            f"No alarm watches service quota usage (AWS/Usage) in {ctx.region}, where "
            f"{plural(running, 'resource')} {agree(running, 'runs', 'run')}: a quota is found when a launch fails."
        )
        yield ctx.failed(region_resource(ctx), message, evidence=evidence)


@check(
    id="rel.asg-elb-health-check",
    pillar=Pillar.RELIABILITY,
    title="Load-balanced Auto Scaling groups replace instances the load balancer finds unhealthy",
    fail_title="Load-balanced Auto Scaling groups ignore the load balancer's health checks",
    severity=Severity.MEDIUM,
    best_practices=["REL11-BP01", "REL11-BP03", "REL07-BP02"],
    remediation=(
        "Turn on Elastic Load Balancing health checks for the group (HealthCheckType ELB, with a "
        "grace period), or VPC_LATTICE for VPC Lattice target groups, so an instance that stops "
        "answering is replaced, not just taken out of rotation."
    ),
    docs_url="https://docs.aws.amazon.com/autoscaling/ec2/userguide/as-add-elb-healthcheck.html",
    facts=[autoscaling.groups],
    regional=True,
)
def asg_elb_health_check(ctx: CheckContext) -> Iterator[Finding]:
    """Per group with a load balancer or VPC Lattice target group; groups without are not judged.
    With EC2 checks only, an instance whose application hangs stays InService for good."""
    for group in ctx.fact(autoscaling.groups):
        needed = []
        if group.sources(*ELB_SOURCES):
            needed.append("ELB")
        if group.sources("vpc-lattice"):
            needed.append("VPC_LATTICE")
        if not needed:
            continue
        missing = [kind for kind in needed if kind not in group.health_check_types]
        evidence = {
            "health_check_types": list(group.health_check_types),
            "traffic_sources": [list(s) for s in group.traffic_sources],
        }
        if missing:
            message = (
                f"Auto Scaling group {group.name} receives traffic from a load balancer but "
                f"uses {'+'.join(group.health_check_types)} health checks only: instances the "
                f"load balancer marks unhealthy are never replaced (add {', '.join(missing)})."
            )
            yield ctx.failed(group.arn, message, evidence=evidence)
        else:
            message = f"Auto Scaling group {group.name} replaces instances its load balancer finds unhealthy."
            yield ctx.passed(group.arn, message, evidence=evidence)


def _inactive(policy: ScalingPolicy, triggered: set[str]) -> str | None:
    """Why a policy never changes capacity, or None when it can."""
    if not policy.enabled:
        return "disabled"
    if policy.type == "PredictiveScaling":
        return None if policy.predictive_mode == "ForecastAndScale" else "forecast only"
    if policy.type == "TargetTrackingScaling":
        return None  # Auto Scaling creates and manages its alarms
    return None if policy.arn in triggered else "no alarm with enabled actions triggers it"


def _scaling_verdict(
    group: AutoScalingGroup, policies: list[ScalingPolicy], triggered: set[str]
) -> tuple[str | None, dict[str, Any]]:
    reasons = {p.name: _inactive(p, triggered) for p in policies}
    evidence: dict[str, Any] = {
        "min_size": group.min_size,
        "max_size": group.max_size,
        "policies": {p.name: {"type": p.type, "inactive": reasons[p.name]} for p in policies},
    }
    if group.min_size == group.max_size:
        return f"is fixed at {plural(group.max_size, 'instance')} (minimum = maximum)", evidence
    if not policies:
        return "has no scaling policy: its capacity changes only by hand", evidence
    if all(reasons.values()):
        listed = "; ".join(f"{name}: {why}" for name, why in reasons.items())
        return f"has no scaling policy that can act ({listed})", evidence
    return None, evidence


@check(
    id="rel.asg-scaling-policies",
    pillar=Pillar.RELIABILITY,
    title="Auto Scaling groups scale with demand",
    fail_title="Auto Scaling groups do not scale with demand",
    severity=Severity.MEDIUM,
    best_practices=[
        "REL07-BP01",
        "PERF02-BP05",
        "COST09-BP03",
        "SUS02-BP01",
        "REL06-BP04",
        "PERF05-BP05",
    ],
    remediation=(
        "Add a target tracking policy (e.g. average CPU 50 %, or ALB requests per target) with "
        "room between minimum and maximum size; step and simple policies need an alarm with "
        "enabled actions, and predictive scaling must be in ForecastAndScale mode to act."
    ),
    docs_url="https://docs.aws.amazon.com/autoscaling/ec2/userguide/as-scaling-target-tracking.html",
    facts=[autoscaling.groups, autoscaling.policies, alarms],
    regional=True,
)
def asg_scaling_policies(ctx: CheckContext) -> Iterator[Finding]:
    """Per group. A step or simple policy acts only when an alarm with enabled actions names it
    (read from the alarms, as AWS's own ``Alarms`` member of the policy is). Groups tagged for the
    Kubernetes Cluster Autoscaler are scaled from inside the cluster: not applicable."""
    triggered = {
        action for a in ctx.fact(alarms).metric if a.actions_enabled for action in a.all_actions
    }
    by_group: dict[str, list[ScalingPolicy]] = {}
    for policy in ctx.fact(autoscaling.policies):
        by_group.setdefault(policy.group, []).append(policy)
    for group in ctx.fact(autoscaling.groups):
        if group.scaled_by_kubernetes:
            message = (
                f"Auto Scaling group {group.name} is scaled by the Kubernetes Cluster Autoscaler."
            )
            yield ctx.not_applicable(group.arn, message)
            continue
        problem, evidence = _scaling_verdict(group, by_group.get(group.name, []), triggered)
        if problem:
            yield ctx.failed(
                group.arn, f"Auto Scaling group {group.name} {problem}.", evidence=evidence
            )
        else:
            message = f"Auto Scaling group {group.name} scales between {group.min_size} and {group.max_size} instances by policy."
            yield ctx.passed(group.arn, message, evidence=evidence)
