"""Support's severity levels and Compute Optimizer's enrollment, answered as AWS answers them."""

from __future__ import annotations

import boto3
import pytest
from botocore.exceptions import ClientError

from tests.sandbox.shapes import capture_wire, response_problems, wire_problems
from wa_audit.sandbox.extensions.support import add_case, support_subscription

ACCOUNT_ID = "123456789012"


@pytest.mark.parametrize("plan", ["basic", "developer"])
def test_basic_and_developer_get_subscription_required(sandbox, plan):
    support_subscription(sandbox.state, ACCOUNT_ID).plan = plan
    with pytest.raises(ClientError) as raised:
        sandbox.client("support").describe_severity_levels(language="en")
    assert raised.value.response["Error"]["Code"] == "SubscriptionRequiredException"
    assert raised.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400


@pytest.mark.parametrize(
    ("plan", "codes"),
    [
        ("business", ["low", "normal", "high", "urgent"]),
        ("enterprise-on-ramp", ["low", "normal", "high", "urgent", "critical"]),
        ("enterprise", ["low", "normal", "high", "urgent", "critical"]),
    ],
)
def test_severity_levels_follow_the_plan(sandbox, plan, codes):
    support_subscription(sandbox.state, ACCOUNT_ID).plan = plan
    support = sandbox.client("support")
    with capture_wire(support) as bodies:
        answer = support.describe_severity_levels(language="en")
    assert [level["code"] for level in answer["severityLevels"]] == codes
    assert response_problems("support", "DescribeSeverityLevels", answer) == []
    assert (
        wire_problems("support", "DescribeSeverityLevels", bodies["DescribeSeverityLevels"]) == []
    )


def test_compute_optimizer_starts_inactive_and_opts_in(sandbox):
    optimizer = sandbox.client("compute-optimizer")
    with capture_wire(optimizer) as bodies:
        before = optimizer.get_enrollment_status()
        updated = optimizer.update_enrollment_status(status="Active")
        after = sandbox.client("compute-optimizer", "eu-west-1").get_enrollment_status()
    assert before["status"] == "Inactive"
    assert (updated["status"], after["status"]) == ("Active", "Active")  # account-wide
    assert "lastUpdatedTimestamp" in after
    for operation, answer in (
        ("GetEnrollmentStatus", before),
        ("UpdateEnrollmentStatus", updated),
    ):
        assert response_problems("compute-optimizer", operation, answer) == []
        assert wire_problems("compute-optimizer", operation, bodies[operation]) == []
    assert response_problems("compute-optimizer", "GetEnrollmentStatus", after) == []


@pytest.mark.parametrize("status", ["Pending", "Failed"])
def test_compute_optimizer_statuses_only_aws_sets_are_refused(sandbox, status):
    with pytest.raises(ClientError) as raised:
        sandbox.client("compute-optimizer").update_enrollment_status(status=status)
    assert raised.value.response["Error"]["Code"] == "InvalidParameterValueException"


def test_compute_optimizer_unimplemented_operation_is_named(sandbox):
    with pytest.raises(ClientError) as raised:
        sandbox.client("compute-optimizer").get_ebs_volume_recommendations()
    assert raised.value.response["Error"]["Code"] == "UnknownOperationException"


def test_denied_callers_get_access_denied(sandbox, monkeypatch):
    support_subscription(sandbox.state, ACCOUNT_ID).plan = "business"
    sandbox.enforce_iam(
        monkeypatch,
        deny=["support:DescribeSeverityLevels", "compute-optimizer:GetEnrollmentStatus"],
    )
    session = boto3.Session()  # a new session reads the auditor's keys from the environment
    for call in (
        lambda: session.client("support", endpoint_url=sandbox.url).describe_severity_levels(),
        lambda: session.client(
            "compute-optimizer", endpoint_url=sandbox.url
        ).get_enrollment_status(),
    ):
        with pytest.raises(ClientError) as raised:
            call()
        assert raised.value.response["Error"]["Code"] in ("AccessDenied", "AccessDeniedException")


def test_describe_cases_needs_the_support_api(sandbox):
    with pytest.raises(ClientError) as raised:
        sandbox.client("support").describe_cases(includeResolvedCases=True)
    assert raised.value.response["Error"]["Code"] == "SubscriptionRequiredException"


def test_cases_are_read_without_side_effects_paged_and_resolved_only_on_request(sandbox):
    """moto's own DescribeCases moves every case to its next status on each read; AWS does not."""
    support_subscription(sandbox.state, ACCOUNT_ID).plan = "business"
    support = sandbox.client("support")
    created = [
        support.create_case(
            subject=f"case {n}",
            serviceCode="general-info",
            categoryCode="other",
            severityCode="low",
            communicationBody="hello",
        )["caseId"]
        for n in range(12)
    ]
    add_case(
        sandbox.state,
        ACCOUNT_ID,
        subject="old",
        service_code="service-limit-increase",
        category_code="lambda",
        status="resolved",
    )
    with capture_wire(support) as bodies:
        first = support.describe_cases(maxResults=10, includeCommunications=False)
    assert [c["caseId"] for c in first["cases"]] == created[:10]
    assert response_problems("support", "DescribeCases", first) == []
    assert wire_problems("support", "DescribeCases", bodies["DescribeCases"]) == []
    pages = support.get_paginator("describe_cases").paginate(
        PaginationConfig={"PageSize": 10}, includeResolvedCases=True
    )
    every = [case for page in pages for case in page["cases"]]
    assert [c["subject"] for c in every] == [f"case {n}" for n in range(12)] + ["old"]
    assert {c["status"] for c in every[:12]} == {"opened"}  # unchanged by reading them
    assert every[-1]["status"] == "resolved"
    [only] = support.describe_cases(caseIdList=[created[3]])["cases"]
    assert only["subject"] == "case 3"
