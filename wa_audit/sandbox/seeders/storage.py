"""Data-store settings: S3 bucket protections (on buckets other sections create, or new ones),
Glacier vaults, KMS keys, Secrets Manager secrets and Macie, set as a user would through the APIs.
"""

from __future__ import annotations

import json
from typing import Any, Literal

from botocore.exceptions import ClientError
from pydantic import Field

from wa_audit.sandbox.scenario import SectionModel, SeedEnv, Seeder

POLICY_VERSION = "2012-10-17"


class BucketSettings(SectionModel):
    name: str
    """``{account_id}`` is replaced; the bucket is created here only when ``create`` is set."""
    region: str
    create: bool = False
    versioning: Literal["never", "Enabled", "Suspended"] = "never"
    tls_only: bool = False
    """Add the Deny-when-aws:SecureTransport-false statement to the bucket's policy."""
    public_read_policy: bool = False
    public_read_acl: bool = False
    block_public_access: tuple[str, ...] = ()


class Vault(SectionModel):
    region: str
    name: str
    lock: Literal["none", "in-progress", "locked"] = "none"
    public_policy: bool = False


class Key(SectionModel):
    region: str
    alias: str
    rotation: bool = False


class Secret(SectionModel):
    region: str
    name: str
    rotate_every_days: int | None = Field(default=None, ge=1, le=1000)


class MacieRegion(SectionModel):
    region: str
    automated_discovery: bool = False


class StorageSection(SectionModel):
    buckets: tuple[BucketSettings, ...] = ()
    vaults: tuple[Vault, ...] = ()
    keys: tuple[Key, ...] = ()
    secrets: tuple[Secret, ...] = ()
    macie: tuple[MacieRegion, ...] = ()


def _statement(effect: str, action: str, resources: list[str], **extra: Any) -> dict[str, Any]:
    return {"Effect": effect, "Principal": "*", "Action": action, "Resource": resources, **extra}


def _bucket(spec: BucketSettings, env: SeedEnv) -> None:
    name = spec.name.format(account_id=env.account_id)
    s3 = env.client("s3", spec.region)
    if spec.create:
        location = {"LocationConstraint": spec.region}
        s3.create_bucket(
            Bucket=name,
            **({} if spec.region == "us-east-1" else {"CreateBucketConfiguration": location}),
        )
    arn = f"arn:aws:s3:::{name}"
    if spec.versioning != "never":
        s3.put_bucket_versioning(Bucket=name, VersioningConfiguration={"Status": spec.versioning})
    if spec.block_public_access:
        settings = (
            "BlockPublicAcls",
            "IgnorePublicAcls",
            "BlockPublicPolicy",
            "RestrictPublicBuckets",
        )
        s3.put_public_access_block(
            Bucket=name,
            PublicAccessBlockConfiguration={k: k in spec.block_public_access for k in settings},
        )
    if spec.public_read_acl:
        s3.put_bucket_acl(Bucket=name, ACL="public-read")
    added = []
    if spec.public_read_policy:
        added.append(_statement("Allow", "s3:GetObject", [f"{arn}/*"], Sid="PublicRead"))
    if spec.tls_only:
        condition = {"Bool": {"aws:SecureTransport": "false"}}
        added.append(
            _statement("Deny", "s3:*", [arn, f"{arn}/*"], Sid="TlsOnly", Condition=condition)
        )
    if added:
        try:
            policy = json.loads(s3.get_bucket_policy(Bucket=name)["Policy"])
        except ClientError:  # NoSuchBucketPolicy: start one
            policy = {"Version": POLICY_VERSION, "Statement": []}
        policy["Statement"] = [*policy["Statement"], *added]
        s3.put_bucket_policy(Bucket=name, Policy=json.dumps(policy))


def _vault(vault: Vault, env: SeedEnv) -> None:
    glacier = env.client("glacier", vault.region)
    glacier.create_vault(accountId="-", vaultName=vault.name)
    arn = f"arn:aws:glacier:{vault.region}:{env.account_id}:vaults/{vault.name}"
    if vault.public_policy:
        statement = _statement("Allow", "glacier:InitiateJob", [arn])
        policy = json.dumps({"Version": POLICY_VERSION, "Statement": [statement]})
        glacier.set_vault_access_policy(
            accountId="-", vaultName=vault.name, policy={"Policy": policy}
        )
    if vault.lock != "none":
        deny = _statement(
            "Deny",
            "glacier:DeleteArchive",
            [arn],
            Condition={"NumericLessThan": {"glacier:ArchiveAgeInDays": "365"}},
        )
        lock_policy = json.dumps({"Version": POLICY_VERSION, "Statement": [deny]})
        lock_id = glacier.initiate_vault_lock(
            accountId="-", vaultName=vault.name, policy={"Policy": lock_policy}
        )["lockId"]
        if vault.lock == "locked":
            glacier.complete_vault_lock(accountId="-", vaultName=vault.name, lockId=lock_id)


def seed_storage(section: StorageSection, env: SeedEnv) -> None:
    for bucket in section.buckets:
        _bucket(bucket, env)
    for vault in section.vaults:
        _vault(vault, env)
    for key in section.keys:
        kms = env.client("kms", key.region)
        key_id = kms.create_key(Description=key.alias)["KeyMetadata"]["KeyId"]
        kms.create_alias(AliasName=f"alias/{key.alias}", TargetKeyId=key_id)
        if key.rotation:
            kms.enable_key_rotation(KeyId=key_id)
    for secret in section.secrets:
        manager = env.client("secretsmanager", secret.region)
        manager.create_secret(Name=secret.name, SecretString="sandbox-placeholder")
        if secret.rotate_every_days:
            manager.rotate_secret(
                SecretId=secret.name,
                RotationRules={"AutomaticallyAfterDays": secret.rotate_every_days},
            )
    for region in section.macie:
        macie = env.client("macie2", region.region)
        macie.enable_macie()
        status = "ENABLED" if region.automated_discovery else "DISABLED"
        macie.update_automated_discovery_configuration(status=status)


SEEDER = Seeder("storage", StorageSection, seed_storage)
