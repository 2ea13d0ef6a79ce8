"""The Service Quotas double: AWS's shapes, pagination, errors, per account and region."""

from __future__ import annotations

import boto3
import pytest
from botocore.exceptions import ClientError

from tests.sandbox.shapes import capture_wire, response_problems, wire_problems
from wa_audit.sandbox.extensions.servicequotas import (
    MAX_OPEN_REQUESTS,
    account,
    set_applied_value,
    set_request_status,
)

SERVICE = "service-quotas"
ACCOUNT = "123456789012"


def _code(error: pytest.ExceptionInfo[ClientError]) -> str:
    return str(error.value.response["Error"]["Code"])


def _fits(client, operation: str, call, **params):
    """Call ``operation``; assert its answer fits botocore's shape, parsed and on the wire."""
    with capture_wire(client) as bodies:
        answer = call(**params)
    assert response_problems(SERVICE, operation, answer) == []
    assert wire_problems(SERVICE, operation, bodies[operation]) == []
    return answer


def test_every_operation_answers_in_aws_shapes(sandbox):
    sq = sandbox.client(SERVICE)
    listed = _fits(sq, "ListServiceQuotas", sq.list_service_quotas, ServiceCode="ec2")
    vcpus = next(q for q in listed["Quotas"] if q["QuotaCode"] == "L-1216C47A")
    assert vcpus["UsageMetric"]["MetricDimensions"]["Class"] == "Standard/OnDemand"
    assert vcpus["QuotaArn"] == "arn:aws:servicequotas:us-east-1:123456789012:ec2/L-1216C47A"
    defaults = _fits(
        sq, "ListAWSDefaultServiceQuotas", sq.list_aws_default_service_quotas, ServiceCode="vpc"
    )
    assert {"L-F678F1CE", "L-E79EC296", "L-FE5A380F"} <= {
        q["QuotaCode"] for q in defaults["Quotas"]
    }
    assert defaults["Quotas"][0]["QuotaArn"].startswith("arn:aws:servicequotas:us-east-1::vpc/")
    _fits(sq, "GetServiceQuota", sq.get_service_quota, ServiceCode="ec2", QuotaCode="L-0263D0A3")
    _fits(
        sq,
        "GetAWSDefaultServiceQuota",
        sq.get_aws_default_service_quota,
        ServiceCode="iam",
        QuotaCode="L-FE177D64",
    )
    filed = _fits(
        sq,
        "RequestServiceQuotaIncrease",
        sq.request_service_quota_increase,
        ServiceCode="ec2",
        QuotaCode="L-0263D0A3",
        DesiredValue=10,
    )["RequestedQuota"]
    assert (filed["Status"], filed["DesiredValue"], filed["QuotaRequestedAtLevel"]) == (
        "PENDING",
        10.0,
        "ACCOUNT",
    )
    history = _fits(
        sq, "ListRequestedServiceQuotaChangeHistory", sq.list_requested_service_quota_change_history
    )
    assert [r["Id"] for r in history["RequestedQuotas"]] == [filed["Id"]]
    _fits(
        sq,
        "GetRequestedServiceQuotaChange",
        sq.get_requested_service_quota_change,
        RequestId=filed["Id"],
    )


def test_pagination_with_max_results_and_next_token(sandbox):
    sq = sandbox.client(SERVICE)
    first = sq.list_aws_default_service_quotas(ServiceCode="vpc", MaxResults=2)
    assert len(first["Quotas"]) == 2
    assert "NextToken" in first
    pages = sq.get_paginator("list_aws_default_service_quotas").paginate(
        ServiceCode="vpc", PaginationConfig={"PageSize": 4}
    )
    every = [q["QuotaCode"] for page in pages for q in page["Quotas"]]
    everything_at_once = sq.list_aws_default_service_quotas(ServiceCode="vpc")["Quotas"]
    assert every == [q["QuotaCode"] for q in everything_at_once]
    assert len(every) == len(set(every)) > 4
    with pytest.raises(ClientError) as bad_token:
        sq.list_service_quotas(ServiceCode="vpc", NextToken="not-a-token")
    assert _code(bad_token) == "InvalidPaginationTokenException"
    with pytest.raises(ClientError) as too_many:
        sq.list_service_quotas(ServiceCode="vpc", MaxResults=1000)
    assert _code(too_many) == "IllegalArgumentException"


def test_global_quotas_answer_only_in_the_home_region(sandbox):
    home = sandbox.client(SERVICE, "us-east-1")
    [roles] = home.list_service_quotas(ServiceCode="iam", QuotaCode="L-FE177D64")["Quotas"]
    assert roles["GlobalQuota"] is True
    with pytest.raises(ClientError) as elsewhere:
        sandbox.client(SERVICE, "eu-west-1").list_service_quotas(ServiceCode="iam")
    assert _code(elsewhere) == "NoSuchResourceException"
    with pytest.raises(ClientError) as unknown:
        home.list_service_quotas(ServiceCode="no-such-service")
    assert _code(unknown) == "NoSuchResourceException"


def test_applied_values_are_kept_per_account_and_region(sandbox):
    set_applied_value(sandbox.state, ACCOUNT, "eu-west-1", "vpc", "L-F678F1CE", 10)
    get = {"ServiceCode": "vpc", "QuotaCode": "L-F678F1CE"}
    assert sandbox.client(SERVICE, "eu-west-1").get_service_quota(**get)["Quota"]["Value"] == 10
    assert sandbox.client(SERVICE, "us-east-1").get_service_quota(**get)["Quota"]["Value"] == 5
    other = sandbox.client(SERVICE, "eu-west-1")
    other.meta.events.register(
        "before-sign",
        lambda request, **_: request.headers.__setitem__("x-moto-account-id", "111122223333"),
    )
    assert other.get_service_quota(**get)["Quota"]["Value"] == 5


def test_an_applied_value_aws_lacks_is_left_out_of_the_applied_list(sandbox):
    account(sandbox.state, ACCOUNT).unlisted.add(("us-east-1", "lambda", "L-2ACBD22F"))
    sq = sandbox.client(SERVICE)
    listed = {q["QuotaCode"] for q in sq.list_service_quotas(ServiceCode="lambda")["Quotas"]}
    assert listed == {"L-B99A9384"}
    with pytest.raises(ClientError) as missing:
        sq.get_service_quota(ServiceCode="lambda", QuotaCode="L-2ACBD22F")
    assert _code(missing) == "NoSuchResourceException"


@pytest.mark.parametrize(
    ("service", "code", "desired", "error"),
    [
        ("iam", "L-F55AF5E4", 6000, "IllegalArgumentException"),  # not adjustable
        ("ec2", "L-0263D0A3", 5, "IllegalArgumentException"),  # not above the current 5
        ("ec2", "L-00000000", 10, "NoSuchResourceException"),
    ],
)
def test_increase_requests_are_validated(sandbox, service, code, desired, error):
    with pytest.raises(ClientError) as refused:
        sandbox.client(SERVICE).request_service_quota_increase(
            ServiceCode=service, QuotaCode=code, DesiredValue=desired
        )
    assert _code(refused) == error
    assert account(sandbox.state, ACCOUNT).requests == []


def test_one_open_request_per_quota_then_approval_applies_it(sandbox):
    sq = sandbox.client(SERVICE)
    ask = {"ServiceCode": "ec2", "QuotaCode": "L-0263D0A3", "DesiredValue": 10}
    first = sq.request_service_quota_increase(**ask)["RequestedQuota"]
    with pytest.raises(ClientError) as duplicate:
        sq.request_service_quota_increase(**ask)
    assert _code(duplicate) == "ResourceAlreadyExistsException"
    set_request_status(sandbox.state, ACCOUNT, first["Id"], "CASE_OPENED")
    with pytest.raises(ClientError) as still_open:
        sq.request_service_quota_increase(**ask)
    assert _code(still_open) == "ResourceAlreadyExistsException"
    set_request_status(sandbox.state, ACCOUNT, first["Id"], "APPROVED")
    assert sq.get_service_quota(ServiceCode="ec2", QuotaCode="L-0263D0A3")["Quota"]["Value"] == 10
    pending = sq.list_requested_service_quota_change_history(Status="PENDING")["RequestedQuotas"]
    assert pending == []
    approved = sq.list_requested_service_quota_change_history(ServiceCode="ec2")["RequestedQuotas"]
    assert [(r["Id"], r["Status"]) for r in approved] == [(first["Id"], "APPROVED")]


def test_too_many_open_requests_is_quota_exceeded(sandbox):
    sq = sandbox.client(SERVICE)
    vpc_quotas = [
        q["QuotaCode"]
        for q in sq.list_aws_default_service_quotas(ServiceCode="vpc")["Quotas"]
        if q["Adjustable"]
    ]
    for code in vpc_quotas[:MAX_OPEN_REQUESTS]:
        sq.request_service_quota_increase(ServiceCode="vpc", QuotaCode=code, DesiredValue=10**6)
    with pytest.raises(ClientError) as exceeded:
        sq.request_service_quota_increase(
            ServiceCode="vpc", QuotaCode=vpc_quotas[MAX_OPEN_REQUESTS], DesiredValue=10**6
        )
    assert _code(exceeded) == "QuotaExceededException"


def test_denied_callers_get_access_denied(sandbox, monkeypatch):
    sandbox.enforce_iam(monkeypatch, deny=["servicequotas:ListServiceQuotas"])
    # A new session: boto3's default one keeps the credentials it resolved first.
    sq = boto3.Session().client(SERVICE, region_name="us-east-1", endpoint_url=sandbox.url)
    assert sq.list_aws_default_service_quotas(ServiceCode="ec2")["Quotas"]
    with pytest.raises(ClientError) as denied:
        sq.list_service_quotas(ServiceCode="ec2")
    assert _code(denied) == "AccessDeniedException"
