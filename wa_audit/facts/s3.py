"""S3 buckets and their lifecycle configurations.

``ListBuckets`` is global (one paginated call from the home region) and, when the request carries a
parameter such as ``MaxBuckets``, says each bucket's region. Lifecycle configurations are read per
region, from that region's endpoint, for the buckets that live there: an audit limited to some
regions reads (and reports) only their buckets. One bucket that cannot be read is marked unreadable
(see ``per_resource``).
"""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict

from wa_audit.facts.base import FetchContext, fact, response_unless
from wa_audit.facts.per_resource import Unreadable, read_each

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


def names_in(ctx: FetchContext) -> list[str]:
    """The buckets of the fetch's region: per-bucket settings are read from its own endpoint."""
    return [bucket.name for bucket in ctx.get(buckets) if bucket.region == ctx.region]


@fact(
    "s3.bucket_lifecycles",
    regional=True,
    permissions=[LIFECYCLE_PERMISSION],
    needs=(buckets,),
)
def bucket_lifecycles(ctx: FetchContext) -> dict[str, Lifecycle]:
    """One call per bucket of this region: S3 has no call that lists configurations in bulk."""
    client = ctx.client("s3")

    def read(name: str) -> Lifecycle:
        response = response_unless(
            {NO_LIFECYCLE}, client.get_bucket_lifecycle_configuration, Bucket=name
        )
        rules = [] if response is None else response["Rules"]
        enabled = sum(1 for rule in rules if rule.get("Status") == "Enabled")
        return Lifecycle(rules=len(rules), enabled_rules=enabled)

    read_all = read_each(
        names_in(ctx), read, permission=LIFECYCLE_PERMISSION, gone_codes={NO_BUCKET}
    )
    return {
        name: Lifecycle(unreadable=got.reason, missing_permission=got.missing_permission)
        if isinstance(got, Unreadable)
        else got
        for name, got in read_all.items()
    }
