"""The sandbox's Free Tier API, which moto lacks entirely."""

from __future__ import annotations

import pytest
from botocore.exceptions import ClientError

from tests.sandbox.shapes import capture_wire, response_problems, wire_problems
from wa_audit.sandbox.extensions.freetier import free_tier

OFFER = {
    "service": "Amazon Elastic Compute Cloud",
    "operation": "RunInstances",
    "usageType": "USE1-BoxUsage:freetier.micro",
    "region": "us-east-1",
    "actualUsageAmount": 702.0,
    "forecastedUsageAmount": 781.0,
    "limit": 750.0,
    "unit": "Hrs",
    "description": "750 hours of t2.micro or t3.micro Linux instances per month",
    "freeTierType": "12 Months Free",
}


def test_offers_fit_the_shape_and_page(sandbox):
    free_tier(sandbox.state, "123456789012").usages = [OFFER, OFFER | {"usageType": "other"}]
    client = sandbox.client("freetier")
    with capture_wire(client) as bodies:
        answer = client.get_free_tier_usage()
    assert response_problems("freetier", "GetFreeTierUsage", answer) == []
    assert wire_problems("freetier", "GetFreeTierUsage", bodies["GetFreeTierUsage"]) == []
    assert answer["freeTierUsages"][0] == OFFER
    pages = client.get_paginator("get_free_tier_usage").paginate(PaginationConfig={"PageSize": 1})
    assert [p["freeTierUsages"][0]["usageType"] for p in pages] == [OFFER["usageType"], "other"]


def test_an_account_without_free_tier_lists_nothing(sandbox):
    assert sandbox.client("freetier").get_free_tier_usage()["freeTierUsages"] == []


def test_filter_is_not_modelled_and_says_so(sandbox):
    with pytest.raises(ClientError) as raised:
        sandbox.client("freetier").get_free_tier_usage(
            filter={"Dimensions": {"Key": "SERVICE", "Values": ["x"], "MatchOptions": ["EQUALS"]}}
        )
    assert raised.value.response["Error"]["Code"] == "ValidationException"


def test_other_free_tier_operations_are_unknown(sandbox):
    with pytest.raises(ClientError) as raised:
        sandbox.client("freetier").get_account_plan_state()
    assert raised.value.response["Error"]["Code"] == "UnknownOperationException"
