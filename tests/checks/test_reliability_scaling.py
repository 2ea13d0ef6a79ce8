"""rel.quota-alarms, rel.asg-elb-health-check, rel.asg-scaling-policies, perf.asg-load-balanced:
compliant and non-compliant accounts in the sandbox, and a denied read."""

from __future__ import annotations

from tests.checks.monitoring_accounts import REGION, alarm, findings, group, web
from tests.checks.sandbox_audit import assert_errors_naming
from tests.helpers import run_on_facts
from wa_audit.checks.reliability_scaling import asg_scaling_policies
from wa_audit.facts import autoscaling
from wa_audit.facts.cloudwatch import Alarms, alarms
from wa_audit.models import Status

SCALING_BPS = (
    "REL07-BP01",
    "PERF02-BP05",
    "COST09-BP03",
    "SUS02-BP01",
    "REL06-BP04",
    "PERF05-BP05",
)


def _step_policy(sandbox, group_name: str, name: str, **settings) -> str:
    arn: str = sandbox.client("autoscaling").put_scaling_policy(
        AutoScalingGroupName=group_name,
        PolicyName=name,
        PolicyType="StepScaling",
        AdjustmentType="ChangeInCapacity",
        StepAdjustments=[{"MetricIntervalLowerBound": 0.0, "ScalingAdjustment": 1}],
        **settings,
    )["PolicyARN"]
    return arn


def test_quota_alarms(sandbox):
    subnet = sandbox.client("ec2").describe_subnets()["Subnets"][0]["SubnetId"]
    group(sandbox, "api", [subnet])
    [missing] = findings("rel.quota-alarms")
    resource = f"123456789012/{REGION}"
    assert (missing.status, missing.resource, missing.region) == (Status.FAIL, resource, REGION)
    assert missing.best_practices == ("REL01-BP05",)
    usage = {
        "Namespace": "AWS/Usage",
        "MetricName": "ResourceCount",
        "Dimensions": [{"Name": "Service", "Value": "EC2"}, {"Name": "Resource", "Value": "vCPU"}],
    }
    sandbox.client("cloudwatch").put_metric_alarm(
        AlarmName="vcpu-quota",
        Metrics=[
            {
                "Id": "m",
                "MetricStat": {"Metric": usage, "Period": 300, "Stat": "Maximum"},
                "ReturnData": False,
            },
            {"Id": "pct", "Expression": "m/SERVICE_QUOTA(m)*100", "ReturnData": True},
        ],
        EvaluationPeriods=1,
        Threshold=80,
        ComparisonOperator="GreaterThanThreshold",
    )
    [present] = findings("rel.quota-alarms")
    assert (present.status, present.resource) == (Status.PASS, resource)
    assert present.evidence["quota_alarms"] == ["vcpu-quota"]


def test_a_region_running_nothing_has_no_quota_to_watch(sandbox):
    [finding] = findings("rel.quota-alarms")
    assert finding.status == Status.NOT_APPLICABLE


def test_load_balanced_groups_need_elb_health_checks(sandbox):
    site = web(sandbox)
    ec2_only = group(
        sandbox, "ec2-only", [site.subnets["a"]], target_groups=(site.target_group_arn,)
    )
    elb = group(
        sandbox,
        "elb",
        [site.subnets["a"]],
        target_groups=(site.target_group_arn,),
        HealthCheckType="ELB",
        HealthCheckGracePeriod=120,
    )
    group(sandbox, "worker", [site.subnets["a"]])  # no load balancer: not judged
    verdicts = {f.resource: f for f in findings("rel.asg-elb-health-check")}
    assert {arn: f.status for arn, f in verdicts.items()} == {
        ec2_only: Status.FAIL,
        elb: Status.PASS,
    }
    assert "uses EC2 health checks only" in verdicts[ec2_only].message
    assert verdicts[ec2_only].best_practices == ("REL11-BP01", "REL11-BP03", "REL07-BP02")


def test_groups_scale_only_through_a_policy_that_can_act(sandbox):
    subnet = sandbox.client("ec2").describe_subnets()["Subnets"][0]["SubnetId"]
    arns = {
        name: group(sandbox, name, [subnet])
        for name in ("tracked", "stepped", "orphan", "bare", "off")
    }
    fixed = group(sandbox, "fixed", [subnet], min_size=0, max_size=0)
    autoscaling = sandbox.client("autoscaling")
    autoscaling.put_scaling_policy(
        AutoScalingGroupName="tracked",
        PolicyName="cpu50",
        PolicyType="TargetTrackingScaling",
        TargetTrackingConfiguration={
            "PredefinedMetricSpecification": {"PredefinedMetricType": "ASGAverageCPUUtilization"},
            "TargetValue": 50.0,
        },
    )
    stepped = _step_policy(sandbox, "stepped", "out")
    alarm(
        sandbox,
        "stepped-cpu",
        dimension=("AutoScalingGroupName", "stepped"),
        AlarmActions=[stepped],
    )
    _step_policy(sandbox, "orphan", "out-orphan")  # no alarm triggers it
    off = _step_policy(sandbox, "off", "out-off", Enabled=False)
    alarm(sandbox, "off-cpu", dimension=("AutoScalingGroupName", "off"), AlarmActions=[off])
    verdicts = {f.resource: f for f in findings("rel.asg-scaling-policies")}
    assert {arn: f.status for arn, f in verdicts.items()} == {
        arns["tracked"]: Status.PASS,
        arns["stepped"]: Status.PASS,
        arns["orphan"]: Status.FAIL,
        arns["bare"]: Status.FAIL,
        arns["off"]: Status.FAIL,
        fixed: Status.FAIL,
    }
    assert (
        "out-orphan: no alarm with enabled actions triggers it" in verdicts[arns["orphan"]].message
    )
    assert "out-off: disabled" in verdicts[arns["off"]].message
    assert "has no scaling policy" in verdicts[arns["bare"]].message
    assert "fixed at 0 instances" in verdicts[fixed].message
    assert {f.best_practices for f in verdicts.values()} == {SCALING_BPS}
    # The sandbox answers DescribePolicies as AWS does: Enabled, and the alarms naming the policy.
    [described] = autoscaling.describe_policies(PolicyNames=["out"])["ScalingPolicies"]
    assert (described["PolicyARN"], described["Enabled"]) == (stepped, True)
    assert [a["AlarmName"] for a in described["Alarms"]] == ["stepped-cpu"]
    assert "PredictiveScalingConfiguration" not in described


def _group(name: str, **settings) -> autoscaling.AutoScalingGroup:
    return autoscaling.AutoScalingGroup(
        name=name,
        arn=f"arn:asg:{name}",
        availability_zones=("us-east-1a",),
        desired_capacity=1,
        min_size=1,
        max_size=3,
        **settings,
    )


def test_predictive_scaling_acts_only_in_forecast_and_scale_mode_and_kubernetes_groups_are_skipped():
    def policy(group: str, mode: str) -> autoscaling.ScalingPolicy:
        return autoscaling.ScalingPolicy(
            group=group,
            name=f"{group}-p",
            arn=f"arn:p:{group}",
            type="PredictiveScaling",
            predictive_mode=mode,
        )

    facts = {
        autoscaling.groups: (
            _group("forecast"),
            _group("scale"),
            _group("eks", tags={"k8s.io/cluster-autoscaler/enabled": "true"}),
        ),
        autoscaling.policies: (
            policy("forecast", "ForecastOnly"),
            policy("scale", "ForecastAndScale"),
        ),
        alarms: Alarms(metric=(), composite=()),
    }
    verdicts = {
        f.resource: f.status for f in run_on_facts(asg_scaling_policies, facts, region=REGION)
    }
    assert verdicts == {
        "arn:asg:forecast": Status.FAIL,
        "arn:asg:scale": Status.PASS,
        "arn:asg:eks": Status.NOT_APPLICABLE,
    }


def test_load_balancers_serve_every_zone_of_their_groups(sandbox):
    site = web(sandbox, zones=("a", "b"))
    spread = group(
        sandbox,
        "ab",
        [site.subnets["a"], site.subnets["b"]],
        target_groups=(site.target_group_arn,),
    )
    overreach = group(
        sandbox,
        "abc",
        [site.subnets["a"], site.subnets["b"], site.subnets["c"]],
        target_groups=(site.target_group_arn,),
    )
    verdicts = {f.resource: f for f in findings("perf.asg-load-balanced")}
    assert {arn: f.status for arn, f in verdicts.items()} == {
        spread: Status.PASS,
        overreach: Status.FAIL,
    }
    assert verdicts[overreach].evidence["zones_without_traffic"] == ["us-east-1c"]
    assert "us-east-1c, which web does not serve" in verdicts[overreach].message
    assert verdicts[spread].best_practices == ("PERF04-BP04",)


def test_denied_reads_are_errors_naming_the_action(sandbox, monkeypatch):
    subnet = sandbox.client("ec2").describe_subnets()["Subnets"][0]["SubnetId"]
    group(sandbox, "api", [subnet])
    sandbox.enforce_iam(monkeypatch, deny=["autoscaling:DescribePolicies"])
    assert_errors_naming(findings("rel.asg-scaling-policies"), "autoscaling:DescribePolicies")
