"""EFS facts: the region's file systems (one list call; tags come with it)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from wa_audit.facts.base import FetchContext, fact


class FileSystem(BaseModel):
    model_config = ConfigDict(frozen=True)

    id: str
    arn: str
    tags: dict[str, str] = {}


@fact("efs.file_systems", regional=True, permissions=["elasticfilesystem:DescribeFileSystems"])
def file_systems(ctx: FetchContext) -> tuple[FileSystem, ...]:
    found = []
    for raw in ctx.paginate("efs", "describe_file_systems", "FileSystems"):
        arn = raw.get("FileSystemArn") or (
            f"arn:{ctx.partition}:elasticfilesystem:{ctx.region}:{ctx.account_id}"
            f":file-system/{raw['FileSystemId']}"
        )
        tags = {tag["Key"]: tag["Value"] for tag in raw.get("Tags", [])}
        found.append(FileSystem(id=raw["FileSystemId"], arn=arn, tags=tags))
    return tuple(found)
