"""SNS subscriptions: whether an alert would reach anyone (billing alarms, Health rules)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from wa_audit.facts.base import FetchContext, fact

PENDING = "PendingConfirmation"


class Subscription(BaseModel):
    model_config = ConfigDict(frozen=True)

    topic_arn: str
    protocol: str
    endpoint: str
    subscription_arn: str

    @property
    def confirmed(self) -> bool:
        """AWS lists unconfirmed subscriptions with the literal ARN ``PendingConfirmation``."""
        return self.subscription_arn not in (PENDING, "Deleted")


class TopicSubscriptions(BaseModel):
    model_config = ConfigDict(frozen=True)

    by_topic: dict[str, tuple[Subscription, ...]]

    def confirmed(self, topic_arn: str) -> tuple[Subscription, ...]:
        return tuple(s for s in self.by_topic.get(topic_arn, ()) if s.confirmed)


@fact("sns.subscriptions", regional=True, permissions=["sns:ListSubscriptions"])
def subscriptions(ctx: FetchContext) -> TopicSubscriptions:
    """Every subscription of the region in one paginated call, rather than one call per topic."""
    by_topic: dict[str, list[Subscription]] = {}
    for raw in ctx.paginate("sns", "list_subscriptions", "Subscriptions"):
        subscription = Subscription(
            topic_arn=raw["TopicArn"],
            protocol=raw["Protocol"],
            endpoint=raw.get("Endpoint", ""),
            subscription_arn=raw["SubscriptionArn"],
        )
        by_topic.setdefault(subscription.topic_arn, []).append(subscription)
    return TopicSubscriptions(by_topic={k: tuple(v) for k, v in by_topic.items()})


@fact("sns.topics", regional=True, permissions=["sns:ListTopics"])
def topics(ctx: FetchContext) -> frozenset[str]:
    """The ARNs of the region's topics (ListSubscriptions misses topics nobody subscribed to)."""
    return frozenset(raw["TopicArn"] for raw in ctx.paginate("sns", "list_topics", "Topics"))
