"""S3 buckets with their regions, and lifecycle configurations read in each bucket's region."""

from __future__ import annotations

import pytest

from wa_audit.aws import AwsSession
from wa_audit.facts.s3 import Bucket, Lifecycle, bucket_lifecycles, buckets
from wa_audit.facts.store import FactStore, FactUnavailable
from wa_audit.models import GLOBAL_REGION

RULE = {"ID": "expire", "Filter": {"Prefix": ""}, "Expiration": {"Days": 30}}


def test_buckets_and_lifecycles_by_region(sandbox):
    s3 = sandbox.client("s3")
    s3.create_bucket(Bucket="logs-us")
    s3.put_bucket_lifecycle_configuration(
        Bucket="logs-us", LifecycleConfiguration={"Rules": [{**RULE, "Status": "Enabled"}]}
    )
    s3.create_bucket(Bucket="avatars-us")
    s3.put_bucket_lifecycle_configuration(
        Bucket="avatars-us", LifecycleConfiguration={"Rules": [{**RULE, "Status": "Disabled"}]}
    )
    sandbox.client("s3", "eu-west-1").create_bucket(
        Bucket="logs-eu", CreateBucketConfiguration={"LocationConstraint": "eu-west-1"}
    )
    session = AwsSession()
    store = FactStore(session, session.identity())

    assert {(b.name, b.region) for b in store.get(buckets, "eu-west-1")} == {
        ("logs-us", "us-east-1"),
        ("avatars-us", "us-east-1"),
        ("logs-eu", "eu-west-1"),
    }
    assert store.get(bucket_lifecycles, "us-east-1") == {
        "logs-us": Lifecycle(rules=1, enabled_rules=1),
        "avatars-us": Lifecycle(rules=1, enabled_rules=0),
    }
    assert store.get(bucket_lifecycles, "eu-west-1") == {"logs-eu": Lifecycle()}
    calls = session.calls.by_action()
    assert calls["s3:ListBuckets"] == 1
    assert calls["s3:GetBucketLifecycleConfiguration"] == 3  # one per bucket, in its region


def test_a_bucket_deleted_since_listed_is_unreadable_not_the_region(sandbox):
    sandbox.client("s3").create_bucket(Bucket="logs-us")
    session = AwsSession()
    store = FactStore(session, session.identity())
    listed = (Bucket(name="logs-us", region="us-east-1"), Bucket(name="gone", region="us-east-1"))
    store.seed(buckets, GLOBAL_REGION, listed)
    found = store.get(bucket_lifecycles, "us-east-1")
    assert found["logs-us"] == Lifecycle()
    assert found["gone"].unreadable == (
        "it no longer exists (NoSuchBucket): deleted since it was listed"
    )
    assert found["gone"].missing_permission is None


def test_one_denied_bucket_is_unreadable_every_denied_bucket_fails_the_fact(sandbox, monkeypatch):
    s3 = sandbox.client("s3")
    for name in ("logs-us", "private-us"):
        s3.create_bucket(Bucket=name)
    sandbox.client("s3", "eu-west-1").create_bucket(
        Bucket="private-eu", CreateBucketConfiguration={"LocationConstraint": "eu-west-1"}
    )
    sandbox.enforce_iam(
        monkeypatch,
        deny=["s3:GetLifecycleConfiguration"],
        resources=("arn:aws:s3:::private-us", "arn:aws:s3:::private-eu"),
    )
    session = AwsSession()
    store = FactStore(session, session.identity())
    found = store.get(bucket_lifecycles, "us-east-1")
    assert found["logs-us"] == Lifecycle()
    assert (found["private-us"].unreadable, found["private-us"].missing_permission) == (
        "access denied: grant s3:GetLifecycleConfiguration on this resource",
        "s3:GetLifecycleConfiguration",
    )
    with pytest.raises(FactUnavailable) as failed:
        store.get(bucket_lifecycles, "eu-west-1")
    assert failed.value.failure.missing_permission == "s3:GetLifecycleConfiguration"
