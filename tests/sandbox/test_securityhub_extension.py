"""The new Security Hub (DescribeSecurityHubV2), which moto lacks, answered in botocore's shapes."""

from __future__ import annotations

import pytest
from botocore.exceptions import ClientError

from tests.sandbox.shapes import capture_wire, response_problems, wire_problems

ACCOUNT_ID = "123456789012"


def test_off_is_resource_not_found(sandbox):
    with pytest.raises(ClientError) as raised:
        sandbox.client("securityhub").describe_security_hub_v2()
    error = raised.value.response
    assert error["Error"]["Code"] == "ResourceNotFoundException"
    assert error["ResponseMetadata"]["HTTPStatusCode"] == 404


def test_enabled_in_one_region_answers_there_only(sandbox):
    securityhub = sandbox.client("securityhub", "eu-west-1")
    with capture_wire(securityhub) as bodies:
        enabled = securityhub.enable_security_hub_v2()
        described = securityhub.describe_security_hub_v2()
    assert response_problems("securityhub", "EnableSecurityHubV2", enabled) == []
    assert response_problems("securityhub", "DescribeSecurityHubV2", described) == []
    for operation in ("EnableSecurityHubV2", "DescribeSecurityHubV2"):
        assert wire_problems("securityhub", operation, bodies[operation]) == []
    assert described["HubV2Arn"] == enabled["HubV2Arn"]
    assert described["HubV2Arn"].startswith(f"arn:aws:securityhub:eu-west-1:{ACCOUNT_ID}:hubv2/")
    assert described["SubscribedAt"].endswith("Z")
    # Enabling again answers the same hub; other regions stay off; CSPM is unaffected.
    assert securityhub.enable_security_hub_v2()["HubV2Arn"] == enabled["HubV2Arn"]
    with pytest.raises(ClientError):
        sandbox.client("securityhub", "us-east-1").describe_security_hub_v2()
    with pytest.raises(ClientError) as cspm:
        securityhub.describe_hub()
    assert cspm.value.response["Error"]["Code"] == "InvalidAccessException"
