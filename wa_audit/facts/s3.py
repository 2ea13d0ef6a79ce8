"""S3 buckets and their lifecycle configurations.

``ListBuckets`` is global (one paginated call from the home region) and, when the request carries a
parameter such as ``MaxBuckets``, says each bucket's region. Lifecycle configurations are read per
region, from that region's endpoint, for the buckets that live there: an audit limited to some
regions reads (and reports) only their buckets. One bucket that cannot be read (a bucket policy
denies it, or it was deleted since ``ListBuckets``) is marked unreadable, not the whole region; only
when every bucket of the region is denied is the permission itself missing, and the fact fails.
"""

from __future__ import annotations

from datetime import datetime

from botocore.exceptions import ClientError
from pydantic import BaseModel, ConfigDict

from wa_audit.facts.base import FetchContext, fact
from wa_audit.facts.store import ACCESS_DENIED_CODES

NO_LIFECYCLE = "NoSuchLifecycleConfiguration"
NO_BUCKET = "NoSuchBucket"
LIFECYCLE_PERMISSION = "s3:GetLifecycleConfiguration"
_PAGE_SIZE = 1000


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True)


class Bucket(_Model):
    name: str
    region: str
    created: datetime | None = None

    def arn(self, partition: str) -> str:
        return f"arn:{partition}:s3:::{self.name}"


class Lifecycle(_Model):
    """A bucket's lifecycle rules, counted; ``rules == 0`` means it has no configuration at all."""

    rules: int = 0
    enabled_rules: int = 0
    unreadable: str | None = None
    """Why this bucket's configuration could not be read; its counts then mean nothing."""
    missing_permission: str | None = None


@fact("s3.buckets", regional=False, permissions=["s3:ListAllMyBuckets"])
def buckets(ctx: FetchContext) -> tuple[Bucket, ...]:
    return tuple(
        Bucket(name=raw["Name"], region=raw["BucketRegion"], created=raw.get("CreationDate"))
        for raw in ctx.paginate(
            "s3", "list_buckets", "Buckets", PaginationConfig={"PageSize": _PAGE_SIZE}
        )
    )


@fact(
    "s3.bucket_lifecycles",
    regional=True,
    permissions=["s3:GetLifecycleConfiguration"],
    needs=(buckets,),
)
def bucket_lifecycles(ctx: FetchContext) -> dict[str, Lifecycle]:
    """One call per bucket of this region: S3 has no call that lists configurations in bulk."""
    client = ctx.client("s3")
    found: dict[str, Lifecycle] = {}
    denied: list[ClientError] = []
    for bucket in ctx.get(buckets):
        if bucket.region != ctx.region:
            continue
        try:
            rules = client.get_bucket_lifecycle_configuration(Bucket=bucket.name)["Rules"]
        except ClientError as error:
            code = error.response.get("Error", {}).get("Code")
            if code in ACCESS_DENIED_CODES:
                denied.append(error)
                found[bucket.name] = Lifecycle(
                    unreadable=f"access denied: grant {LIFECYCLE_PERMISSION} on this bucket",
                    missing_permission=LIFECYCLE_PERMISSION,
                )
                continue
            if code == NO_BUCKET:
                found[bucket.name] = Lifecycle(
                    unreadable="the bucket no longer exists (NoSuchBucket): deleted since listed"
                )
                continue
            if code != NO_LIFECYCLE:
                raise
            rules = []
        enabled = sum(1 for rule in rules if rule.get("Status") == "Enabled")
        found[bucket.name] = Lifecycle(rules=len(rules), enabled_rules=enabled)
    if denied and len(denied) == len(found):
        raise denied[0]  # every bucket denied: the auditor lacks the permission, not one bucket
    return found
