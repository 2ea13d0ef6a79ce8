"""Data-protection defaults: account-level S3 Block Public Access and EBS default encryption."""

from __future__ import annotations

import pytest

from tests.checks.security_facts import ROOT_ARN
from tests.helpers import ACCOUNT_ID, run_on_facts
from wa_audit.aws import AwsSession
from wa_audit.checks.security_data import ebs_default_encryption, s3_account_public_access_block
from wa_audit.facts.ec2 import ebs_encryption_by_default
from wa_audit.facts.s3control import SETTINGS, PublicAccessBlock, public_access_block
from wa_audit.facts.store import FactFailure
from wa_audit.models import Status
from wa_audit.registry import discover, select
from wa_audit.runner import RunOptions, run_audit
from wa_audit.sandbox.seeders.security import SecuritySection

REGIONS = ("us-east-1", "eu-west-1")
ALL_ON = dict.fromkeys(SETTINGS, True)


@pytest.mark.parametrize(
    ("block", "status", "message"),
    [
        (PublicAccessBlock(configured=True, settings=ALL_ON), Status.PASS, "All four"),
        (
            PublicAccessBlock(configured=True, settings={**ALL_ON, "RestrictPublicBuckets": False}),
            Status.FAIL,
            "RestrictPublicBuckets off",
        ),
        (
            PublicAccessBlock(configured=False, settings=dict.fromkeys(SETTINGS, False)),
            Status.FAIL,
            "BlockPublicAcls, IgnorePublicAcls, BlockPublicPolicy, RestrictPublicBuckets off",
        ),
    ],
)
def test_s3_account_public_access_block(block, status, message):
    [finding] = run_on_facts(s3_account_public_access_block, {public_access_block: block})
    assert (finding.status, finding.resource, finding.region) == (status, ROOT_ARN, "global")
    assert message in finding.message
    assert finding.best_practices == ("SEC03-BP07", "SEC08-BP04")


@pytest.mark.parametrize(("on", "status"), [(True, Status.PASS), (False, Status.FAIL)])
def test_ebs_default_encryption(on, status):
    [finding] = run_on_facts(
        ebs_default_encryption, {ebs_encryption_by_default: on}, region="eu-west-1", regions=REGIONS
    )
    assert (finding.status, finding.resource, finding.region) == (
        status,
        f"{ACCOUNT_ID}/eu-west-1",
        "eu-west-1",
    )
    assert finding.best_practices == ("SEC08-BP02",)


def test_public_access_block_error():
    failure = FactFailure("access denied", "s3:GetAccountPublicAccessBlock")
    [finding] = run_on_facts(
        s3_account_public_access_block, {}, failures={public_access_block: failure}
    )
    assert finding.status is Status.ERROR
    assert finding.evidence["missing_permission"] == "s3:GetAccountPublicAccessBlock"


def _audit():
    checks = select(
        discover(), include=["sec.s3-account-public-access-block", "sec.ebs-default-encryption"]
    )
    return run_audit(AwsSession(), checks, RunOptions(regions=REGIONS))


def test_data_protection_against_sandbox(sandbox):
    section = SecuritySection(
        ebs_encryption_by_default_regions=["eu-west-1"],
        account_public_access_block=["BlockPublicAcls", "IgnorePublicAcls", "BlockPublicPolicy"],
    )
    sandbox.seed(sandbox.scenario("sample").with_section("security", section).only("security"))
    got = [(f.check_id, f.status, f.resource, f.region) for f in _audit().findings]
    assert got == [
        ("sec.s3-account-public-access-block", Status.FAIL, ROOT_ARN, "global"),
        ("sec.ebs-default-encryption", Status.FAIL, f"{ACCOUNT_ID}/us-east-1", "us-east-1"),
        ("sec.ebs-default-encryption", Status.PASS, f"{ACCOUNT_ID}/eu-west-1", "eu-west-1"),
    ]


def test_ebs_access_denied_is_error_in_each_region(sandbox, monkeypatch):
    sandbox.enforce_iam(monkeypatch, deny=["ec2:GetEbsEncryptionByDefault"])
    findings = [f for f in _audit().findings if f.check_id == "sec.ebs-default-encryption"]
    assert [(f.status, f.region, f.evidence["missing_permission"]) for f in findings] == [
        (Status.ERROR, region, "ec2:GetEbsEncryptionByDefault") for region in REGIONS
    ]
