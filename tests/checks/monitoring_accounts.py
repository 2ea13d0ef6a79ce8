"""Small accounts for the monitoring and scaling checks: a VPC, a load balancer, a group."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from wa_audit.aws import AwsSession
from wa_audit.models import Finding
from wa_audit.registry import discover, select
from wa_audit.runner import RunOptions, run_audit

REGION = "us-east-1"
ACCOUNT = "123456789012"


def findings(
    check_id: str, params: dict[str, Any] | None = None, regions: tuple[str, ...] = (REGION,)
) -> list[Finding]:
    checks = select(discover(), include=[check_id])
    options = RunOptions(regions=regions, params={check_id: params} if params else {})
    return list(run_audit(AwsSession(), checks, options).findings)


@dataclass
class Web:
    """A VPC with subnets in zones a, b and c, an ALB in a and b, and its target group."""

    subnets: dict[str, str]
    balancer_arn: str
    target_group_arn: str

    @property
    def dimension(self) -> str:
        return self.balancer_arn.split(":loadbalancer/", 1)[1]


def web(sandbox: Any, zones: tuple[str, ...] = ("a", "b")) -> Web:
    ec2 = sandbox.client("ec2")
    vpc = ec2.create_vpc(CidrBlock="10.9.0.0/16")["Vpc"]["VpcId"]
    subnets = {
        zone: ec2.create_subnet(
            VpcId=vpc, CidrBlock=f"10.9.{i}.0/24", AvailabilityZone=f"{REGION}{zone}"
        )["Subnet"]["SubnetId"]
        for i, zone in enumerate("abc")
    }
    elbv2 = sandbox.client("elbv2")
    balancer = elbv2.create_load_balancer(Name="web", Subnets=[subnets[z] for z in zones])
    balancer_arn = balancer["LoadBalancers"][0]["LoadBalancerArn"]
    group_arn = elbv2.create_target_group(Name="web", Protocol="HTTP", Port=80, VpcId=vpc)[
        "TargetGroups"
    ][0]["TargetGroupArn"]
    elbv2.create_listener(
        LoadBalancerArn=balancer_arn,
        Protocol="HTTP",
        Port=80,
        DefaultActions=[{"Type": "forward", "TargetGroupArn": group_arn}],
    )
    return Web(subnets, balancer_arn, group_arn)


def group(
    sandbox: Any,
    name: str,
    subnets: list[str],
    *,
    target_groups: tuple[str, ...] = (),
    min_size: int = 0,
    max_size: int = 4,
    **settings: Any,
) -> str:
    """An empty Auto Scaling group (no instances to launch); its ARN."""
    ec2 = sandbox.client("ec2")
    template = f"{name}-template"
    ec2.create_launch_template(
        LaunchTemplateName=template,
        LaunchTemplateData={"ImageId": "ami-12345678", "InstanceType": "t3.micro"},
    )
    autoscaling = sandbox.client("autoscaling")
    autoscaling.create_auto_scaling_group(
        AutoScalingGroupName=name,
        LaunchTemplate={"LaunchTemplateName": template},
        MinSize=min_size,
        MaxSize=max_size,
        DesiredCapacity=min_size,
        VPCZoneIdentifier=",".join(subnets),
        TargetGroupARNs=list(target_groups),
        **settings,
    )
    [described] = autoscaling.describe_auto_scaling_groups(AutoScalingGroupNames=[name])[
        "AutoScalingGroups"
    ]
    arn: str = described["AutoScalingGroupARN"]
    return arn


def alarm(sandbox: Any, name: str, *, dimension: tuple[str, str], **settings: Any) -> str:
    cloudwatch = sandbox.client("cloudwatch")
    cloudwatch.put_metric_alarm(
        AlarmName=name,
        Namespace="AWS/Whatever",
        MetricName="Errors",
        Dimensions=[{"Name": dimension[0], "Value": dimension[1]}],
        Statistic="Sum",
        Period=60,
        EvaluationPeriods=1,
        Threshold=1,
        ComparisonOperator="GreaterThanThreshold",
        **settings,
    )
    return f"arn:aws:cloudwatch:{REGION}:{ACCOUNT}:alarm:{name}"


def topic(sandbox: Any, name: str, *, subscribed: bool) -> str:
    sns = sandbox.client("sns")
    arn: str = sns.create_topic(Name=name)["TopicArn"]
    if subscribed:  # an SQS subscription in the same account is confirmed at once, as on AWS
        queue = sandbox.client("sqs").create_queue(QueueName=f"{name}-queue")["QueueUrl"]
        queue_arn = f"arn:aws:sqs:{REGION}:{ACCOUNT}:{queue.rsplit('/', 1)[-1]}"
        sns.subscribe(TopicArn=arn, Protocol="sqs", Endpoint=queue_arn)
    return arn
