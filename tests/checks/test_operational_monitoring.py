"""ops.alarm-actions, ops.alarm-coverage, ops.dashboards: compliant and non-compliant accounts in
the sandbox, composite alarms on facts (moto has no PutCompositeAlarm), and denied reads."""

from __future__ import annotations

import json

import pytest

from tests.checks.monitoring_accounts import ACCOUNT, REGION, alarm, findings, group, topic, web
from tests.checks.sandbox_audit import assert_errors_naming
from tests.helpers import run_on_facts
from wa_audit.checks.operational_monitoring import alarm_actions
from wa_audit.facts import autoscaling
from wa_audit.facts.cloudwatch import Alarms, CompositeAlarm, MetricAlarm, alarms, rule_children
from wa_audit.facts.sns import TopicSubscriptions, subscriptions, topics
from wa_audit.models import Status

ACTIONS_BPS = ("OPS10-BP02", "REL06-BP03", "OPS08-BP04")
COVERAGE_BPS = ("OPS04-BP01", "OPS08-BP01", "REL06-BP06", "REL11-BP01", "PERF05-BP02")


def test_alarms_pass_when_they_act_and_fail_when_they_reach_nobody(sandbox):
    """One account with an alarm of each kind, audited once (the machine is slow)."""
    oncall = topic(sandbox, "oncall", subscribed=True)
    nobody = topic(sandbox, "nobody", subscribed=False)
    group(sandbox, "web", [sandbox.client("ec2").describe_subnets()["Subnets"][0]["SubnetId"]])
    policy = sandbox.client("autoscaling").put_scaling_policy(
        AutoScalingGroupName="web",
        PolicyName="out",
        PolicyType="StepScaling",
        AdjustmentType="ChangeInCapacity",
        StepAdjustments=[{"MetricIntervalLowerBound": 0.0, "ScalingAdjustment": 1}],
    )["PolicyARN"]
    gone_policy = (
        f"arn:aws:autoscaling:{REGION}:{ACCOUNT}:scalingPolicy:1:"
        "autoScalingGroupName/gone:policyName/out"
    )
    cases = {
        "pages": ({"AlarmActions": [oncall]}, Status.PASS, "1 ALARM action"),
        "scales": ({"AlarmActions": [policy]}, Status.PASS, "1 ALARM action"),
        # Application Auto Scaling policies share the autoscaling ARN prefix; not ours to list.
        "scales-table": (
            {
                "AlarmActions": [
                    f"arn:aws:autoscaling:{REGION}:{ACCOUNT}:scalingPolicy:2:"
                    "resource/dynamodb/table/orders:policyName/reads"
                ]
            },
            Status.PASS,
            "1 ALARM action",
        ),
        "silent": ({}, Status.FAIL, "no action for the ALARM state"),
        "muted": (
            {"AlarmActions": [oncall], "ActionsEnabled": False},
            Status.FAIL,
            "actions are disabled",
        ),
        "deleted-topic": (
            {"AlarmActions": [f"arn:aws:sns:{REGION}:{ACCOUNT}:deleted"]},
            Status.FAIL,
            "no longer exists (arn:aws:sns:us-east-1:123456789012:deleted)",
        ),
        "deleted-policy": ({"AlarmActions": [gone_policy]}, Status.FAIL, "no longer exists"),
        "unconfirmed": (
            {"AlarmActions": [nobody]},
            Status.FAIL,
            "without a confirmed subscription",
        ),
    }
    arns = {
        name: alarm(sandbox, name, dimension=("TableName", "orders"), **settings)
        for name, (settings, _, _) in cases.items()
    }
    # A child without actions of its own, read by a composite alarm that pages (the sandbox
    # answers PutCompositeAlarm, which moto lacks).
    arns["child"] = alarm(sandbox, "child", dimension=("TableName", "orders"))
    sandbox.client("cloudwatch").put_composite_alarm(
        AlarmName="api-down", AlarmRule='ALARM("child") AND NOT OK(pages)', AlarmActions=[oncall]
    )
    arns["api-down"] = f"arn:aws:cloudwatch:{REGION}:{ACCOUNT}:alarm:api-down"
    cases["child"] = ({}, Status.PASS, "feeds composite alarm api-down, which acts")
    cases["api-down"] = ({}, Status.PASS, "1 ALARM action")
    verdicts = {f.resource: f for f in findings("ops.alarm-actions")}
    assert {arn: f.status for arn, f in verdicts.items()} == {
        arns[name]: status for name, (_, status, _) in cases.items()
    }
    for name, (_, _, words) in cases.items():
        assert words in verdicts[arns[name]].message, name
    assert {(f.region, f.best_practices) for f in verdicts.values()} == {(REGION, ACTIONS_BPS)}


def _metric(name: str, **settings) -> MetricAlarm:
    return MetricAlarm(
        name=name,
        arn=f"arn:alarm:{name}",
        region=REGION,
        state="OK",
        actions_enabled=True,
        **settings,
    )


def test_a_child_of_a_composite_alarm_that_acts_needs_no_action_of_its_own():
    """AWS's pattern for noise reduction: children without actions, a composite that pages."""
    sns = f"arn:aws:sns:{REGION}:{ACCOUNT}:oncall"
    confirmed = {"oncall": ("sub",)}
    parent = CompositeAlarm(
        name="api-down",
        arn="arn:alarm:api-down",
        region=REGION,
        state="OK",
        actions_enabled=True,
        alarm_actions=(sns,),
        children=rule_children('ALARM("api-5xx") AND ALARM(api-latency)'),
    )
    orphan = _metric("disk")
    facts = {
        alarms: Alarms(
            metric=(_metric("api-5xx"), _metric("api-latency"), orphan), composite=(parent,)
        ),
        topics: frozenset({sns}),
        subscriptions: TopicSubscriptions.model_validate(
            {
                "by_topic": {
                    sns: [
                        {
                            "topic_arn": sns,
                            "protocol": "sqs",
                            "endpoint": "q",
                            "subscription_arn": f"{sns}:{confirmed['oncall'][0]}",
                        }
                    ]
                }
            }
        ),
        autoscaling.policies: (),
    }
    verdicts = {f.resource: f.status for f in run_on_facts(alarm_actions, facts, region=REGION)}
    assert verdicts == {
        "arn:alarm:api-5xx": Status.PASS,
        "arn:alarm:api-latency": Status.PASS,
        "arn:alarm:disk": Status.FAIL,
        "arn:alarm:api-down": Status.PASS,
    }


def test_rule_children_reads_every_operand_form():
    rule = (
        'ALARM("cpu high") OR (OK(mem) AND NOT INSUFFICIENT_DATA(arn:aws:cloudwatch:us-east-1:1:'
        'alarm:x)) OR AT_LEAST(2, ALARM, ("a", "b"))'
    )
    assert set(rule_children(rule)) == {
        "cpu high",
        "mem",
        "arn:aws:cloudwatch:us-east-1:1:alarm:x",
        "a",
        "b",
    }


def test_every_key_resource_needs_an_alarm_on_its_metrics(sandbox):
    site = web(sandbox)
    group_arn = group(sandbox, "api", [site.subnets["a"]])
    table_arn = sandbox.client("dynamodb").create_table(
        TableName="orders",
        BillingMode="PAY_PER_REQUEST",
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
    )["TableDescription"]["TableArn"]
    alarm(sandbox, "lb-5xx", dimension=("LoadBalancer", site.dimension))
    # An alarm that only drives a scaling policy scales the group; it tells nobody.
    scaling = f"arn:aws:autoscaling:{REGION}:{ACCOUNT}:scalingPolicy:1:autoScalingGroupName/api:policyName/p"
    alarm(sandbox, "api-scale", dimension=("AutoScalingGroupName", "api"), AlarmActions=[scaling])
    verdicts = {f.resource: f for f in findings("ops.alarm-coverage")}
    assert {arn: f.status for arn, f in verdicts.items()} == {
        site.balancer_arn: Status.PASS,
        group_arn: Status.FAIL,
        table_arn: Status.FAIL,
    }
    assert verdicts[site.balancer_arn].evidence["alarms"] == ["lb-5xx"]
    assert "Auto Scaling group api has no CloudWatch alarm" in verdicts[group_arn].message
    assert {f.best_practices for f in verdicts.values()} == {COVERAGE_BPS}


def test_a_db_instance_is_covered_by_an_alarm_on_its_identifier(sandbox):
    arn = sandbox.client("rds").create_db_instance(
        DBInstanceIdentifier="orders",
        DBInstanceClass="db.t3.micro",
        Engine="postgres",
        AllocatedStorage=20,
        MasterUsername="admin",
        MasterUserPassword="not-a-real-password",
    )["DBInstance"]["DBInstanceArn"]
    [uncovered] = findings("ops.alarm-coverage")
    assert (uncovered.status, uncovered.resource) == (Status.FAIL, arn)
    alarm(sandbox, "db-cpu", dimension=("DBInstanceIdentifier", "orders"))
    [covered] = findings("ops.alarm-coverage")
    assert (covered.status, covered.resource) == (Status.PASS, arn)


def test_dashboards(sandbox):
    [none] = findings("ops.dashboards")
    root = f"arn:aws:iam::{ACCOUNT}:root"
    assert (none.status, none.resource, none.region) == (Status.FAIL, root, "global")
    assert none.best_practices == ("OPS08-BP05", "OPS10-BP06")
    sandbox.client("cloudwatch", "eu-west-1").put_dashboard(
        DashboardName="health", DashboardBody=json.dumps({"widgets": []})
    )
    [one] = findings("ops.dashboards")
    assert (one.status, one.resource) == (Status.PASS, root)
    assert one.evidence["dashboards"] == ["health"]


@pytest.mark.parametrize(
    ("check_id", "denied"),
    [
        ("ops.alarm-actions", "cloudwatch:DescribeAlarms"),
        ("ops.alarm-actions", "sns:ListTopics"),
        ("ops.alarm-coverage", "elasticloadbalancing:DescribeLoadBalancers"),
        ("ops.dashboards", "cloudwatch:ListDashboards"),
    ],
)
def test_a_denied_read_is_an_error_naming_the_action(sandbox, monkeypatch, check_id, denied):
    alarm(sandbox, "errors", dimension=("TableName", "orders"))
    group(sandbox, "api", [sandbox.client("ec2").describe_subnets()["Subnets"][0]["SubnetId"]])
    sandbox.enforce_iam(monkeypatch, deny=[denied])
    assert_errors_naming(findings(check_id), denied)
