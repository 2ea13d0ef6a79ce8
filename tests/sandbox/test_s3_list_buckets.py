"""ListBuckets as AWS answers it: regions and continuation tokens once the request has a parameter."""

from __future__ import annotations

import boto3
import pytest
from botocore.exceptions import ClientError

from tests.sandbox.shapes import response_problems


def _buckets(sandbox) -> None:
    sandbox.client("s3").create_bucket(Bucket="mublog-logs")
    sandbox.client("s3", "eu-west-1").create_bucket(
        Bucket="mublog-logs-eu", CreateBucketConfiguration={"LocationConstraint": "eu-west-1"}
    )
    sandbox.client("s3").create_bucket(Bucket="avatars")


def test_paginated_listing_names_regions(sandbox):
    _buckets(sandbox)
    s3 = sandbox.client("s3")
    first = s3.list_buckets(MaxBuckets=2)
    assert [(b["Name"], b["BucketRegion"]) for b in first["Buckets"]] == [
        ("avatars", "us-east-1"),
        ("mublog-logs", "us-east-1"),
    ]
    assert response_problems("s3", "ListBuckets", first) == []
    second = s3.list_buckets(MaxBuckets=2, ContinuationToken=first["ContinuationToken"])
    assert [(b["Name"], b["BucketRegion"]) for b in second["Buckets"]] == [
        ("mublog-logs-eu", "eu-west-1")
    ]
    assert "ContinuationToken" not in second
    pages = s3.get_paginator("list_buckets").paginate(PaginationConfig={"PageSize": 1})
    assert [b["Name"] for page in pages for b in page["Buckets"]] == [
        "avatars",
        "mublog-logs",
        "mublog-logs-eu",
    ]


def test_prefix_and_region_filters(sandbox):
    _buckets(sandbox)
    s3 = sandbox.client("s3")
    assert [b["Name"] for b in s3.list_buckets(Prefix="mublog")["Buckets"]] == [
        "mublog-logs",
        "mublog-logs-eu",
    ]
    by_region = s3.list_buckets(BucketRegion="eu-west-1")
    assert [b["Name"] for b in by_region["Buckets"]] == ["mublog-logs-eu"]


def test_bare_listing_has_no_regions(sandbox):
    _buckets(sandbox)
    answer = sandbox.client("s3").list_buckets()
    assert len(answer["Buckets"]) == 3
    assert all("BucketRegion" not in b for b in answer["Buckets"])


def test_denied_listing_stays_denied(sandbox, monkeypatch):
    _buckets(sandbox)
    sandbox.enforce_iam(monkeypatch, deny=["s3:ListAllMyBuckets"])
    s3 = boto3.Session().client("s3", endpoint_url=sandbox.url)
    with pytest.raises(ClientError) as raised:
        s3.list_buckets(MaxBuckets=10)
    assert raised.value.response["Error"]["Code"] == "AccessDenied"


def test_a_bad_token_is_s3s_invalid_argument(sandbox):
    # An S3 error document (<Error><Code>), which botocore's rest-xml parser reads; JSON it cannot.
    _buckets(sandbox)
    with pytest.raises(ClientError) as raised:
        sandbox.client("s3").list_buckets(MaxBuckets=2, ContinuationToken="not-a-token")
    assert raised.value.response["Error"]["Code"] == "InvalidArgument"
    assert raised.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400
