"""Helpers several seeders share: SNS topics with their subscribers, confirmed or not."""

from __future__ import annotations

from collections.abc import Iterable

from wa_audit.sandbox.extensions.sns import confirmation_token
from wa_audit.sandbox.scenario import SectionModel, SeedEnv


class Subscriber(SectionModel):
    """One subscription of a topic, as a scenario file states it.

    ``confirmed`` matters for ``email``/``http(s)`` only: their owner must follow the link of the
    confirmation message; other protocols are confirmed at once, as on AWS.
    """

    protocol: str
    endpoint: str
    confirmed: bool = True


SubscriberLike = Subscriber | tuple[str, str, bool]


def ensure_topic(
    env: SeedEnv, region: str, name: str, subscriptions: Iterable[SubscriberLike] = ()
) -> str:
    """The topic's ARN, creating it and its subscriptions if needed (both calls are idempotent).

    A subscription marked confirmed is confirmed as its owner would: with the token the
    confirmation message carries, through ``ConfirmSubscription``.
    """
    sns = env.client("sns", region)
    topic_arn: str = sns.create_topic(Name=name)["TopicArn"]
    for entry in subscriptions:
        subscriber = (
            entry
            if isinstance(entry, Subscriber)
            else Subscriber(protocol=entry[0], endpoint=entry[1], confirmed=entry[2])
        )
        subscription_arn = sns.subscribe(
            TopicArn=topic_arn,
            Protocol=subscriber.protocol,
            Endpoint=subscriber.endpoint,
            ReturnSubscriptionArn=True,
        )["SubscriptionArn"]
        token = confirmation_token(env.state, env.account_id, subscription_arn)
        if subscriber.confirmed and token is not None:
            sns.confirm_subscription(TopicArn=topic_arn, Token=token)
    return topic_arn
