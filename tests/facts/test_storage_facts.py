"""Storage facts where the answer is an error: accounts without the Glacier vault API, and one
bucket whose own policy keeps the auditor out."""

from __future__ import annotations

from botocore.stub import Stubber

from tests.checks.sandbox_audit import audit
from tests.helpers import IDENTITY
from wa_audit.aws import AwsSession
from wa_audit.facts.glacier import vaults
from wa_audit.facts.store import FactStore
from wa_audit.models import Status
from wa_audit.sandbox.seeders.storage import BucketSettings, StorageSection


def test_accounts_closed_to_the_vault_api_have_no_vaults(monkeypatch):
    """No double answers NoLongerSupportedException (AWS's answer, since 2025-12-15, to accounts
    that never stored data in a vault), so Stubber plays AWS here."""
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    session = AwsSession()
    stubber = Stubber(session.client("glacier", "us-east-1"))
    stubber.add_client_error(
        "list_vaults",
        service_error_code="NoLongerSupportedException",
        service_message="This API is no longer supported for new accounts.",
        http_status_code=400,
    )
    with stubber:
        assert FactStore(session, IDENTITY).get(vaults, "us-east-1") == ()
    stubber.assert_no_pending_responses()


def test_one_denied_bucket_is_error_the_others_are_judged(sandbox, monkeypatch):
    buckets = tuple(
        BucketSettings(name=name, region="us-east-1", create=True, tls_only=True)
        for name in ("open-to-auditor", "closed-to-auditor")
    )
    sandbox.seed_section("storage", StorageSection(buckets=buckets))
    sandbox.enforce_iam(
        monkeypatch, deny=["s3:GetBucketPolicy"], resources=("arn:aws:s3:::closed-to-auditor",)
    )
    got = [(f.status, f.resource) for f in audit(["sec.s3-tls-only"], ("us-east-1",)).findings]
    assert got == [
        (Status.ERROR, "arn:aws:s3:::closed-to-auditor"),
        (Status.PASS, "arn:aws:s3:::open-to-auditor"),
    ]
