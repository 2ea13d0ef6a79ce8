"""rel.s3-versioning against the sandbox: each bucket judged on its own versioning state."""

from __future__ import annotations

from tests.checks.sandbox_audit import assert_errors_naming
from wa_audit.aws import AwsSession
from wa_audit.models import Status
from wa_audit.registry import discover, select
from wa_audit.runner import RunOptions, run_audit
from wa_audit.sandbox.seeders.storage import BucketSettings, StorageSection

REGION = "us-east-1"
CHECK = "rel.s3-versioning"


def _audit(params=None):
    checks = select(discover(), include=[CHECK])
    options = RunOptions(regions=(REGION,), params={CHECK: params} if params else {})
    return run_audit(AwsSession(), checks, options).findings


def _seed(sandbox):
    buckets = (
        BucketSettings(name="uploads", region=REGION, create=True, versioning="Enabled"),
        BucketSettings(name="paused", region=REGION, create=True, versioning="Suspended"),
        BucketSettings(name="never", region=REGION, create=True),
        BucketSettings(name="cache-thumbnails", region=REGION, create=True),
    )
    sandbox.seed_section("storage", StorageSection(buckets=buckets))


def test_each_bucket_by_its_versioning(sandbox):
    _seed(sandbox)
    got = [(f.status, f.resource, f.best_practices) for f in _audit()]
    bp = ("REL09-BP01",)
    assert got == [
        (Status.FAIL, "arn:aws:s3:::cache-thumbnails", bp),
        (Status.FAIL, "arn:aws:s3:::never", bp),
        (Status.FAIL, "arn:aws:s3:::paused", bp),
        (Status.PASS, "arn:aws:s3:::uploads", bp),
    ]
    messages = {f.resource: f.message for f in _audit()}
    assert "suspended" in messages["arn:aws:s3:::paused"]
    assert "never had versioning" in messages["arn:aws:s3:::never"]


def test_exempt_buckets_are_not_applicable(sandbox):
    _seed(sandbox)
    found = {f.resource: f for f in _audit({"exempt_buckets": ["cache-*"]})}
    exempt = found["arn:aws:s3:::cache-thumbnails"]
    assert exempt.status is Status.NOT_APPLICABLE
    assert "'cache-*'" in exempt.message
    assert found["arn:aws:s3:::never"].status is Status.FAIL


def test_denied_versioning_is_error_naming_the_action(sandbox, monkeypatch):
    _seed(sandbox)
    sandbox.enforce_iam(monkeypatch, deny=["s3:GetBucketVersioning"])
    assert_errors_naming(_audit(), "s3:GetBucketVersioning")
