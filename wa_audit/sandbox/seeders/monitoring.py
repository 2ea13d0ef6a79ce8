"""The ``monitoring`` section: alarms, dashboards, log groups, scaling, and DNS health.

Created after the workload, as its engineers would add them: alarms on the workload's resources
(named as in ``workload.toml``), scaling policies on its groups, an extra Auto Scaling group (with
new subnets) where the story needs one, log groups, dashboards, and a Route 53 zone whose records
point at the load balancers.
"""

from __future__ import annotations

import json
from typing import Any, Literal

from pydantic import Field

from wa_audit.sandbox.scenario import SectionModel, SeedEnv, Seeder
from wa_audit.sandbox.seeders.workload_section import AutoScalingGroup, Subnet

Watched = Literal["load_balancer", "db_instance", "auto_scaling_group", "table", "quota"]

_METRICS: dict[str, tuple[str, str, str, str]] = {
    # watched: (namespace, metric, dimension, statistic)
    "load_balancer": ("AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", "LoadBalancer", "Sum"),
    "db_instance": ("AWS/RDS", "CPUUtilization", "DBInstanceIdentifier", "Average"),
    "auto_scaling_group": ("AWS/EC2", "CPUUtilization", "AutoScalingGroupName", "Average"),
    "table": ("AWS/DynamoDB", "ReadThrottleEvents", "TableName", "Sum"),
}


class Alarm(SectionModel):
    region: str
    name: str
    watches: Watched
    target: str = ""
    """The workload resource's name (not used for ``quota``: EC2 On-Demand vCPUs)."""
    topic: str | None = None
    """A topic of the workload in the region, notified when the alarm fires."""
    deleted_topic: str | None = None
    """The name of a topic that no longer exists, still named as the alarm's action."""
    scaling_policy: str | None = None
    """``group/policy`` of this section's scaling policies, triggered when the alarm fires."""
    actions_enabled: bool = True


class ScalingPolicy(SectionModel):
    region: str
    group: str
    name: str
    type: Literal["TargetTrackingScaling", "StepScaling"] = "TargetTrackingScaling"
    target_cpu: float = 50.0


class ExtraGroup(SectionModel):
    """An Auto Scaling group added after the workload, with subnets of its own if needed."""

    region: str
    subnets: tuple[Subnet, ...] = ()
    group: AutoScalingGroup
    health_check_type: str = "ELB"


class LogGroup(SectionModel):
    region: str
    name: str
    retention_days: int | None = None


class Dashboard(SectionModel):
    region: str = "us-east-1"
    name: str


class HealthCheck(SectionModel):
    name: str
    fqdn: str
    path: str = "/health"
    disabled: bool = False


class Record(SectionModel):
    name: str
    routing: Literal["simple", "failover-primary", "failover-secondary", "weighted"] = "simple"
    set_identifier: str | None = None
    alias_region: str
    """The region whose load balancer the alias points to."""
    load_balancer: str
    evaluate_target_health: bool = False
    health_check: str | None = None


class HostedZone(SectionModel):
    name: str
    records: tuple[Record, ...] = ()


class MonitoringSection(SectionModel):
    auto_scaling_groups: tuple[ExtraGroup, ...] = ()
    scaling_policies: tuple[ScalingPolicy, ...] = ()
    alarms: tuple[Alarm, ...] = ()
    log_groups: tuple[LogGroup, ...] = ()
    dashboards: tuple[Dashboard, ...] = ()
    health_checks: tuple[HealthCheck, ...] = ()
    hosted_zones: tuple[HostedZone, ...] = Field(default=())


def _named(env: SeedEnv, key: str, region: str, name: str) -> str:
    value: str = env.outputs[key][region][name]
    return value


def _extra_group(spec: ExtraGroup, env: SeedEnv) -> None:
    from wa_audit.sandbox.seeders.workload_resources import Builder

    builder = Builder(env, spec.region, {})
    ec2 = env.client("ec2", spec.region)
    for subnet in spec.subnets:
        subnet_id = ec2.create_subnet(
            VpcId=env.outputs["vpc_ids"][spec.region],
            CidrBlock=subnet.cidr,
            AvailabilityZone=f"{spec.region}{subnet.zone}",
            TagSpecifications=[builder._tag_spec("subnet", subnet.name)],
        )["Subnet"]["SubnetId"]
        env.outputs.setdefault("subnet_ids", {}).setdefault(spec.region, {})[subnet.name] = (
            subnet_id
        )
    builder.auto_scaling_groups((spec.group,))
    if spec.health_check_type != "ELB" or not spec.group.target_group:
        env.client("autoscaling", spec.region).update_auto_scaling_group(
            AutoScalingGroupName=spec.group.name, HealthCheckType=spec.health_check_type
        )


def _scaling_policy(policy: ScalingPolicy, env: SeedEnv) -> None:
    settings: dict[str, Any]
    if policy.type == "TargetTrackingScaling":
        settings = {
            "TargetTrackingConfiguration": {
                "PredefinedMetricSpecification": {
                    "PredefinedMetricType": "ASGAverageCPUUtilization"
                },
                "TargetValue": policy.target_cpu,
            }
        }
    else:
        settings = {
            "AdjustmentType": "ChangeInCapacity",
            "StepAdjustments": [{"MetricIntervalLowerBound": 0.0, "ScalingAdjustment": 1}],
        }
    arn = env.client("autoscaling", policy.region).put_scaling_policy(
        AutoScalingGroupName=policy.group,
        PolicyName=policy.name,
        PolicyType=policy.type,
        **settings,
    )["PolicyARN"]
    env.outputs.setdefault("scaling_policy_arns", {}).setdefault(policy.region, {})[
        f"{policy.group}/{policy.name}"
    ] = arn


def _dimension(alarm: Alarm, env: SeedEnv) -> str:
    if alarm.watches == "load_balancer":
        arn = _named(env, "load_balancer_arns", alarm.region, alarm.target)
        return arn.split(":loadbalancer/", 1)[1]
    return alarm.target


def _alarm(alarm: Alarm, env: SeedEnv) -> None:
    actions = []
    if alarm.topic:
        actions.append(_named(env, "topic_arns", alarm.region, alarm.topic))
    if alarm.deleted_topic:
        actions.append(f"arn:aws:sns:{alarm.region}:{env.account_id}:{alarm.deleted_topic}")
    if alarm.scaling_policy:
        actions.append(_named(env, "scaling_policy_arns", alarm.region, alarm.scaling_policy))
    common: dict[str, Any] = {
        "AlarmName": alarm.name,
        "EvaluationPeriods": 3,
        "ComparisonOperator": "GreaterThanThreshold",
        "ActionsEnabled": alarm.actions_enabled,
        "AlarmActions": actions,
    }
    cloudwatch = env.client("cloudwatch", alarm.region)
    if alarm.watches == "quota":
        usage = {
            "Namespace": "AWS/Usage",
            "MetricName": "ResourceCount",
            "Dimensions": [
                {"Name": n, "Value": v}
                for n, v in (
                    ("Service", "EC2"),
                    ("Type", "Resource"),
                    ("Resource", "vCPU"),
                    ("Class", "Standard/OnDemand"),
                )
            ],
        }
        cloudwatch.put_metric_alarm(
            Metrics=[
                {
                    "Id": "usage",
                    "MetricStat": {"Metric": usage, "Period": 300, "Stat": "Maximum"},
                    "ReturnData": False,
                },
                {
                    "Id": "percent",
                    "Expression": "usage/SERVICE_QUOTA(usage)*100",
                    "ReturnData": True,
                },
            ],
            Threshold=80.0,
            **common,
        )
        return
    namespace, metric, dimension, statistic = _METRICS[alarm.watches]
    cloudwatch.put_metric_alarm(
        Namespace=namespace,
        MetricName=metric,
        Dimensions=[{"Name": dimension, "Value": _dimension(alarm, env)}],
        Statistic=statistic,
        Period=300,
        Threshold=80.0,
        **common,
    )


def _zone(zone: HostedZone, health_checks: dict[str, str], env: SeedEnv) -> None:
    route53 = env.client("route53")
    zone_id = route53.create_hosted_zone(Name=zone.name, CallerReference=zone.name)["HostedZone"][
        "Id"
    ]
    changes = []
    for record in zone.records:
        balancer_arn = _named(env, "load_balancer_arns", record.alias_region, record.load_balancer)
        [balancer] = env.client("elbv2", record.alias_region).describe_load_balancers(
            LoadBalancerArns=[balancer_arn]
        )["LoadBalancers"]
        body: dict[str, Any] = {
            "Name": record.name,
            "Type": "A",
            "AliasTarget": {
                "HostedZoneId": balancer["CanonicalHostedZoneId"],
                "DNSName": balancer["DNSName"],
                "EvaluateTargetHealth": record.evaluate_target_health,
            },
        }
        if record.set_identifier:
            body["SetIdentifier"] = record.set_identifier
        if record.routing.startswith("failover-"):
            body["Failover"] = record.routing.removeprefix("failover-").upper()
        elif record.routing == "weighted":
            body["Weight"] = 50
        if record.health_check:
            body["HealthCheckId"] = health_checks[record.health_check]
        changes.append({"Action": "CREATE", "ResourceRecordSet": body})
    route53.change_resource_record_sets(HostedZoneId=zone_id, ChangeBatch={"Changes": changes})


def seed_monitoring(section: MonitoringSection, env: SeedEnv) -> None:
    for group in section.auto_scaling_groups:
        _extra_group(group, env)
    for policy in section.scaling_policies:
        _scaling_policy(policy, env)
    for alarm in section.alarms:
        _alarm(alarm, env)
    for log_group in section.log_groups:
        logs = env.client("logs", log_group.region)
        logs.create_log_group(logGroupName=log_group.name)
        if log_group.retention_days is not None:
            logs.put_retention_policy(
                logGroupName=log_group.name, retentionInDays=log_group.retention_days
            )
    for dashboard in section.dashboards:
        widget = {"type": "alarm", "properties": {"title": "mublog alarms", "alarms": []}}
        env.client("cloudwatch", dashboard.region).put_dashboard(
            DashboardName=dashboard.name, DashboardBody=json.dumps({"widgets": [widget]})
        )
    route53 = env.client("route53")
    health_checks = {}
    for check in section.health_checks:
        health_checks[check.name] = route53.create_health_check(
            CallerReference=check.name,
            HealthCheckConfig={
                "Type": "HTTPS",
                "FullyQualifiedDomainName": check.fqdn,
                "ResourcePath": check.path,
                "Disabled": check.disabled,
            },
        )["HealthCheck"]["Id"]
    for zone in section.hosted_zones:
        _zone(zone, health_checks, env)


SEEDER = Seeder("monitoring", MonitoringSection, seed_monitoring)
