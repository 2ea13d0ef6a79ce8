"""Security checks of stored data: S3 buckets and Glacier vaults closed to the public and to
plain HTTP, archives locked against deletion, and Macie looking for sensitive data in them."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from wa_audit.context import CheckContext
from wa_audit.facts import glacier, macie
from wa_audit.facts.s3 import buckets
from wa_audit.facts.s3_buckets import (
    bucket_acls,
    bucket_policies,
    bucket_policy_status,
    bucket_public_access_blocks,
)
from wa_audit.facts.s3control import public_access_block
from wa_audit.models import Finding, Pillar, Severity
from wa_audit.registry import check
from wa_audit.text import plural

from ._policies import (
    condition_values,
    covers_resource,
    grants_everyone,
    has_action,
    names_everyone,
    statements,
)
from ._resources import bucket_arn, readable, unreadable
from .security_common import region_resource


@check(
    id="sec.s3-bucket-public",
    pillar=Pillar.SECURITY,
    title="No S3 bucket is open to the public",
    fail_title="S3 buckets are open to the public",
    severity=Severity.HIGH,
    best_practices=["SEC03-BP07", "SEC08-BP04"],
    remediation=(
        "Remove the public statements from the bucket policy and the AllUsers/AuthenticatedUsers "
        "grants from the ACL, and turn on Block Public Access for the bucket and the account; "
        "serve public content through CloudFront with origin access control."
    ),
    docs_url="https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html",
    facts=[
        buckets,
        public_access_block,
        bucket_public_access_blocks,
        bucket_policy_status,
        bucket_acls,
    ],
    regional=True,
)
def s3_bucket_public(ctx: CheckContext) -> Iterator[Finding]:
    """Public as S3 itself enforces it: a public policy counts unless RestrictPublicBuckets is on
    (for the bucket or the account), a public ACL unless IgnorePublicAcls is."""
    account = ctx.fact(public_access_block).settings
    blocks, statuses, acls = (
        ctx.fact(bucket_public_access_blocks),
        ctx.fact(bucket_policy_status),
        ctx.fact(bucket_acls),
    )

    def arn(name: str) -> str:
        return bucket_arn(ctx, name)

    yield from unreadable(ctx, blocks, arn, "Block Public Access")
    yield from unreadable(ctx, statuses, arn, "policy status")
    yield from unreadable(ctx, acls, arn, "ACL")
    block, status, acl = readable(blocks), readable(statuses), readable(acls)
    for name in sorted(set(block) & set(status) & set(acl)):
        on = {k: v or account.get(k, False) for k, v in block[name].settings.items()}
        open_policy = status[name] and not on["RestrictPublicBuckets"]
        grants = [f"{who}: {what}" for who, what in acl[name].public_grants]
        open_acl = [] if on["IgnorePublicAcls"] else grants
        evidence: dict[str, Any] = {
            "policy_is_public": status[name],
            "public_acl_grants": grants,
            "effective_block_public_access": on,
        }
        reasons = (["its bucket policy is public"] if open_policy else []) + (
            [f"its ACL grants {', '.join(open_acl)}"] if open_acl else []
        )
        if reasons:
            message = f"Bucket {name} is public: {' and '.join(reasons)}."
            yield ctx.failed(arn(name), message, evidence=evidence)
        else:
            yield ctx.passed(arn(name), f"Bucket {name} is not public.", evidence=evidence)


def denies_plain_http(document: dict[str, Any] | None, arn: str) -> bool:
    """A Deny to everyone of every S3 action on the bucket and its objects when
    ``aws:SecureTransport`` is false: the policy AWS documents for HTTPS-only buckets
    (https://repost.aws/knowledge-center/s3-bucket-policy-for-config-rule)."""
    return any(
        s.get("Effect") == "Deny"
        and names_everyone(s)
        and has_action(s, "s3:*", "*")
        and covers_resource(s, arn)
        and covers_resource(s, f"{arn}/any-object")
        and "false" in condition_values(s, {"Bool", "BoolIfExists"}, "aws:SecureTransport")
        for s in statements(document)
    )


@check(
    id="sec.s3-tls-only",
    pillar=Pillar.SECURITY,
    title="S3 buckets refuse requests over plain HTTP",
    fail_title="S3 buckets accept requests over plain HTTP",
    severity=Severity.MEDIUM,
    best_practices=["SEC09-BP02"],
    remediation=(
        'Add a bucket policy statement: "Effect": "Deny", "Principal": "*", "Action": "s3:*", '
        '"Resource": [bucket ARN, bucket ARN/*], "Condition": {"Bool": '
        '{"aws:SecureTransport": "false"}}.'
    ),
    docs_url="https://docs.aws.amazon.com/AmazonS3/latest/userguide/security-best-practices.html",
    facts=[buckets, bucket_policies],
    regional=True,
)
def s3_tls_only(ctx: CheckContext) -> Iterator[Finding]:
    found = ctx.fact(bucket_policies)
    yield from unreadable(ctx, found, lambda name: bucket_arn(ctx, name), "bucket policy")
    for name, policy in sorted(readable(found).items()):
        arn = bucket_arn(ctx, name)
        evidence = {"has_policy": policy.document is not None}
        if denies_plain_http(policy.document, arn):
            yield ctx.passed(arn, f"Bucket {name} denies requests without TLS.", evidence=evidence)
        else:
            why = "no bucket policy" if policy.document is None else "no statement in its policy"
            yield ctx.failed(
                arn,
                f"Bucket {name} accepts requests over plain HTTP: {why} denies "
                "aws:SecureTransport false.",
                evidence=evidence,
            )


@check(
    id="sec.glacier-vault-lock",
    pillar=Pillar.SECURITY,
    title="Glacier vaults are locked and not open to everyone",
    fail_title="Glacier vaults can be emptied or are open to everyone",
    severity=Severity.MEDIUM,
    best_practices=["SEC07-BP04", "SEC08-BP04"],
    remediation=(
        "Lock the vault with a Vault Lock policy that denies glacier:DeleteArchive before the "
        "retention your data class requires (initiate, test, then complete within 24 hours), and "
        "remove vault access policy statements that allow everyone."
    ),
    docs_url="https://docs.aws.amazon.com/amazonglacier/latest/dev/vault-lock.html",
    facts=[glacier.vaults, glacier.vault_locks, glacier.vault_access_policies],
    regional=True,
)
def glacier_vault_lock(ctx: CheckContext) -> Iterator[Finding]:
    """A completed lock enforces retention no one (root included) can lift; an ``InProgress``
    lock can still be aborted, so it does not count."""
    arns = {vault.name: vault.arn for vault in ctx.fact(glacier.vaults)}
    locks, policies = ctx.fact(glacier.vault_locks), ctx.fact(glacier.vault_access_policies)
    yield from unreadable(ctx, locks, arns.__getitem__, "vault lock")
    yield from unreadable(ctx, policies, arns.__getitem__, "access policy")
    lock, policy = readable(locks), readable(policies)
    for name in sorted(set(lock) & set(policy)):
        public = grants_everyone(policy[name].document)
        evidence = {"lock_state": lock[name].state, "access_policy_allows_everyone": public}
        problems = (["its access policy allows everyone"] if public else []) + (
            []
            if lock[name].state == "Locked"
            else [
                "its vault lock was never completed"
                if lock[name].state
                else "it has no vault lock: archives can be deleted at any time"
            ]
        )
        if problems:
            yield ctx.failed(arns[name], f"Vault {name}: {'; '.join(problems)}.", evidence=evidence)
        else:
            yield ctx.passed(arns[name], f"Vault {name} is locked.", evidence=evidence)


@check(
    id="sec.macie",
    pillar=Pillar.SECURITY,
    title="Macie discovers sensitive data in S3",
    fail_title="Nothing looks for sensitive data in S3",
    severity=Severity.MEDIUM,
    best_practices=["SEC07-BP01", "SEC07-BP03", "SEC08-BP03"],
    remediation=(
        "Enable Amazon Macie in every region that has S3 buckets, with automated sensitive data "
        "discovery on (Macie > Automated sensitive data discovery > Enable)."
    ),
    docs_url="https://docs.aws.amazon.com/macie/latest/user/discovery-asdd.html",
    facts=[buckets, macie.status],
    regional=True,
)
def macie_discovery(ctx: CheckContext) -> Iterator[Finding]:
    """Macie is paid and regional: only a region holding buckets needs it, so elsewhere the
    check is NOT_APPLICABLE; where there are buckets, Macie being off is the finding."""
    held = sorted(b.name for b in ctx.fact(buckets) if b.region == ctx.region)
    resource = region_resource(ctx)
    if not held:
        yield ctx.not_applicable(resource, f"No S3 buckets in {ctx.region} for Macie to classify.")
        return
    found = ctx.fact(macie.status)
    evidence = {
        "macie": found.status,
        "automated_discovery": found.automated_discovery,
        "buckets": len(held),
    }
    where = f"{plural(len(held), 'S3 bucket')} in {ctx.region}"
    if found.status is None:
        yield ctx.failed(
            resource, f"Macie is not enabled: {where} unclassified.", evidence=evidence
        )
    elif found.status != "ENABLED":
        yield ctx.failed(
            resource, f"Macie is {found.status}: {where} unclassified.", evidence=evidence
        )
    elif found.automated_discovery != "ENABLED":
        yield ctx.warned(
            resource,
            f"Macie is on but automated sensitive data discovery is off: {where} are classified "
            "only by jobs someone runs.",
            evidence=evidence,
        )
    else:
        yield ctx.passed(
            resource, f"Macie discovers sensitive data automatically in {where}.", evidence=evidence
        )
