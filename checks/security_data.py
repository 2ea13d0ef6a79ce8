"""Security checks of data-protection defaults: account-wide guards that catch mistakes early."""

from __future__ import annotations

from collections.abc import Iterator

from wa_audit.context import CheckContext
from wa_audit.facts.ec2 import ebs_encryption_by_default
from wa_audit.facts.s3control import public_access_block
from wa_audit.models import Finding, Pillar, Severity
from wa_audit.registry import check

from .security_common import region_resource


@check(
    id="sec.s3-account-public-access-block",
    pillar=Pillar.SECURITY,
    title="S3 Block Public Access is on for the account",
    fail_title="S3 Block Public Access is off for the account",
    severity=Severity.HIGH,
    best_practices=["SEC03-BP07", "SEC08-BP04"],
    remediation="Turn on all four account-level S3 Block Public Access settings (S3 > Block "
    "Public Access settings for this account); serve public content through CloudFront.",
    docs_url="https://docs.aws.amazon.com/AmazonS3/latest/userguide/configuring-block-public-access-account.html",
    facts=[public_access_block],
)
def s3_account_public_access_block(ctx: CheckContext) -> Iterator[Finding]:
    block = ctx.fact(public_access_block)
    evidence = {"configured": block.configured, **block.settings}
    off = block.off()
    if off:
        yield ctx.failed(
            ctx.account_arn,
            "Account-level S3 Block Public Access is not fully on: " + ", ".join(off) + " off.",
            evidence=evidence,
        )
    else:
        yield ctx.passed(
            ctx.account_arn,
            "All four account-level S3 Block Public Access settings are on.",
            evidence=evidence,
        )


@check(
    id="sec.ebs-default-encryption",
    pillar=Pillar.SECURITY,
    title="EBS encryption by default is on",
    fail_title="EBS encryption by default is off",
    severity=Severity.MEDIUM,
    best_practices=["SEC08-BP02"],
    remediation="Turn on EBS encryption by default in every region you use (EC2 > Settings > "
    "EBS encryption); it applies to new volumes and snapshot copies.",
    docs_url="https://docs.aws.amazon.com/ebs/latest/userguide/encryption-by-default.html",
    facts=[ebs_encryption_by_default],
    regional=True,
)
def ebs_default_encryption(ctx: CheckContext) -> Iterator[Finding]:
    evidence = {"EbsEncryptionByDefault": ctx.fact(ebs_encryption_by_default)}
    if evidence["EbsEncryptionByDefault"]:
        yield ctx.passed(
            region_resource(ctx), "New EBS volumes are encrypted by default.", evidence=evidence
        )
    else:
        yield ctx.failed(
            region_resource(ctx),
            "EBS encryption by default is off: new volumes are unencrypted unless asked.",
            evidence=evidence,
        )
