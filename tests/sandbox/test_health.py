"""The Health API double: AWS's shapes, filters, pagination, and the support-plan gate."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from botocore.exceptions import ClientError

from tests.sandbox.shapes import capture_wire, response_problems, wire_problems
from wa_audit.sandbox.extensions.health import add_event
from wa_audit.sandbox.extensions.support import support_subscription
from wa_audit.sandbox.scenario import SeedEnv
from wa_audit.sandbox.seeders.health import HealthEventSpec, HealthSection, seed_health

ACCOUNT_ID = "123456789012"
NOW = datetime(2026, 11, 29, 12, 0, tzinfo=UTC)


def _events(sandbox, count: int = 3) -> list:
    support_subscription(sandbox.state, ACCOUNT_ID).plan = "business"
    return [
        add_event(
            sandbox.state,
            ACCOUNT_ID,
            service="EC2" if index % 2 == 0 else "RDS",
            event_type_code="AWS_EC2_OPERATIONAL_ISSUE" if index % 2 == 0 else "AWS_RDS_X",
            category="issue",
            region="us-east-1" if index < 2 else "eu-west-1",
            start_time=NOW - timedelta(days=10 - index),
            entity_values=[f"db-{index}", f"db-{index}b"],
        )
        for index in range(count)
    ]


@pytest.mark.parametrize(
    "call",
    [
        lambda health: health.describe_events(),
        lambda health: health.describe_event_types(),
        lambda health: health.describe_affected_entities(filter={"eventArns": ["arn:x"]}),
    ],
)
@pytest.mark.parametrize("plan", ["basic", "developer"])
def test_health_api_needs_business_support(sandbox, call, plan):
    support_subscription(sandbox.state, ACCOUNT_ID).plan = plan
    with pytest.raises(ClientError) as raised:
        call(sandbox.client("health"))
    assert raised.value.response["Error"]["Code"] == "SubscriptionRequiredException"


def test_events_newest_first_with_aws_shapes(sandbox):
    created = _events(sandbox)
    health = sandbox.client("health")
    with capture_wire(health) as bodies:
        answer = health.describe_events()
    assert [e["arn"] for e in answer["events"]] == [e.arn for e in reversed(created)]
    assert answer["events"][0]["eventScopeCode"] == "ACCOUNT_SPECIFIC"
    assert answer["events"][0]["startTime"] == NOW - timedelta(days=8)
    assert response_problems("health", "DescribeEvents", answer) == []
    assert wire_problems("health", "DescribeEvents", bodies["DescribeEvents"]) == []


def test_event_filters(sandbox):
    created = _events(sandbox)
    health = sandbox.client("health")
    by_region = health.describe_events(filter={"regions": ["eu-west-1"]})["events"]
    by_service = health.describe_events(filter={"services": ["RDS"]})["events"]
    recent = health.describe_events(
        filter={"startTimes": [{"from": NOW - timedelta(days=9, hours=1)}]}
    )["events"]
    by_entity = health.describe_events(filter={"entityValues": ["db-0b"]})["events"]
    assert [e["arn"] for e in by_region] == [created[2].arn]
    assert [e["arn"] for e in by_service] == [created[1].arn]
    assert {e["arn"] for e in recent} == {created[1].arn, created[2].arn}
    assert [e["arn"] for e in by_entity] == [created[0].arn]


def test_unimplemented_filters_are_refused_not_ignored(sandbox):
    _events(sandbox)
    with pytest.raises(ClientError) as raised:
        # (actionabilities: a filter whose request shape is the same in every botocore we support)
        sandbox.client("health").describe_events(filter={"actionabilities": ["ACTION_REQUIRED"]})
    message = raised.value.response["Error"]["Message"]
    assert "does not implement the actionabilities filter" in message


def test_pagination_with_paginator_and_bad_token(sandbox):
    created = _events(sandbox, count=5)
    health = sandbox.client("health")
    first = health.describe_events(maxResults=2)
    assert len(first["events"]) == 2
    assert "nextToken" in first
    pages = health.get_paginator("describe_events").paginate(PaginationConfig={"PageSize": 2})
    arns = [e["arn"] for page in pages for e in page["events"]]
    assert sorted(arns) == sorted(e.arn for e in created)
    with pytest.raises(ClientError) as raised:
        health.describe_events(nextToken="not-a-token")
    assert raised.value.response["Error"]["Code"] == "InvalidPaginationToken"


def test_affected_entities_and_event_types(sandbox):
    created = _events(sandbox)
    health = sandbox.client("health")
    with capture_wire(health) as bodies:
        entities = health.describe_affected_entities(filter={"eventArns": [created[1].arn]})
        types = health.describe_event_types(filter={"services": ["RDS"]})
    assert [e["entityValue"] for e in entities["entities"]] == ["db-1", "db-1b"]
    assert {e["eventArn"] for e in entities["entities"]} == {created[1].arn}
    assert entities["entities"][0]["awsAccountId"] == ACCOUNT_ID
    assert ("RDS", "AWS_RDS_X") in {(t["service"], t["code"]) for t in types["eventTypes"]}
    assert {t["service"] for t in types["eventTypes"]} == {"RDS"}
    for operation, answer in (
        ("DescribeAffectedEntities", entities),
        ("DescribeEventTypes", types),
    ):
        assert response_problems("health", operation, answer) == []
        assert wire_problems("health", operation, bodies[operation]) == []


def test_seeded_events_are_timed_from_the_scenario_clock(sandbox):
    support_subscription(sandbox.state, ACCOUNT_ID).plan = "enterprise"
    section = HealthSection(
        events=(
            HealthEventSpec(
                service="EC2",
                event_type_code="AWS_EC2_OPERATIONAL_ISSUE",
                category="issue",
                region="eu-west-1",
                started_days_ago=2,
                ended_days_ago=1,
                status="closed",
            ),
        )
    )
    env = SeedEnv(url=sandbox.url, state=sandbox.state, regions=("us-east-1",), now=NOW)
    seed_health(section, env)
    [event] = sandbox.client("health").describe_events()["events"]
    assert (event["startTime"], event["endTime"]) == (
        NOW - timedelta(days=2),
        NOW - timedelta(days=1),
    )
    assert event["lastUpdatedTime"] == NOW - timedelta(days=1)
    assert event["statusCode"] == "closed"
