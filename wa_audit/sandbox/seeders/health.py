"""AWS Health: who hears of service events (EventBridge rules, User Notifications), and the events.

Rules and notification configurations are created through their APIs, as a user would; the SNS
topics they target are referenced by name (the workload section owns them and their subscribers;
a missing topic is created empty). Health events have no write API on AWS: they go into the
sandbox's state, timed relative to the scenario's clock.
"""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Literal

from wa_audit.sandbox.extensions.health import add_event
from wa_audit.sandbox.scenario import SectionModel, SeedEnv, Seeder
from wa_audit.sandbox.seeders.common import ensure_topic

HEALTH_PATTERN = json.dumps({"source": ["aws.health"]})


class HealthRuleSpec(SectionModel):
    """An EventBridge rule on the region's default bus; ``pattern`` is its event pattern (JSON)."""

    region: str
    name: str
    pattern: str = HEALTH_PATTERN
    enabled: bool = True
    topic: str | None = None
    """The SNS topic (by name, in the rule's region) it targets; None for a rule without target."""


class UserNotificationSpec(SectionModel):
    """An AWS User Notifications configuration for AWS Health events in ``regions``."""

    name: str
    regions: tuple[str, ...]
    channels: tuple[str, ...] = ()
    """Channel ARNs (an e-mail contact, a chat channel); ``{account_id}`` is substituted."""


class HealthEventSpec(SectionModel):
    service: str
    event_type_code: str
    category: Literal["issue", "accountNotification", "scheduledChange", "investigation"]
    region: str
    started_days_ago: float
    ended_days_ago: float | None = None
    status: Literal["open", "closed", "upcoming"] = "open"
    entities: tuple[str, ...] = ()


class HealthSection(SectionModel):
    rules: tuple[HealthRuleSpec, ...] = ()
    user_notifications: tuple[UserNotificationSpec, ...] = ()
    events: tuple[HealthEventSpec, ...] = ()


def seed_health(section: HealthSection, env: SeedEnv) -> None:
    for rule in section.rules:
        _seed_rule(rule, env)
    for configuration in section.user_notifications:
        _seed_user_notifications(configuration, env)
    for event in section.events:
        add_event(
            env.state,
            env.account_id,
            service=event.service,
            event_type_code=event.event_type_code,
            category=event.category,
            region=event.region,
            start_time=env.now - timedelta(days=event.started_days_ago),
            end_time=(
                env.now - timedelta(days=event.ended_days_ago)
                if event.ended_days_ago is not None
                else None
            ),
            status_code=event.status,
            entity_values=event.entities,
        )


def _seed_rule(rule: HealthRuleSpec, env: SeedEnv) -> None:
    events = env.client("events", rule.region)
    events.put_rule(
        Name=rule.name,
        EventPattern=rule.pattern,
        State="ENABLED" if rule.enabled else "DISABLED",
        Description="Notify the on-call team of AWS Health events",
    )
    if rule.topic is not None:
        topic_arn = ensure_topic(env, rule.region, rule.topic)
        events.put_targets(Rule=rule.name, Targets=[{"Id": "notify", "Arn": topic_arn}])


def _seed_user_notifications(spec: UserNotificationSpec, env: SeedEnv) -> None:
    notifications = env.client("notifications", "us-east-1")
    arn = notifications.create_notification_configuration(
        name=spec.name, description="AWS Health events for the on-call team"
    )["arn"]
    notifications.create_event_rule(
        notificationConfigurationArn=arn,
        source="aws.health",
        eventType="AWS Health Event",
        regions=list(spec.regions),
    )
    for channel in spec.channels:
        notifications.associate_channel(
            arn=channel.format(account_id=env.account_id), notificationConfigurationArn=arn
        )


SEEDER = Seeder("health", HealthSection, seed_health)
