"""Access Analyzer, which moto lacks: created and listed through boto3 as AWS answers."""

from __future__ import annotations

import pytest
from botocore.exceptions import ClientError

from tests.sandbox.shapes import response_problems


def test_analyzers_are_kept_per_region_with_aws_shapes(sandbox):
    europe = sandbox.client("accessanalyzer", "eu-west-1")
    created = europe.create_analyzer(analyzerName="external", type="ACCOUNT")
    assert response_problems("accessanalyzer", "CreateAnalyzer", created) == []
    assert created["arn"] == "arn:aws:access-analyzer:eu-west-1:123456789012:analyzer/external"

    listed = europe.list_analyzers()
    assert response_problems("accessanalyzer", "ListAnalyzers", listed) == []
    [analyzer] = listed["analyzers"]
    assert (analyzer["name"], analyzer["type"], analyzer["status"]) == (
        "external",
        "ACCOUNT",
        "ACTIVE",
    )
    assert "nextToken" not in listed
    assert sandbox.client("accessanalyzer", "us-east-1").list_analyzers()["analyzers"] == []


def test_analyzers_are_kept_per_account(sandbox):
    other = sandbox.client("accessanalyzer", "us-east-1")
    other.meta.events.register(
        "before-sign.*.*",
        lambda request, **_: request.headers.__setitem__("x-moto-account-id", "210987654321"),
    )
    other.create_analyzer(analyzerName="theirs", type="ACCOUNT")
    assert sandbox.client("accessanalyzer", "us-east-1").list_analyzers()["analyzers"] == []
    assert [a["name"] for a in other.list_analyzers()["analyzers"]] == ["theirs"]


def test_pagination_and_type_filter(sandbox):
    client = sandbox.client("accessanalyzer", "us-east-1")
    for name in ("a", "b", "c"):
        client.create_analyzer(analyzerName=name, type="ACCOUNT")
    client.create_analyzer(analyzerName="unused", type="ACCOUNT_UNUSED_ACCESS")

    first = client.list_analyzers(maxResults=2)
    assert [a["name"] for a in first["analyzers"]] == ["a", "b"]
    second = client.list_analyzers(maxResults=2, nextToken=first["nextToken"])
    assert [a["name"] for a in second["analyzers"]] == ["c", "unused"]
    assert "nextToken" not in second
    pages = client.get_paginator("list_analyzers").paginate(PaginationConfig={"PageSize": 3})
    assert [a["name"] for page in pages for a in page["analyzers"]] == ["a", "b", "c", "unused"]
    only_unused = client.list_analyzers(type="ACCOUNT_UNUSED_ACCESS")["analyzers"]
    assert [a["name"] for a in only_unused] == ["unused"]


@pytest.mark.parametrize(
    ("kwargs", "code"),
    [
        ({"analyzerName": "9starts-with-a-digit", "type": "ACCOUNT"}, "ValidationException"),
        ({"analyzerName": "ok", "type": "EVERYTHING"}, "ValidationException"),
    ],
)
def test_invalid_requests_get_aws_errors(sandbox, kwargs, code):
    with pytest.raises(ClientError) as raised:
        sandbox.client("accessanalyzer").create_analyzer(**kwargs)
    assert raised.value.response["Error"]["Code"] == code
    assert raised.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400


def test_duplicate_name_is_a_conflict(sandbox):
    client = sandbox.client("accessanalyzer")
    client.create_analyzer(analyzerName="external", type="ACCOUNT")
    with pytest.raises(client.exceptions.ConflictException) as raised:
        client.create_analyzer(analyzerName="external", type="ORGANIZATION")
    assert raised.value.response["ResponseMetadata"]["HTTPStatusCode"] == 409


def test_unimplemented_operations_are_refused_not_faked(sandbox):
    with pytest.raises(ClientError) as raised:
        sandbox.client("accessanalyzer").delete_analyzer(analyzerName="external")
    assert raised.value.response["Error"]["Code"] == "UnknownOperationException"
