"""The AWS User Notifications double: the calls that build a configuration and those that read it."""

from __future__ import annotations

import pytest
from botocore.exceptions import ClientError

from tests.sandbox.shapes import capture_wire, response_problems, wire_problems

EMAIL_CONTACT = "arn:aws:notifications-contacts::123456789012:emailcontact/ops-team"


def _configuration(notifications, name: str = "health", source: str = "aws.health") -> str:
    arn = notifications.create_notification_configuration(name=name, description="on-call")["arn"]
    notifications.create_event_rule(
        notificationConfigurationArn=arn,
        source=source,
        eventType="AWS Health Event",
        regions=["us-east-1", "eu-west-1"],
    )
    return arn


def test_build_and_read_a_configuration_with_aws_shapes(sandbox):
    notifications = sandbox.client("notifications")
    with capture_wire(notifications) as bodies:
        created = notifications.create_notification_configuration(name="health", description="x")
        rule = notifications.create_event_rule(
            notificationConfigurationArn=created["arn"],
            source="aws.health",
            eventType="AWS Health Event",
            regions=["us-east-1"],
        )
        notifications.associate_channel(
            arn=EMAIL_CONTACT, notificationConfigurationArn=created["arn"]
        )
        listed = notifications.list_notification_configurations(eventRuleSource="aws.health")
        rules = notifications.list_event_rules(notificationConfigurationArn=created["arn"])
        channels = notifications.list_channels(notificationConfigurationArn=created["arn"])
    assert created["status"] == "INACTIVE"  # no event rule yet
    assert rule["statusSummaryByRegion"]["us-east-1"]["status"] == "CREATING"
    [summary] = listed["notificationConfigurations"]
    assert (summary["arn"], summary["status"]) == (created["arn"], "ACTIVE")
    [listed_rule] = rules["eventRules"]
    assert listed_rule["statusSummaryByRegion"] == {
        "us-east-1": {"status": "ACTIVE", "reason": "Active"}
    }
    assert channels["channels"] == [EMAIL_CONTACT]
    for operation, answer in (
        ("CreateNotificationConfiguration", created),
        ("CreateEventRule", rule),
        ("ListNotificationConfigurations", listed),
        ("ListEventRules", rules),
        ("ListChannels", channels),
    ):
        assert response_problems("notifications", operation, answer) == []
        assert wire_problems("notifications", operation, bodies[operation]) == []


def test_source_filter_and_newest_first(sandbox):
    notifications = sandbox.client("notifications")
    older = _configuration(notifications, "older")
    _configuration(notifications, "alarms", source="aws.cloudwatch")
    newer = _configuration(notifications, "newer")
    listed = notifications.list_notification_configurations(eventRuleSource="aws.health")
    assert [c["arn"] for c in listed["notificationConfigurations"]] == [newer, older]


def test_pagination(sandbox):
    notifications = sandbox.client("notifications")
    arns = {_configuration(notifications, f"c{index}") for index in range(3)}
    first = notifications.list_notification_configurations(maxResults=2)
    assert len(first["notificationConfigurations"]) == 2
    assert "nextToken" in first
    pages = notifications.get_paginator("list_notification_configurations").paginate(
        PaginationConfig={"PageSize": 1}
    )
    assert {c["arn"] for page in pages for c in page["notificationConfigurations"]} == arns


@pytest.mark.parametrize(
    ("call", "code"),
    [
        (
            lambda n: n.list_event_rules(
                notificationConfigurationArn="arn:aws:notifications::123456789012:configuration/"
                + "a" * 27
            ),
            "ResourceNotFoundException",
        ),
        (
            lambda n: n.associate_channel(
                arn="arn:aws:sns:us-east-1:123456789012:alerts",
                notificationConfigurationArn=_configuration(n),
            ),
            "ValidationException",
        ),
        (
            lambda n: [_configuration(n, "same"), _configuration(n, "same")],
            "ConflictException",
        ),
    ],
)
def test_errors_as_aws(sandbox, call, code):
    with pytest.raises(ClientError) as raised:
        call(sandbox.client("notifications"))
    assert raised.value.response["Error"]["Code"] == code
