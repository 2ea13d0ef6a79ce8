"""Per-bucket S3 settings that decide who can reach a bucket's data and whether it survives a
mistaken overwrite: versioning, bucket policy (and AWS's verdict on whether it is public), ACL, and
the bucket's own Block Public Access.

S3 has no call that lists these in bulk, so each is one call per bucket of the region, from the
region's endpoint (``names_in``); a bucket that cannot be read is marked unreadable on its own.
"""

from __future__ import annotations

import json
from typing import Any

from pydantic import BaseModel, ConfigDict

from wa_audit.facts.base import FetchContext, fact, response_unless
from wa_audit.facts.per_resource import Unreadable, read_each
from wa_audit.facts.s3 import NO_BUCKET, buckets, names_in
from wa_audit.facts.s3control import SETTINGS, PublicAccessBlock

NO_POLICY = "NoSuchBucketPolicy"
NO_BLOCK = "NoSuchPublicAccessBlockConfiguration"
PUBLIC_GROUPS = {
    "http://acs.amazonaws.com/groups/global/AllUsers": "everyone (AllUsers)",
    "http://acs.amazonaws.com/groups/global/AuthenticatedUsers": (
        "any AWS account (AuthenticatedUsers)"
    ),
}


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True)


class Versioning(_Model):
    """``status`` is None when versioning was never turned on (AWS then omits ``Status``)."""

    status: str | None = None
    mfa_delete: str | None = None

    @property
    def enabled(self) -> bool:
        return self.status == "Enabled"


class BucketPolicy(_Model):
    """The bucket policy as a document; None when the bucket has none."""

    document: dict[str, Any] | None = None


class Acl(_Model):
    """The public groups the ACL grants something to, with the permissions granted."""

    public_grants: tuple[tuple[str, str], ...] = ()


@fact(
    "s3.bucket_versioning",
    regional=True,
    permissions=["s3:GetBucketVersioning"],
    needs=(buckets,),
)
def bucket_versioning(ctx: FetchContext) -> dict[str, Versioning | Unreadable]:
    client = ctx.client("s3")

    def read(name: str) -> Versioning:
        raw = client.get_bucket_versioning(Bucket=name)
        return Versioning(status=raw.get("Status"), mfa_delete=raw.get("MFADelete"))

    return read_each(
        names_in(ctx), read, permission="s3:GetBucketVersioning", gone_codes={NO_BUCKET}
    )


@fact("s3.bucket_policies", regional=True, permissions=["s3:GetBucketPolicy"], needs=(buckets,))
def bucket_policies(ctx: FetchContext) -> dict[str, BucketPolicy | Unreadable]:
    """``NoSuchBucketPolicy`` is a bucket without a policy, a fact about the bucket."""
    client = ctx.client("s3")

    def read(name: str) -> BucketPolicy:
        raw = response_unless({NO_POLICY}, client.get_bucket_policy, Bucket=name)
        return BucketPolicy(document=None if raw is None else json.loads(raw["Policy"]))

    return read_each(names_in(ctx), read, permission="s3:GetBucketPolicy", gone_codes={NO_BUCKET})


@fact(
    "s3.bucket_policy_status",
    regional=True,
    permissions=["s3:GetBucketPolicyStatus"],
    needs=(buckets,),
)
def bucket_policy_status(ctx: FetchContext) -> dict[str, bool | Unreadable]:
    """AWS's own verdict on whether the bucket policy is public (it weighs conditions such as
    ``aws:SourceVpc`` that a re-implementation would get wrong); no policy is not public.
    https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html#access-control-block-public-access-policy-status"""
    client = ctx.client("s3")

    def read(name: str) -> bool:
        raw = response_unless({NO_POLICY}, client.get_bucket_policy_status, Bucket=name)
        return False if raw is None else bool(raw["PolicyStatus"].get("IsPublic", False))

    return read_each(
        names_in(ctx), read, permission="s3:GetBucketPolicyStatus", gone_codes={NO_BUCKET}
    )


@fact("s3.bucket_acls", regional=True, permissions=["s3:GetBucketAcl"], needs=(buckets,))
def bucket_acls(ctx: FetchContext) -> dict[str, Acl | Unreadable]:
    """With Object Ownership "bucket owner enforced" the ACL is the owner's alone, so this
    reads the same; ``Grants`` may be omitted when the list is empty."""
    client = ctx.client("s3")

    def read(name: str) -> Acl:
        grants = client.get_bucket_acl(Bucket=name).get("Grants", [])
        public = [
            (PUBLIC_GROUPS[grant["Grantee"]["URI"]], grant.get("Permission", ""))
            for grant in grants
            if grant.get("Grantee", {}).get("URI") in PUBLIC_GROUPS
        ]
        return Acl(public_grants=tuple(public))

    return read_each(names_in(ctx), read, permission="s3:GetBucketAcl", gone_codes={NO_BUCKET})


@fact(
    "s3.bucket_public_access_blocks",
    regional=True,
    permissions=["s3:GetBucketPublicAccessBlock"],
    needs=(buckets,),
)
def bucket_public_access_blocks(ctx: FetchContext) -> dict[str, PublicAccessBlock | Unreadable]:
    """The bucket's own four switches (``GetPublicAccessBlock``, IAM action
    ``s3:GetBucketPublicAccessBlock``); all off when never configured."""
    client = ctx.client("s3")

    def read(name: str) -> PublicAccessBlock:
        raw = response_unless({NO_BLOCK}, client.get_public_access_block, Bucket=name)
        if raw is None:
            return PublicAccessBlock(configured=False, settings=dict.fromkeys(SETTINGS, False))
        config = raw["PublicAccessBlockConfiguration"]
        return PublicAccessBlock(
            configured=True, settings={key: bool(config.get(key, False)) for key in SETTINGS}
        )

    return read_each(
        names_in(ctx), read, permission="s3:GetBucketPublicAccessBlock", gone_codes={NO_BUCKET}
    )
