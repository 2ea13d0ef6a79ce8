"""EBS snapshots and AMIs of the account that every AWS account may use: one listing each."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from wa_audit.facts.base import FetchContext, fact


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True)


class PublicSnapshot(_Model):
    id: str
    volume_id: str | None = None
    volume_size_gib: int | None = None
    encrypted: bool = False
    description: str = ""


class Image(_Model):
    id: str
    name: str = ""
    public: bool
    state: str | None = None


@fact("ec2.public_snapshots", regional=True, permissions=["ec2:DescribeSnapshots"])
def public_snapshots(ctx: FetchContext) -> tuple[PublicSnapshot, ...]:
    """The account's own snapshots restorable by ``all``: AWS's list-level way to find public
    ones (DescribeSnapshots ``RestorableByUserIds``: "all for public snapshots"), instead of one
    DescribeSnapshotAttribute call per snapshot."""
    return tuple(
        PublicSnapshot(
            id=raw["SnapshotId"],
            volume_id=raw.get("VolumeId"),
            volume_size_gib=raw.get("VolumeSize"),
            encrypted=raw.get("Encrypted", False),
            description=raw.get("Description", ""),
        )
        for raw in ctx.paginate(
            "ec2",
            "describe_snapshots",
            "Snapshots",
            OwnerIds=["self"],
            RestorableByUserIds=["all"],
        )
    )


@fact("ec2.own_images", regional=True, permissions=["ec2:DescribeImages"])
def own_images(ctx: FetchContext) -> tuple[Image, ...]:
    """The AMIs the account owns (deprecated ones included: AWS lists them to their owner)."""
    return tuple(
        Image(
            id=raw["ImageId"],
            name=raw.get("Name", ""),
            public=raw["Public"],
            state=raw.get("State"),
        )
        for raw in ctx.paginate("ec2", "describe_images", "Images", Owners=["self"])
    )
