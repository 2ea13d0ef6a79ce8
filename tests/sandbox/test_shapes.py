"""The shape validator: quiet on real answers, precise on wrong ones."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from tests.sandbox.shapes import capture_wire, response_problems, wire_problems

REGION = "us-east-1"


def test_real_query_and_ec2_protocol_answers_fit(sandbox):
    sns = sandbox.client("sns")
    topic = sns.create_topic(Name="alerts")["TopicArn"]
    sns.subscribe(TopicArn=topic, Protocol="email", Endpoint="ops@example.com")
    ec2 = sandbox.client("ec2")
    ec2.run_instances(ImageId="ami-12345678", InstanceType="t3.micro", MinCount=1, MaxCount=1)

    assert response_problems("sns", "ListSubscriptions", sns.list_subscriptions()) == []
    assert response_problems("ec2", "DescribeInstances", ec2.describe_instances()) == []
    assert response_problems("ec2", "DescribeVolumes", ec2.describe_volumes()) == []


def test_real_json_answers_fit_parsed_and_on_the_wire(sandbox):
    dynamodb = sandbox.client("dynamodb")
    dynamodb.create_table(
        TableName="mublog-timeline",
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST",
    )
    with capture_wire(dynamodb) as bodies:
        described = dynamodb.describe_table(TableName="mublog-timeline")

    assert response_problems("dynamodb", "DescribeTable", described) == []
    assert wire_problems("dynamodb", "DescribeTable", bodies["DescribeTable"]) == []


def test_a_wrong_answer_is_reported_member_by_member():
    wrong = {
        "Reservations": [
            {
                "ReservationId": 42,
                "Instances": [
                    {
                        "InstanceId": "i-1",
                        "State": {"Name": "sleeping", "Code": "16"},
                        "LaunchTime": "2026-01-01T00:00:00Z",
                        "EbsOptimized": "yes",
                        "Tags": {"Name": "web"},
                        "Colour": "blue",
                    }
                ],
            }
        ],
        "ResponseMetadata": {"HTTPStatusCode": 200},
    }
    problems = response_problems("ec2", "DescribeInstances", wrong)
    assert sorted(problems) == sorted(
        [
            "DescribeInstances.Reservations[0].ReservationId: expected string, got int 42",
            "DescribeInstances.Reservations[0].Instances[0].State.Name: 'sleeping' is not one of"
            " InstanceStateName's values ['pending', 'running', 'shutting-down', 'terminated',"
            " 'stopping', 'stopped']",
            "DescribeInstances.Reservations[0].Instances[0].State.Code: expected integer, got str"
            " '16'",
            "DescribeInstances.Reservations[0].Instances[0].LaunchTime: expected timestamp, got"
            " str '2026-01-01T00:00:00Z'",
            "DescribeInstances.Reservations[0].Instances[0].EbsOptimized: expected boolean, got"
            " str 'yes'",
            "DescribeInstances.Reservations[0].Instances[0].Tags: expected a list (TagList), got"
            " dict",
            "DescribeInstances.Reservations[0].Instances[0]: unknown member 'Colour' (not in"
            " Instance)",
        ]
    )


def test_missing_required_members_and_bad_map_values():
    problems = response_problems(
        "dynamodb",
        "DescribeContinuousBackups",
        {"ContinuousBackupsDescription": {"PointInTimeRecoveryDescription": {}}},
    )
    assert problems == [
        "DescribeContinuousBackups.ContinuousBackupsDescription: missing required member"
        " 'ContinuousBackupsStatus'"
    ]
    assert response_problems(
        "sns", "GetSubscriptionAttributes", {"Attributes": {"PendingConfirmation": True}}
    ) == [
        "GetSubscriptionAttributes.Attributes['PendingConfirmation']: expected string, got bool"
        " True"
    ]


def test_booleans_are_not_numbers_and_numbers_are_not_booleans():
    wrong = {"Table": {"TableName": "t", "ItemCount": True, "CreationDateTime": datetime.now(UTC)}}
    assert response_problems("dynamodb", "DescribeTable", wrong) == [
        "DescribeTable.Table.ItemCount: expected long, got bool True"
    ]


def test_wire_problems_see_what_the_parser_drops():
    # botocore would parse this into {} and hide the misspelling; the wire check does not.
    body = json.dumps({"Budget": [{"BudgetName": "monthly"}], "NextToken": 7})
    assert wire_problems("budgets", "DescribeBudgets", body) == [
        "DescribeBudgets: unknown member 'Budget' (not in DescribeBudgetsResponse)",
        "DescribeBudgets.NextToken: expected string, got int 7",
    ]
    assert wire_problems("dynamodb", "DescribeTable", json.dumps({"Table": {}})) == []


def test_wire_problems_refuse_xml_protocols():
    with pytest.raises(ValueError, match="JSON bodies only"):
        wire_problems("sns", "ListSubscriptions", b"<xml/>")
