"""CloudWatch alarms as AWS answers them: a billing alarm's DescribeAlarms in botocore's shape."""

from __future__ import annotations

from tests.sandbox.shapes import response_problems
from wa_audit.aws import AwsSession
from wa_audit.facts.cloudwatch import metric_alarms
from wa_audit.facts.store import FactStore


def _billing_alarm(cloudwatch, name: str, dimensions: list[dict[str, str]], topic: str) -> None:
    cloudwatch.put_metric_alarm(
        AlarmName=name,
        Namespace="AWS/Billing",
        MetricName="EstimatedCharges",
        Dimensions=dimensions,
        Statistic="Maximum",
        Period=21600,
        EvaluationPeriods=1,
        Threshold=100,
        ComparisonOperator="GreaterThanThreshold",
        AlarmActions=[topic],
    )


def test_billing_alarm_answers_in_the_describe_alarms_shape(sandbox):
    """The total bill is EstimatedCharges by Currency alone; a payer's alarm on LinkedAccount +
    Currency watches one member's charges (CloudWatch User Guide, billing metrics)."""
    cloudwatch = sandbox.client("cloudwatch", "us-east-1")
    topic = sandbox.client("sns", "us-east-1").create_topic(Name="billing")["TopicArn"]
    currency = {"Name": "Currency", "Value": "USD"}
    _billing_alarm(cloudwatch, "bill", [currency], topic)
    member = {"Name": "LinkedAccount", "Value": "210987654321"}
    _billing_alarm(cloudwatch, "member-bill", [member, currency], topic)

    answer = cloudwatch.describe_alarms(AlarmTypes=["MetricAlarm", "CompositeAlarm"])

    assert response_problems("cloudwatch", "DescribeAlarms", answer) == []
    by_name = {a["AlarmName"]: a for a in answer["MetricAlarms"]}
    assert by_name["bill"]["Dimensions"] == [currency]
    assert by_name["bill"]["AlarmActions"] == [topic]
    assert by_name["member-bill"]["Dimensions"] == [member, currency]
    session = AwsSession()
    read = {
        a.name: a for a in FactStore(session, session.identity()).get(metric_alarms, "us-east-1")
    }
    assert (read["bill"].watches_total_charges, read["member-bill"].watches_total_charges) == (
        True,
        False,
    )
