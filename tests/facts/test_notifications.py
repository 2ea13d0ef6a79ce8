"""User Notifications configurations for AWS Health: regions where they listen, and channels."""

from __future__ import annotations

from wa_audit.aws import AwsSession
from wa_audit.facts.notifications import health_configurations
from wa_audit.facts.store import FactStore

CHANNEL = "arn:aws:notifications-contacts::123456789012:emailcontact/ops"


def test_health_configurations(sandbox):
    notifications = sandbox.client("notifications")
    for name, source, regions, channel in (
        ("health", "aws.health", ["eu-west-1"], CHANNEL),
        ("health-silent", "aws.health", ["us-east-1"], None),
        ("alarms", "aws.cloudwatch", ["us-east-1"], CHANNEL),
    ):
        arn = notifications.create_notification_configuration(name=name, description=name)["arn"]
        notifications.create_event_rule(
            notificationConfigurationArn=arn, source=source, eventType="x", regions=regions
        )
        if channel:
            notifications.associate_channel(arn=channel, notificationConfigurationArn=arn)
    session = AwsSession()
    found = {
        c.name: c
        for c in FactStore(session, session.identity()).get(health_configurations, "eu-west-1")
    }
    assert sorted(found) == ["health", "health-silent"]
    assert found["health"].delivers_in("eu-west-1")
    assert not found["health"].delivers_in("us-east-1")
    assert found["health-silent"].active_regions == ("us-east-1",)
    assert not found["health-silent"].delivers_in("us-east-1")  # no channel
