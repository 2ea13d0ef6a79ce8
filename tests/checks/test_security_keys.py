"""KMS key rotation and Secrets Manager rotation against the sandbox."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import boto3

from tests.checks.sandbox_audit import assert_errors_naming, audit
from wa_audit.models import Status
from wa_audit.sandbox.seeders.storage import Key, Secret, StorageSection

US = "us-east-1"


def _findings(check_id, clock=None):
    return audit([check_id], (US,), clock).findings


def test_kms_rotation_of_customer_managed_symmetric_keys(sandbox):
    keys = (Key(region=US, alias="rotating", rotation=True), Key(region=US, alias="static"))
    sandbox.seed_section("storage", StorageSection(keys=keys))
    kms = boto3.client("kms", region_name=US)
    kms.create_key(KeySpec="RSA_2048", KeyUsage="SIGN_VERIFY")  # cannot rotate automatically
    kms.describe_key(KeyId="alias/aws/s3")  # an AWS managed key: rotates on its own
    arns = {
        alias["AliasName"]: kms.describe_key(KeyId=alias["AliasName"])["KeyMetadata"]["Arn"]
        for alias in kms.list_aliases()["Aliases"]
        if alias["AliasName"] in ("alias/rotating", "alias/static")
    }
    got = {(f.status, f.resource, f.best_practices) for f in _findings("sec.kms-key-rotation")}
    assert got == {
        (Status.PASS, arns["alias/rotating"], ("SEC08-BP01",)),
        (Status.FAIL, arns["alias/static"], ("SEC08-BP01",)),
    }


def test_denied_rotation_status_is_error_naming_the_action(sandbox, monkeypatch):
    sandbox.seed_section("storage", StorageSection(keys=(Key(region=US, alias="k"),)))
    sandbox.enforce_iam(monkeypatch, deny=["kms:GetKeyRotationStatus"])
    assert_errors_naming(_findings("sec.kms-key-rotation"), "kms:GetKeyRotationStatus")


def _secrets(sandbox):
    secrets = (
        Secret(region=US, name="rotating", rotate_every_days=30),
        Secret(region=US, name="static"),
    )
    sandbox.seed_section("storage", StorageSection(secrets=secrets))


def test_secrets_rotation(sandbox):
    _secrets(sandbox)
    got = [
        (f.status, f.resource.split(":")[-1][:-7], f.best_practices)
        for f in _findings("sec.secrets-rotation")
    ]
    bp = ("SEC02-BP03", "SEC02-BP05")
    assert got == [(Status.PASS, "rotating", bp), (Status.FAIL, "static", bp)]


def test_rotation_on_but_stalled_fails(sandbox):
    """Rotated today; seen 100 days later with the default limit of 90 days."""
    _secrets(sandbox)
    later = datetime.now(UTC) + timedelta(days=100)
    found = {f.resource.split(":")[-1][:-7]: f for f in _findings("sec.secrets-rotation", later)}
    assert found["rotating"].status is Status.FAIL
    assert "has not been rotated for 100 days (limit 90)" in found["rotating"].message
    assert found["rotating"].evidence["days_since_rotation"] == 100


def test_denied_list_secrets_is_error_naming_the_action(sandbox, monkeypatch):
    sandbox.enforce_iam(monkeypatch, deny=["secretsmanager:ListSecrets"])
    assert_errors_naming(_findings("sec.secrets-rotation"), "secretsmanager:ListSecrets")
