"""Reliability checks of stored data: S3 versioning keeps what an overwrite or delete destroys."""

from __future__ import annotations

from collections.abc import Iterator
from fnmatch import fnmatchcase

from pydantic import BaseModel, ConfigDict, Field

from wa_audit.context import CheckContext
from wa_audit.facts.s3 import buckets
from wa_audit.facts.s3_buckets import bucket_versioning
from wa_audit.models import Finding, Pillar, Severity
from wa_audit.registry import check

from ._resources import bucket_arn, readable, unreadable


class VersioningParams(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    exempt_buckets: list[str] = Field(
        default_factory=list,
        description="Bucket name globs (fnmatch) holding data you can reproduce: not stateful.",
    )


@check(
    id="rel.s3-versioning",
    pillar=Pillar.RELIABILITY,
    title="S3 buckets keep earlier versions of their objects",
    fail_title="S3 buckets lose objects to an overwrite or delete",
    severity=Severity.MEDIUM,
    best_practices=["REL09-BP01"],
    remediation=(
        "Turn on versioning (S3 > bucket > Properties > Bucket Versioning) and expire noncurrent "
        "versions with a lifecycle rule; list buckets of reproducible data in "
        '[params."rel.s3-versioning"] exempt_buckets.'
    ),
    docs_url="https://docs.aws.amazon.com/AmazonS3/latest/userguide/Versioning.html",
    facts=[buckets, bucket_versioning],
    regional=True,
    params=VersioningParams,
)
def s3_versioning(ctx: CheckContext) -> Iterator[Finding]:
    """Every bucket is taken to hold state unless exempted: S3 cannot tell a cache from the
    only copy of a user's upload. Suspended versioning keeps old versions but no new ones."""
    params = ctx.params(VersioningParams)
    found = ctx.fact(bucket_versioning)
    yield from unreadable(ctx, found, lambda name: bucket_arn(ctx, name), "versioning")
    for name, versioning in sorted(readable(found).items()):
        resource = bucket_arn(ctx, name)
        evidence = {"status": versioning.status, "mfa_delete": versioning.mfa_delete}
        exempt = [glob for glob in params.exempt_buckets if fnmatchcase(name, glob)]
        if exempt:
            yield ctx.not_applicable(
                resource,
                f"Bucket {name} is exempt (exempt_buckets {exempt[0]!r}): not stateful.",
                evidence=evidence,
            )
        elif versioning.enabled:
            yield ctx.passed(resource, f"Bucket {name} has versioning on.", evidence=evidence)
        elif versioning.status == "Suspended":
            yield ctx.failed(
                resource,
                f"Bucket {name} has versioning suspended: an overwrite or delete now destroys "
                "the object.",
                evidence=evidence,
            )
        else:
            yield ctx.failed(
                resource,
                f"Bucket {name} has never had versioning on: an overwrite or delete destroys "
                "the object.",
                evidence=evidence,
            )
