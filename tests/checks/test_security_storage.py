"""S3 buckets (public, TLS-only), Glacier vaults and Macie: each check against the sandbox, with a
compliant and a non-compliant resource, and a denied action reported as ERROR naming it."""

from __future__ import annotations

import pytest

from tests.checks.sandbox_audit import assert_errors_naming, audit
from tests.helpers import ACCOUNT_ID, run_on_facts
from wa_audit.checks.security_storage import denies_plain_http, s3_bucket_public
from wa_audit.facts.per_resource import Unreadable
from wa_audit.facts.s3 import Bucket, buckets
from wa_audit.facts.s3_buckets import (
    Acl,
    bucket_acls,
    bucket_policy_status,
    bucket_public_access_blocks,
)
from wa_audit.facts.s3control import SETTINGS, PublicAccessBlock, public_access_block
from wa_audit.models import Status
from wa_audit.sandbox.seeders.storage import (
    BucketSettings,
    MacieRegion,
    StorageSection,
    Vault,
)

US, EU = "us-east-1", "eu-west-1"
ARN = "arn:aws:s3:::site"


def _bucket(name, **settings):
    return BucketSettings(name=name, region=US, create=True, **settings)


def _verdicts(check_id, regions=(US,)):
    return [(f.status, f.resource, f.best_practices) for f in audit([check_id], regions).findings]


def test_public_buckets(sandbox):
    restrict = ("IgnorePublicAcls", "RestrictPublicBuckets")
    buckets_ = (
        _bucket("open-policy", public_read_policy=True),
        _bucket("open-acl", public_read_acl=True),
        _bucket("restricted", public_read_policy=True, block_public_access=restrict),
        _bucket("private"),
    )
    sandbox.seed_section("storage", StorageSection(buckets=buckets_))
    report = audit(["sec.s3-bucket-public"], (US,))
    bp = ("SEC03-BP07", "SEC08-BP04")
    assert [(f.status, f.resource, f.best_practices) for f in report.findings] == [
        (Status.FAIL, "arn:aws:s3:::open-acl", bp),
        (Status.FAIL, "arn:aws:s3:::open-policy", bp),
        (Status.PASS, "arn:aws:s3:::private", bp),
        (Status.PASS, "arn:aws:s3:::restricted", bp),
    ]
    messages = [f.message for f in report.findings]
    assert "ACL grants everyone (AllUsers): READ" in messages[0]
    assert "bucket policy is public" in messages[1]


def _public_facts(account_settings, acl_grants):
    block = PublicAccessBlock(configured=False, settings=dict.fromkeys(SETTINGS, False))
    return {
        buckets: (Bucket(name="site", region=US),),
        public_access_block: PublicAccessBlock(configured=True, settings=account_settings),
        bucket_public_access_blocks: {"site": block},
        bucket_policy_status: {"site": True},
        bucket_acls: {"site": Acl(public_grants=acl_grants)},
    }


def test_account_block_public_access_overrides_the_bucket():
    """What S3 enforces: the account's switches count as the bucket's own."""
    account = {**dict.fromkeys(SETTINGS, False), "RestrictPublicBuckets": True}
    acl = (("everyone (AllUsers)", "READ"),)
    [finding] = run_on_facts(s3_bucket_public, _public_facts(account, acl), region=US)
    assert (finding.status, finding.resource) == (Status.FAIL, ARN)
    assert "policy" not in finding.message
    assert "ACL grants" in finding.message
    account = dict.fromkeys(SETTINGS, True)
    [finding] = run_on_facts(s3_bucket_public, _public_facts(account, acl), region=US)
    assert finding.status is Status.PASS


def test_one_unreadable_bucket_is_error_on_its_own():
    facts = _public_facts(dict.fromkeys(SETTINGS, False), ())
    denied = Unreadable(reason="access denied", missing_permission="s3:GetBucketAcl")
    facts[bucket_acls] = {"site": denied}
    [finding] = run_on_facts(s3_bucket_public, facts, region=US)
    assert (finding.status, finding.resource) == (Status.ERROR, ARN)
    assert finding.evidence["missing_permission"] == "s3:GetBucketAcl"


def test_tls_only(sandbox):
    buckets_ = (
        _bucket("tls", tls_only=True),
        _bucket("no-policy"),
        _bucket("other-policy", public_read_policy=True),
    )
    sandbox.seed_section("storage", StorageSection(buckets=buckets_))
    bp = ("SEC09-BP02",)
    assert _verdicts("sec.s3-tls-only") == [
        (Status.FAIL, "arn:aws:s3:::no-policy", bp),
        (Status.FAIL, "arn:aws:s3:::other-policy", bp),
        (Status.PASS, "arn:aws:s3:::tls", bp),
    ]


def _deny(**changes):
    statement = {
        "Effect": "Deny",
        "Principal": "*",
        "Action": "s3:*",
        "Resource": [ARN, f"{ARN}/*"],
        "Condition": {"Bool": {"aws:SecureTransport": "false"}},
    }
    statement.update(changes)
    return {"Version": "2012-10-17", "Statement": [statement]}


@pytest.mark.parametrize(
    ("document", "denies"),
    [
        (_deny(), True),
        (_deny(Principal={"AWS": ["*"]}, Resource="arn:aws:s3:::site*"), True),
        (_deny(Condition={"BoolIfExists": {"aws:securetransport": False}}), True),
        (_deny(Action=["s3:GetObject", "s3:PutObject"]), False),  # listing stays open
        (_deny(Resource=f"{ARN}/*"), False),  # the bucket's own operations stay open
        (_deny(Principal={"AWS": "arn:aws:iam::111122223333:root"}), False),
        (_deny(Effect="Allow"), False),
        (_deny(Condition={"NumericLessThan": {"s3:TlsVersion": "1.2"}}), False),
        (None, False),
    ],
)
def test_what_counts_as_denying_plain_http(document, denies):
    assert denies_plain_http(document, ARN) is denies


def test_denied_bucket_policy_is_error_naming_the_action(sandbox, monkeypatch):
    sandbox.seed_section("storage", StorageSection(buckets=(_bucket("tls", tls_only=True),)))
    sandbox.enforce_iam(monkeypatch, deny=["s3:GetBucketPolicy"])
    assert_errors_naming(audit(["sec.s3-tls-only"], (US,)).findings, "s3:GetBucketPolicy")


def test_glacier_vaults(sandbox):
    vaults = (
        Vault(region=US, name="locked", lock="locked"),
        Vault(region=US, name="unlocked"),
        Vault(region=US, name="half-locked", lock="in-progress"),
        Vault(region=US, name="open", lock="locked", public_policy=True),
    )
    sandbox.seed_section("storage", StorageSection(vaults=vaults))
    report = audit(["sec.glacier-vault-lock"], (US,))
    arn = f"arn:aws:glacier:{US}:{ACCOUNT_ID}:vaults/"
    bp = ("SEC07-BP04", "SEC08-BP04")
    assert [(f.status, f.resource, f.best_practices) for f in report.findings] == [
        (Status.FAIL, arn + "half-locked", bp),
        (Status.PASS, arn + "locked", bp),
        (Status.FAIL, arn + "open", bp),
        (Status.FAIL, arn + "unlocked", bp),
    ]
    messages = [f.message for f in report.findings]
    assert "never completed" in messages[0]
    assert "allows everyone" in messages[2]
    assert "no vault lock" in messages[3]


def test_denied_vault_lock_is_error_naming_the_action(sandbox, monkeypatch):
    sandbox.seed_section("storage", StorageSection(vaults=(Vault(region=US, name="v"),)))
    sandbox.enforce_iam(monkeypatch, deny=["glacier:GetVaultLock"])
    assert_errors_naming(audit(["sec.glacier-vault-lock"], (US,)).findings, "glacier:GetVaultLock")


def _macie_account(sandbox, macie):
    buckets_ = (
        BucketSettings(name="us-data", region=US, create=True),
        BucketSettings(name="eu-data", region=EU, create=True),
    )
    sandbox.seed_section("storage", StorageSection(buckets=buckets_, macie=macie), (US, EU))


def test_macie(sandbox):
    _macie_account(sandbox, (MacieRegion(region=US, automated_discovery=True),))
    bp = ("SEC07-BP01", "SEC07-BP03", "SEC08-BP03")
    assert _verdicts("sec.macie", (US, EU, "ap-south-1")) == [
        (Status.PASS, f"{ACCOUNT_ID}/{US}", bp),
        (Status.FAIL, f"{ACCOUNT_ID}/{EU}", bp),  # Macie never enabled there
        (Status.NOT_APPLICABLE, f"{ACCOUNT_ID}/ap-south-1", bp),  # no buckets there
    ]


def test_macie_without_automated_discovery_warns(sandbox):
    _macie_account(sandbox, (MacieRegion(region=EU),))
    [finding] = audit(["sec.macie"], (EU,)).findings
    assert finding.status is Status.WARN
    assert "automated sensitive data discovery is off" in finding.message


def test_denied_macie_is_error_not_off(sandbox, monkeypatch):
    """A denial that is not AWS's "Macie is not enabled" is a missing permission."""
    _macie_account(sandbox, ())
    sandbox.enforce_iam(monkeypatch, deny=["macie2:GetMacieSession"])
    assert_errors_naming(audit(["sec.macie"], (US,)).findings, "macie2:GetMacieSession")
