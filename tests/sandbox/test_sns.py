"""SNS confirmation as AWS has it: e-mail and HTTP(S) subscriptions wait for their owner."""

from __future__ import annotations

import pytest
from botocore.exceptions import ClientError

from tests.sandbox.shapes import response_problems
from wa_audit.aws import AwsSession
from wa_audit.facts.sns import subscriptions
from wa_audit.facts.store import FactStore
from wa_audit.sandbox.extensions.sns import confirmation_token
from wa_audit.sandbox.scenario import SeedEnv
from wa_audit.sandbox.seeders.common import Subscriber, ensure_topic

REGION = "us-east-1"
OTHER_REGION = "eu-west-1"
ACCOUNT_ID = "123456789012"


def _env(sandbox) -> SeedEnv:
    return SeedEnv(url=sandbox.url, state=sandbox.state, regions=(REGION, OTHER_REGION))


def _topic(sandbox, region: str = REGION) -> tuple[object, str]:
    sns = sandbox.client("sns", region)
    return sns, sns.create_topic(Name="alerts")["TopicArn"]


def _pending_email_arn(sns, topic: str) -> str:
    """The ARN of a new e-mail subscription, which AWS gives only when asked for it."""
    return sns.subscribe(
        TopicArn=topic, Protocol="email", Endpoint="ops@example.com", ReturnSubscriptionArn=True
    )["SubscriptionArn"]


@pytest.mark.parametrize("protocol", ["email", "email-json", "http", "https"])
def test_subscription_needing_confirmation_is_pending(sandbox, protocol):
    sns, topic = _topic(sandbox)
    endpoint = "ops@example.com" if protocol.startswith("email") else f"{protocol}://hooks.test/x"

    answer = sns.subscribe(TopicArn=topic, Protocol=protocol, Endpoint=endpoint)

    assert answer["SubscriptionArn"] == "pending confirmation"
    assert response_problems("sns", "Subscribe", answer) == []
    listing = sns.list_subscriptions()
    assert response_problems("sns", "ListSubscriptions", listing) == []
    [listed] = listing["Subscriptions"]
    assert listed == {
        "SubscriptionArn": "PendingConfirmation",
        "Owner": ACCOUNT_ID,
        "Protocol": protocol,
        "Endpoint": endpoint,
        "TopicArn": topic,
    }
    by_topic_listing = sns.list_subscriptions_by_topic(TopicArn=topic)
    assert response_problems("sns", "ListSubscriptionsByTopic", by_topic_listing) == []
    [by_topic] = by_topic_listing["Subscriptions"]
    assert by_topic["SubscriptionArn"] == "PendingConfirmation"


def test_return_subscription_arn_gives_the_arn_of_a_pending_subscription(sandbox):
    sns, topic = _topic(sandbox)
    arn = _pending_email_arn(sns, topic)
    assert arn.startswith(f"{topic}:")
    answer = sns.get_subscription_attributes(SubscriptionArn=arn)
    assert response_problems("sns", "GetSubscriptionAttributes", answer) == []
    attributes = answer["Attributes"]
    assert attributes["PendingConfirmation"] == "true"
    assert attributes["ConfirmationWasAuthenticated"] == "false"


@pytest.mark.parametrize("protocol", ["sqs", "lambda"])
def test_same_account_queue_or_function_is_confirmed_at_once(sandbox, protocol):
    sns, topic = _topic(sandbox)
    endpoint = f"arn:aws:{protocol}:{REGION}:{ACCOUNT_ID}:alerts"
    arn = sns.subscribe(TopicArn=topic, Protocol=protocol, Endpoint=endpoint)["SubscriptionArn"]
    assert arn.startswith(f"{topic}:")
    assert sns.list_subscriptions()["Subscriptions"][0]["SubscriptionArn"] == arn
    attributes = sns.get_subscription_attributes(SubscriptionArn=arn)["Attributes"]
    assert attributes["PendingConfirmation"] == "false"


def test_confirming_with_the_token_makes_it_listed_by_arn(sandbox):
    sns, topic = _topic(sandbox)
    arn = _pending_email_arn(sns, topic)
    token = confirmation_token(sandbox.state, ACCOUNT_ID, arn)
    assert token

    confirmed = sns.confirm_subscription(
        TopicArn=topic, Token=token, AuthenticateOnUnsubscribe="true"
    )

    assert confirmed["SubscriptionArn"] == arn
    assert response_problems("sns", "ConfirmSubscription", confirmed) == []
    assert sns.list_subscriptions()["Subscriptions"][0]["SubscriptionArn"] == arn
    attributes = sns.get_subscription_attributes(SubscriptionArn=arn)["Attributes"]
    assert (attributes["PendingConfirmation"], attributes["ConfirmationWasAuthenticated"]) == (
        "false",
        "true",
    )
    again = sns.subscribe(TopicArn=topic, Protocol="email", Endpoint="ops@example.com")
    assert again["SubscriptionArn"] == arn  # AWS answers a confirmed duplicate with its ARN


def test_wrong_token_and_unknown_topic_are_aws_errors(sandbox):
    sns, topic = _topic(sandbox)
    sns.subscribe(TopicArn=topic, Protocol="email", Endpoint="ops@example.com")
    with pytest.raises(ClientError) as wrong_token:
        sns.confirm_subscription(TopicArn=topic, Token="not-the-token")
    assert wrong_token.value.response["Error"]["Code"] == "InvalidParameter"
    with pytest.raises(sns.exceptions.NotFoundException):
        sns.confirm_subscription(TopicArn=f"{topic}-gone", Token="x")
    assert sns.list_subscriptions()["Subscriptions"][0]["SubscriptionArn"] == "PendingConfirmation"


def test_regions_are_kept_apart(sandbox):
    env = _env(sandbox)
    east = ensure_topic(env, REGION, "alerts", [("email", "ops@example.com", True)])
    west = ensure_topic(env, OTHER_REGION, "alerts", [("email", "ops@example.com", False)])
    east_listed = sandbox.client("sns", REGION).list_subscriptions()["Subscriptions"]
    west_listed = sandbox.client("sns", OTHER_REGION).list_subscriptions()["Subscriptions"]
    assert [
        (s["TopicArn"], s["SubscriptionArn"] != "PendingConfirmation") for s in east_listed
    ] == [(east, True)]
    assert [(s["TopicArn"], s["SubscriptionArn"]) for s in west_listed] == [
        (west, "PendingConfirmation")
    ]


def test_ensure_topic_is_idempotent_and_the_fact_sees_what_is_confirmed(sandbox):
    env = _env(sandbox)
    subscribers = [
        Subscriber(protocol="email", endpoint="ops@example.com", confirmed=True),
        Subscriber(protocol="email", endpoint="cfo@example.com", confirmed=False),
    ]
    topic = ensure_topic(env, REGION, "alerts", subscribers)
    assert ensure_topic(env, REGION, "alerts", subscribers) == topic

    session = AwsSession()
    found = FactStore(session, session.identity()).get(subscriptions, REGION)
    assert len(found.by_topic[topic]) == 2
    assert [s.endpoint for s in found.confirmed(topic)] == ["ops@example.com"]
