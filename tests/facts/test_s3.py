"""S3 buckets with their regions, and lifecycle configurations read in each bucket's region."""

from __future__ import annotations

from wa_audit.aws import AwsSession
from wa_audit.facts.s3 import Lifecycle, bucket_lifecycles, buckets
from wa_audit.facts.store import FactStore

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
